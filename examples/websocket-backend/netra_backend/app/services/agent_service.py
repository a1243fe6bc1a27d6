"""The service layer the HTTP and WebSocket routes call to run agents."""
from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine
from netra_backend.app.core.execution_context import UserExecutionContext
from netra_backend.app.websocket_core.websocket_notifier import WebSocketNotifier


class AgentService:
    def __init__(self, manager):
        self._manager = manager
        self._engine = ExecutionEngine(manager.emitter_for)

    async def run_agent(self, user_id, thread_id, agent_name, request):
        exec_context = UserExecutionContext(user_id=user_id, thread_id=thread_id, agent_name=agent_name)
        return await self._engine.execute(exec_context, agent_name, request)

    async def cancel(self, user_id, thread_id, run_id):
        exec_context = UserExecutionContext(user_id, thread_id, run_id)
        self._track(WebSocketNotifier(self._manager.emitter_for(user_id), exec_context))
        return {"cancelled": run_id}

    def _track(self, notifier):
        self.last_cancel_notifier = notifier
