"""Runs a tool for an agent and tells the user about it (tool_executing, then tool_completed)."""
from netra_backend.app.services.websocket_notifier import WebSocketNotifier


class ToolDispatcher:
    def __init__(self, tools):
        self._tools = dict(tools)

    @classmethod
    def default(cls):
        from netra_backend.app.tools.builtin_tools import TOOLS

        return cls(TOOLS)

    def names(self):
        return sorted(self._tools)

    async def execute(self, exec_context, notifier: WebSocketNotifier, tool_name, **arguments):
        tool = self._tools.get(tool_name)
        if tool is None:
            raise KeyError(f"unknown tool {tool_name!r}")
        await notifier.send_tool_started(exec_context, tool_name)
        output = await tool(**arguments)
        await notifier.send_tool_completed(exec_context, {"tool": tool_name, "output": output})
        return output
