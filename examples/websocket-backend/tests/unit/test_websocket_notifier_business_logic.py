"""Unit: the notifier's rules — validation, retries, golden-path tracking, the standard protocol."""
import inspect
import unittest

from netra_backend.app.agents.audited_notifier import AuditedNotifier
from netra_backend.app.agents.corpus_admin_agent import notifier_factories
from netra_backend.app.core.emitters import FlakyEmitter, RecordingEmitter
from netra_backend.app.services import notification_service
from netra_backend.app.services.websocket_notifier import WebSocketNotifier
from netra_backend.app.services.websocket_protocol import WebSocketNotifierProtocol
from tests.support import context

PROTOCOL_METHODS = ["send_agent_started", "send_agent_thinking", "send_tool_executing", "send_tool_completed", "send_agent_completed"]


class Validation(unittest.TestCase):
    def test_requires_an_execution_context(self):
        with self.assertRaises(ValueError):
            WebSocketNotifier(RecordingEmitter(), None)

    def test_requires_an_emitter(self):
        with self.assertRaisesRegex(ValueError, "emitter"):
            WebSocketNotifier(None, context())

    def test_factory_requires_a_user(self):
        with self.assertRaisesRegex(ValueError, "user"):
            WebSocketNotifier.create_for_user(RecordingEmitter(), context(user_id=""))


class Delivery(unittest.IsolatedAsyncioTestCase):
    async def test_retries_a_flaky_connection(self):
        emitter = FlakyEmitter(failures=2)
        notifier = WebSocketNotifier.create_for_user(emitter, context())
        self.assertTrue(await notifier.send_agent_started(context(), "triage"))
        self.assertEqual(emitter.attempts, 3)

    async def test_gives_up_after_max_retries(self):
        notifier = WebSocketNotifier.create_for_user(FlakyEmitter(failures=10), context())
        with self.assertLogs("netra_backend.app.services.agent_websocket_bridge", "CRITICAL"):
            with self.assertRaises(ConnectionError):
                await notifier.send_agent_started(context(), "triage")
        self.assertEqual(notifier.sent_events(), [])

    async def test_tracks_the_golden_path(self):
        ctx = context()
        notifier = WebSocketNotifier.create_for_user(RecordingEmitter(), ctx)
        await notifier.send_agent_started(ctx, "data")
        await notifier.send_agent_thinking(ctx, "hm")
        self.assertFalse(notifier.validate_golden_path_complete())
        self.assertEqual(notifier.missing_golden_path_events(), ["tool_executing", "tool_completed", "agent_completed"])
        await notifier.send_tool_executing(ctx, "query_usage")
        await notifier.send_tool_completed(ctx, {"rows": 1})
        await notifier.send_agent_completed(ctx, {"summary": "done"})
        self.assertTrue(notifier.validate_golden_path_complete())

    async def test_audited_notifier_is_a_notifier_that_audits(self):
        log = []
        ctx = context()
        notifier = AuditedNotifier(RecordingEmitter(), ctx, log)
        self.assertIsInstance(notifier, WebSocketNotifier)
        await notifier.send_agent_started(ctx, "triage")
        self.assertEqual(log, [{"event": "agent_started", "user_id": "alice", "delivered": True}])

    def test_admin_console_factories_build_notifiers(self):
        notifier = notifier_factories()["default"](RecordingEmitter(), context("carol"))
        self.assertEqual(notifier.user_id, "carol")


class Protocol(unittest.TestCase):
    def test_implements_the_standard_protocol(self):
        notifier = WebSocketNotifier.create_for_user(RecordingEmitter(), context())
        self.assertIsInstance(notifier, WebSocketNotifierProtocol)
        for name in PROTOCOL_METHODS:
            with self.subTest(method=name):
                ours = inspect.signature(getattr(WebSocketNotifier, name))
                standard = inspect.signature(getattr(WebSocketNotifierProtocol, name))
                self.assertEqual(list(ours.parameters), list(standard.parameters))
                self.assertTrue(inspect.iscoroutinefunction(getattr(WebSocketNotifier, name)))

    def test_migration_hints_keep_their_wording(self):
        # These strings document the old and new call style; a migration must not rewrite them.
        self.assertTrue(notification_service.DEPRECATION_MESSAGE.startswith("WebSocketNotifier(emitter, ctx) is deprecated"))
        self.assertEqual(notification_service.MIGRATION_HINTS["before"], "notifier = WebSocketNotifier(emitter, exec_context)")


if __name__ == "__main__":
    unittest.main()
