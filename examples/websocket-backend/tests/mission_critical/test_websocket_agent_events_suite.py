"""Mission critical: every agent delivers the five golden-path events to the user who asked."""
import unittest

from netra_backend.app.agents.supervisor.agent_registry import AgentRegistry
from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine
from netra_backend.app.agents.supervisor.pipeline_executor import PipelineExecutor
from netra_backend.app.agents.supervisor.websocket_notifier import WebSocketNotifier
from netra_backend.app.core.emitters import RecordingEmitter
from tests.support import assert_golden_path, context


class AgentEventsSuite(unittest.IsolatedAsyncioTestCase):
    def setUp(self):
        self.emitters = {}
        self.engine = ExecutionEngine(lambda user_id: self.emitters.setdefault(user_id, RecordingEmitter(user_id)))

    async def test_every_agent_delivers_the_golden_path(self):
        for name in AgentRegistry.default().names():
            with self.subTest(agent=name):
                self.emitters.clear()
                outcome = await self.engine.execute(context("alice"), name, "show my cost report data")
                self.assertTrue(outcome["golden_path_complete"], outcome["events"])
                assert_golden_path(self, self.emitters["alice"].event_types())

    async def test_events_carry_the_users_identity(self):
        await self.engine.execute(context("bob", thread_id="t-9"), "data", "usage please")
        for _, message in self.emitters["bob"].events:
            self.assertEqual(message["user_id"], "bob")
            self.assertEqual(message["thread_id"], "t-9")

    async def test_engine_uses_the_ssot_notifier(self):
        await self.engine.execute(context("alice"), "triage", "cost question")
        self.assertIsInstance(self.engine.last_notifier, WebSocketNotifier)

    async def test_pipeline_gives_each_step_its_own_notifier(self):
        emitter = RecordingEmitter()
        results = await PipelineExecutor(emitter).run(context("alice"), [("data", "usage"), ("reporting", "write it up")])
        self.assertEqual(len(results), 2)
        self.assertEqual(emitter.event_types().count("agent_started"), 2)
        self.assertEqual(emitter.event_types().count("agent_completed"), 2)


if __name__ == "__main__":
    unittest.main()
