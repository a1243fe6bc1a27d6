"""Integration: messages in over a (simulated) WebSocket, events out to the right connections only."""
import unittest

from netra_backend.app.main import App
from netra_backend.app.routes.agents import dry_run_route, run_agent_route
from netra_backend.app.websocket_core.event_router import describe_notifier
from netra_backend.app.websocket_core.websocket_notifier import WebSocketNotifier
from tests.support import assert_golden_path, context


class BasicEvents(unittest.IsolatedAsyncioTestCase):
    def setUp(self):
        self.app = App()
        self.alice = self.app.manager.connect("alice")
        self.bob = self.app.manager.connect("bob")

    async def test_a_chat_message_reaches_only_its_user(self):
        await self.app.router.dispatch({"type": "user_message", "text": "what does my data say"}, user_id="alice")
        assert_golden_path(self, [message["type"] for message in self.alice.outbox])
        self.assertEqual(self.bob.outbox, [])

    async def test_ping(self):
        reply = await self.app.router.dispatch({"type": "ping"}, user_id="bob")
        self.assertEqual(reply, {"type": "pong"})
        self.assertEqual([m["type"] for m in self.bob.outbox], ["agent_thinking"])

    async def test_quota_warning(self):
        notifier = await self.app.notifications.quota_warning(context("alice"), 90)
        self.assertIsInstance(notifier, WebSocketNotifier)
        self.assertIn("90%", self.alice.outbox[-1]["message"])

    async def test_agent_route_and_dry_run(self):
        response = await run_agent_route(self.app.agents, "bob", "optimization", {"request": "reduce cost"})
        self.assertTrue(response["body"]["golden_path_complete"])
        dry = await dry_run_route("alice", {"agent": "data"})
        self.assertEqual(dry["body"]["events"], ["agent_started"])

    async def test_acknowledge_and_debug_view(self):
        notifier = await self.app.messages.acknowledge("alice", "thread-1")
        self.assertEqual(describe_notifier(notifier)["events"], ["agent_thinking"])

    async def test_a_closed_connection_gets_nothing(self):
        self.app.manager.disconnect(self.bob)
        await self.app.router.dispatch({"type": "ping"}, user_id="bob")
        self.assertEqual(self.bob.outbox, [])


if __name__ == "__main__":
    unittest.main()
