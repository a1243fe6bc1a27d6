"""Wires the application together. `python3 -m netra_backend.app.main` runs one offline chat turn."""
import asyncio

from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine
from netra_backend.app.routes.websocket import build_router
from netra_backend.app.services.agent_service import AgentService
from netra_backend.app.services.message_handler import MessageHandlerService
from netra_backend.app.services.notification_service import NotificationService
from netra_backend.app.services.thread_service import ThreadService
from netra_backend.app.websocket_core.manager import ConnectionManager


class App:
    def __init__(self):
        self.manager = ConnectionManager()
        self.engine = ExecutionEngine(self.manager.emitter_for)
        self.router = build_router(self.manager, self.engine)
        self.threads = ThreadService()
        self.agents = AgentService(self.manager)
        self.messages = MessageHandlerService(self.engine, self.manager)
        self.notifications = NotificationService(self.manager)


async def _demo():
    app = App()
    connection = app.manager.connect("alice")
    thread_id = app.threads.create("alice", "costs")
    await app.router.dispatch({"type": "user_message", "thread_id": thread_id, "text": "why did my cost go up?"}, user_id="alice")
    for message in connection.outbox:
        print(message["type"], {k: v for k, v in message.items() if k not in ("type", "user_id", "thread_id", "run_id")})


if __name__ == "__main__":
    asyncio.run(_demo())
