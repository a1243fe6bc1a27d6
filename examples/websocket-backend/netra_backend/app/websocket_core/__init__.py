"""WebSocket connections, routing and handlers."""
from .websocket_notifier import WebSocketNotifier  # old callers import it from the package

__all__ = ["WebSocketNotifier"]
