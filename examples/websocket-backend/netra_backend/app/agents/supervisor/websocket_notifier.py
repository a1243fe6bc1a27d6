"""DEPRECATED: the supervisor's own WebSocketNotifier, a second implementation of the SSOT class.

It predates AgentWebSocketBridge and survives only because old agents import it from here.
"""
import warnings

from netra_backend.app.services.agent_websocket_bridge import WebSocketNotifier as _SSOTWebSocketNotifier


class WebSocketNotifier(_SSOTWebSocketNotifier):
    """Legacy supervisor notifier; behaves like the SSOT one, plus the old `notify` entry point."""

    async def notify(self, exec_context, event_type, payload):
        warnings.warn("WebSocketNotifier.notify is deprecated; use the send_* methods", DeprecationWarning, stacklevel=2)
        return await self._emit_with_tracking(event_type, exec_context, dict(payload))
