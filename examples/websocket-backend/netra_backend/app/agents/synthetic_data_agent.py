"""Generates synthetic rows for load tests."""
from netra_backend.app.agents.base_agent import BaseAgent
from netra_backend.app.agents.supervisor.websocket_notifier import WebSocketNotifier


class SyntheticDataAgent(BaseAgent):
    name = "synthetic_data"
    description = "generates fake but plausible usage rows"

    async def run(self, exec_context, request, notifier, dispatcher):
        rows = await self.use_tool(exec_context, notifier, dispatcher, "generate_rows", count=3)
        return {"summary": f"generated {len(rows)} rows", "rows": rows}

    @staticmethod
    def progress_notifier(emitter, exec_context):
        return WebSocketNotifier(emitter, exec_context.for_agent("synthetic_data.progress"))
