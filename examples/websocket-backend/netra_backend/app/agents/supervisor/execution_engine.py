"""Runs one agent for one user and delivers the five golden-path events to that user."""
from netra_backend.app.agents.supervisor.agent_registry import AgentRegistry
from netra_backend.app.tools.tool_dispatcher import ToolDispatcher

from .websocket_notifier import WebSocketNotifier


class ExecutionEngine:
    def __init__(self, emitter_for_user, registry=None, dispatcher=None):
        self._emitter_for_user = emitter_for_user
        self._registry = registry or AgentRegistry.default()
        self._dispatcher = dispatcher or ToolDispatcher.default()
        self.last_notifier = None

    async def execute(self, exec_context, agent_name, request):
        agent = self._registry.get(agent_name)
        notifier = WebSocketNotifier(  # one notifier per run, never shared between users
            self._emitter_for_user(exec_context.user_id),
            exec_context,  # carries the user_id that events are routed by
        )
        self.last_notifier = notifier
        await notifier.send_agent_started(exec_context, agent_name)
        await notifier.send_agent_thinking(exec_context, f"Working on: {request}")
        result = await agent.run(exec_context, request, notifier, self._dispatcher)
        await notifier.send_agent_finished(exec_context, result)
        return {
            "agent": agent_name,
            "result": result,
            "events": notifier.sent_events(),
            "golden_path_complete": notifier.validate_golden_path_complete(),
        }
