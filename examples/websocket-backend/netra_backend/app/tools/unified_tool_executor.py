"""Runs a tool outside an agent run (scheduled jobs, the admin console) with its own notifier."""
from netra_backend.app.tools.builtin_tools import TOOLS
from netra_backend.app.websocket_core.websocket_notifier import WebSocketNotifier


class UnifiedToolExecutor:
    def __init__(self, emitter, tools=None):
        self._emitter = emitter
        self._tools = dict(tools or TOOLS)

    async def run(self, exec_context, tool_name, **arguments):
        notifier = WebSocketNotifier(self._emitter, exec_context)
        await notifier.send_tool_executing(exec_context, tool_name)
        output = await self._tools[tool_name](**arguments)
        await notifier.send_tool_completed(exec_context, {"tool": tool_name, "output": output})
        return output, notifier
