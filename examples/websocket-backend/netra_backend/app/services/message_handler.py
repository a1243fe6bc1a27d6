"""Turns a stored chat message into an agent run."""
from netra_backend.app.core.execution_context import UserExecutionContext
from netra_backend.app.services.websocket_notifier import WebSocketNotifier


class MessageHandlerService:
    def __init__(self, engine, manager):
        self._engine = engine
        self._manager = manager

    async def handle(self, user_id, thread_id, text, agent="triage"):
        exec_context = UserExecutionContext(user_id=user_id, thread_id=thread_id)
        return await self._engine.execute(exec_context, agent, text)

    async def acknowledge(self, user_id, thread_id):
        exec_context = UserExecutionContext(user_id=user_id, thread_id=thread_id)
        notifier = WebSocketNotifier(self._manager.emitter_for(user_id), exec_context)
        await notifier.send_agent_thinking(exec_context, "message received")
        return notifier
