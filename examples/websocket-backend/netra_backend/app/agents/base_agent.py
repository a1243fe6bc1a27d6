"""What every agent has in common: a name, and a way to use tools that reports progress."""


class BaseAgent:
    name = "base"
    description = ""

    async def run(self, exec_context, request, notifier, dispatcher):
        raise NotImplementedError

    async def use_tool(self, exec_context, notifier, dispatcher, tool_name, **arguments):
        return await dispatcher.execute(exec_context, notifier, tool_name, **arguments)
