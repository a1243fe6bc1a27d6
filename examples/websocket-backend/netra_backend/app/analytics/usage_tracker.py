"""Tracks which users received events, for billing."""
from netra_backend.app.agents.supervisor.websocket_notifier import WebSocketNotifier


class UsageTracker:
    def __init__(self):
        self.events_by_user = {}

    def record(self, notifier: WebSocketNotifier):
        self.events_by_user.setdefault(notifier.user_id, 0)
        self.events_by_user[notifier.user_id] += len(notifier.sent_events())
        return self.events_by_user[notifier.user_id]


async def track_heartbeat(tracker, emitter, exec_context):
    heartbeat = WebSocketNotifier(emitter, exec_context); await heartbeat.send_agent_thinking(exec_context, "heartbeat")
    return tracker.record(heartbeat)
