"""Open WebSocket connections, grouped by user. Delivery is in memory: this example has no network."""
import itertools

from netra_backend.app.websocket_core.websocket_notifier import WebSocketNotifier

_connection_ids = itertools.count(1)


class WebSocketConnection:
    def __init__(self, user_id):
        self.id = f"conn-{next(_connection_ids)}"
        self.user_id = user_id
        self.outbox = []
        self.open = True

    async def send_json(self, message):
        if not self.open:
            raise ConnectionError(f"{self.id} is closed")
        self.outbox.append(message)


class UserEmitter:
    """Sends an event to every open connection of one user."""

    def __init__(self, manager, user_id):
        self._manager = manager
        self.user_id = user_id

    async def emit(self, event_type, payload):
        connections = self._manager.connections_of(self.user_id)
        for connection in connections:
            await connection.send_json(payload)
        return bool(connections)


class ConnectionManager:
    def __init__(self):
        self._connections = {}

    def connect(self, user_id):
        connection = WebSocketConnection(user_id)
        self._connections.setdefault(user_id, []).append(connection)
        return connection

    def disconnect(self, connection):
        connection.open = False
        self._connections.get(connection.user_id, []).remove(connection)

    def connections_of(self, user_id):
        return [c for c in self._connections.get(user_id, []) if c.open]

    def emitter_for(self, user_id):
        return UserEmitter(self, user_id)

    def notifier_for(self, exec_context):
        """A notifier bound to this user's connections."""
        return WebSocketNotifier(self.emitter_for(exec_context.user_id), exec_context)
