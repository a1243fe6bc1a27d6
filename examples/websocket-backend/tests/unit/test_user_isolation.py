"""User isolation: two users' notifiers share no state, even when their runs interleave."""
import asyncio
import unittest

from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine
from netra_backend.app.core.emitters import RecordingEmitter
from netra_backend.app.services.agent_websocket_bridge import WebSocketNotifier
from tests.support import context


class UserIsolation(unittest.IsolatedAsyncioTestCase):
    def tearDown(self):
        for user in ("alice", "bob"):
            WebSocketNotifier.release_user(user)

    async def test_two_users_share_no_state(self):
        alice_ctx, bob_ctx = context("alice"), context("bob")
        alice = WebSocketNotifier.create_for_user(RecordingEmitter("alice"), alice_ctx)
        bob = WebSocketNotifier.create_for_user(RecordingEmitter("bob"), bob_ctx)
        await alice.send_agent_started(alice_ctx, "triage")
        await alice.send_agent_thinking(alice_ctx, "private thoughts")
        self.assertEqual(bob.sent_events(), [])
        self.assertEqual(bob.missing_golden_path_events(), ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"])
        self.assertEqual(bob.emitter.events, [])

    async def test_a_notifier_refuses_another_users_event(self):
        alice = WebSocketNotifier.create_for_user(RecordingEmitter(), context("alice"))
        with self.assertRaises(PermissionError):
            await alice.send_agent_thinking(context("bob"), "leak")

    async def test_factory_gives_every_call_a_fresh_instance(self):
        ctx = context("alice")
        first = WebSocketNotifier.create_for_user(RecordingEmitter(), ctx)
        second = WebSocketNotifier.create_for_user(RecordingEmitter(), ctx)
        self.assertIsNot(first, second)
        self.assertEqual(len(WebSocketNotifier.active_for_user("alice")), 2)
        self.assertEqual(WebSocketNotifier.active_for_user("bob"), [])
        self.assertEqual(WebSocketNotifier.release_user("alice"), 2)
        self.assertEqual(WebSocketNotifier.active_for_user("alice"), [])

    async def test_concurrent_runs_do_not_leak(self):
        emitters = {}
        engine = ExecutionEngine(lambda user_id: emitters.setdefault(user_id, RecordingEmitter(user_id)))
        await asyncio.gather(*(engine.execute(context(user), "optimization", f"costs for {user}") for user in ("alice", "bob") * 5))
        for user in ("alice", "bob"):
            self.assertTrue(emitters[user].events)
            self.assertEqual({message["user_id"] for _, message in emitters[user].events}, {user})


if __name__ == "__main__":
    unittest.main()
