"""Routes incoming client messages to handlers by their `type`."""
from netra_backend.app.websocket_core.websocket_notifier import WebSocketNotifier


class EventRouter:
    def __init__(self):
        self._handlers = {}

    def on(self, message_type, handler):
        self._handlers[message_type] = handler

    async def dispatch(self, message, **context):
        handler = self._handlers.get(message.get("type"))
        if handler is None:
            raise KeyError(f"no handler for message type {message.get('type')!r}")
        return await handler(message, **context)


def describe_notifier(notifier):
    """For the debug endpoint: what kind of notifier a connection got."""
    kind = "ssot" if type(notifier) is WebSocketNotifier else type(notifier).__name__
    return {"kind": kind, "user_id": notifier.user_id, "events": notifier.sent_events()}
