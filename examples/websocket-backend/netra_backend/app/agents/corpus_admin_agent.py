"""Manages the user's document corpus."""
from netra_backend.app.agents.base_agent import BaseAgent
from netra_backend.app.websocket_core.websocket_notifier import WebSocketNotifier


class CorpusAdminAgent(BaseAgent):
    name = "corpus_admin"
    description = "searches and curates documents"

    async def run(self, exec_context, request, notifier, dispatcher):
        hits = await self.use_tool(exec_context, notifier, dispatcher, "search_corpus", query=request)
        return {"summary": f"{len(hits)} documents match", "hits": hits}


def notifier_factories():
    """Named factories the admin console can pick from."""
    return {
        "default": lambda emitter, ctx: WebSocketNotifier(emitter, ctx),
    }
