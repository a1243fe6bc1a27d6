"""Runs several agents one after another for the same user, each with its own notifier."""
from netra_backend.app.agents.supervisor.agent_registry import AgentRegistry
from netra_backend.app.agents.supervisor.websocket_notifier import WebSocketNotifier
from netra_backend.app.tools.tool_dispatcher import ToolDispatcher


class PipelineExecutor:
    def __init__(self, emitter, registry=None, dispatcher=None):
        self._emitter = emitter
        self._registry = registry or AgentRegistry.default()
        self._dispatcher = dispatcher or ToolDispatcher.default()

    async def run(self, exec_context, steps):
        results = []
        for agent_name, request in steps:
            step_context = exec_context.for_agent(agent_name)
            notifier = WebSocketNotifier(emitter=self._emitter, exec_context=step_context)
            await notifier.send_agent_started(step_context, agent_name)
            await notifier.send_agent_thinking(step_context, request)
            result = await self._registry.get(agent_name).run(step_context, request, notifier, self._dispatcher)
            await notifier.send_agent_completed(step_context, result)
            results.append(result)
        return results
