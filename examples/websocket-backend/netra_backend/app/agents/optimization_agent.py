"""Suggests how to spend less on model calls."""
from netra_backend.app.agents.base_agent import BaseAgent
from netra_backend.app.websocket_core.websocket_notifier import WebSocketNotifier


class OptimizationAgent(BaseAgent):
    name = "optimization"
    description = "finds cheaper ways to get the same answers"

    notifier_class = WebSocketNotifier  # exposed for the admin panel's "which notifier" view

    async def run(self, exec_context, request, notifier, dispatcher):
        usage = await self.use_tool(exec_context, notifier, dispatcher, "query_usage", user_id=exec_context.user_id)
        costs = await self.use_tool(exec_context, notifier, dispatcher, "calculate_costs", usage=usage)
        saving = round(costs["total"] * 0.3, 2)
        return {"summary": f"switching models could save {saving} per month", "costs": costs, "saving": saving}
