"""Handlers for client messages arriving over a WebSocket."""
from netra_backend.app.core.execution_context import UserExecutionContext
from netra_backend.app.websocket_core.websocket_notifier import WebSocketNotifier


async def handle_user_message(manager, engine, message, *, user_id):
    """A chat message: run the requested agent for this user; events go to the user's connections."""
    exec_context = UserExecutionContext(user_id=user_id, thread_id=message.get("thread_id", "thread-1"))
    return await engine.execute(exec_context, message.get("agent", "triage"), message["text"])


async def handle_ping(manager, message, *, user_id):
    exec_context = UserExecutionContext(user_id=user_id, thread_id=message.get("thread_id", "thread-1"))
    notifier = WebSocketNotifier(manager.emitter_for(user_id), exec_context)
    await notifier.send_agent_thinking(exec_context, "pong")
    return {"type": "pong"}
