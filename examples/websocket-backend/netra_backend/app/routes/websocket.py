"""The /ws endpoint, minus the network: the example feeds it messages directly."""
from netra_backend.app.websocket_core.event_router import EventRouter
from netra_backend.app.websocket_core.handlers import handle_ping, handle_user_message


def build_router(manager, engine):
    router = EventRouter()

    async def on_message(message, *, user_id):
        return await handle_user_message(manager, engine, message, user_id=user_id)

    async def on_ping(message, *, user_id):
        return await handle_ping(manager, message, user_id=user_id)

    router.on("user_message", on_message)
    router.on("ping", on_ping)
    return router
