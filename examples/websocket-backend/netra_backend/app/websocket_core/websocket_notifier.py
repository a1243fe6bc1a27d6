"""DEPRECATED: the WebSocket core used to own the notifier. It moved to services.agent_websocket_bridge."""
import warnings

from netra_backend.app.services.agent_websocket_bridge import WebSocketNotifier  # re-exported

warnings.warn(
    "netra_backend.app.websocket_core.websocket_notifier is deprecated; import WebSocketNotifier from "
    "netra_backend.app.services.agent_websocket_bridge",
    DeprecationWarning,
    stacklevel=2,
)
