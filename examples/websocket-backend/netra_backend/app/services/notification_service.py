"""System notifications (maintenance windows, quota warnings) sent to a user's open connections.

Migration note for reviewers: code such as ``notifier = WebSocketNotifier(emitter, ctx)`` is the
old style. The strings and comments below mention it on purpose and must not be rewritten.
"""
from netra_backend.app.agents.supervisor.websocket_notifier import WebSocketNotifier

DEPRECATION_MESSAGE = (
    "WebSocketNotifier(emitter, ctx) is deprecated; use WebSocketNotifier.create_for_user(emitter, ctx)"
)

MIGRATION_HINTS = {
    "before": 'notifier = WebSocketNotifier(emitter, exec_context)',
    "after": "notifier = WebSocketNotifier.create_for_user(emitter, exec_context)",
}


class NotificationService:
    def __init__(self, manager):
        self._manager = manager

    async def quota_warning(self, exec_context, percent):
        # Do not write WebSocketNotifier(self._manager, exec_context) here: the manager is not an emitter.
        notifier = WebSocketNotifier(self._manager.emitter_for(exec_context.user_id), exec_context)
        await notifier.send_agent_thinking(exec_context, f"You have used {percent}% of your monthly quota")
        return notifier
