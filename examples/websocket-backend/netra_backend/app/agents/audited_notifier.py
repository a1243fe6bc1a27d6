"""A notifier that also writes every event to the compliance audit log.

This is a subclass, not an instantiation: `class AuditedNotifier(WebSocketNotifier, AuditMixin)`
must survive the factory migration unchanged.
"""
from netra_backend.app.agents.supervisor.websocket_notifier import WebSocketNotifier


class AuditMixin:
    def audit(self, entry):
        self.audit_log.append(entry)


class AuditedNotifier(WebSocketNotifier, AuditMixin):
    def __init__(self, emitter, exec_context, audit_log):
        super().__init__(emitter, exec_context)
        self.audit_log = audit_log

    async def _emit_with_tracking(self, event_type, exec_context, payload):
        delivered = await super()._emit_with_tracking(event_type, exec_context, payload)
        self.audit({"event": event_type, "user_id": exec_context.user_id, "delivered": delivered})
        return delivered
