"""DEPRECATED import path, kept so that old call sites keep working.

Use ``from netra_backend.app.services.agent_websocket_bridge import WebSocketNotifier``.
"""
import warnings

from netra_backend.app.services.agent_websocket_bridge import WebSocketNotifier

warnings.warn(
    "netra_backend.app.services.websocket_notifier is deprecated; import WebSocketNotifier from "
    "netra_backend.app.services.agent_websocket_bridge",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["WebSocketNotifier"]
