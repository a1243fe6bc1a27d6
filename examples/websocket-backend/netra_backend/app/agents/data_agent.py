"""Answers questions about the user's usage data."""
from netra_backend.app.agents.base_agent import BaseAgent
from netra_backend.app.services.websocket_notifier import WebSocketNotifier


class DataAgent(BaseAgent):
    name = "data"
    description = "queries usage data"

    async def run(self, exec_context, request, notifier, dispatcher):
        rows = await self.use_tool(exec_context, notifier, dispatcher, "query_usage", user_id=exec_context.user_id)
        # A helper agent reports under its own name but to the same user.
        helper_context = exec_context.for_agent("data_helper")
        helper = WebSocketNotifier(notifier.emitter, helper_context)
        await helper.send_agent_thinking(helper_context, f"summarising {len(rows)} rows")
        total = sum(row["tokens"] for row in rows)
        return {"summary": f"{len(rows)} requests, {total} tokens", "rows": rows}
