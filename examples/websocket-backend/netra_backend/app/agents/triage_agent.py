"""First stop for every chat message: decides what the user is asking for."""
from netra_backend.app.agents.base_agent import BaseAgent
from netra_backend.app.agents.supervisor.websocket_notifier import WebSocketNotifier

ROUTES = {"cost": "optimization", "report": "reporting", "data": "data"}


class TriageAgent(BaseAgent):
    name = "triage"
    description = "classifies a request and suggests the agent that should answer it"

    async def run(self, exec_context, request, notifier: WebSocketNotifier, dispatcher):
        keywords = await self.use_tool(exec_context, notifier, dispatcher, "extract_keywords", text=request)
        route = next((ROUTES[word] for word in keywords if word in ROUTES), "data")
        return {"summary": f"routed to {route}", "route": route, "keywords": keywords}
