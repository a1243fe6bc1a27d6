"""Tool execution with timing, used by the optimisation dashboards."""
import time

from netra_backend.app.agents.supervisor.websocket_notifier import WebSocketNotifier


async def execute_timed(emitter, exec_context, tool, tool_name, **arguments):
    """Run `tool`, report it to the user, and return (output, seconds)."""
    started = time.perf_counter()
    notifier = WebSocketNotifier(emitter, exec_context)  # legacy: direct construction
    await notifier.send_tool_started(exec_context, tool_name)
    output = await tool(**arguments)
    await notifier.send_tool_completed(exec_context, {"tool": tool_name, "output": output})
    return output, time.perf_counter() - started
