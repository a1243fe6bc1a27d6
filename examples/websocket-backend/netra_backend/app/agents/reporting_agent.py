"""Writes a short report of what the other agents found."""
from netra_backend.app.agents.base_agent import BaseAgent
from netra_backend.app.services.websocket_notifier import WebSocketNotifier


class ReportingAgent(BaseAgent):
    name = "reporting"
    description = "summarises findings for the user"

    async def run(self, exec_context, request, notifier, dispatcher):
        text = await self.use_tool(exec_context, notifier, dispatcher, "summarize", text=request)
        return {"summary": text, "format": "markdown"}


async def send_standalone_report(emitter, exec_context, text):
    """Reports scheduled outside a chat run get a notifier of their own."""
    notifier = WebSocketNotifier(
        emitter,
        # no agent run here: the report job reuses the user's context
        exec_context,
    )
    await notifier.send_agent_completed(exec_context, {"summary": text})
    return notifier
