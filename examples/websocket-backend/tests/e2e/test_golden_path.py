"""End to end: a user connects, asks, and sees the five golden-path events in order."""
import unittest

from netra_backend.app.main import App
from tests.support import GOLDEN_PATH


class GoldenPath(unittest.IsolatedAsyncioTestCase):
    async def test_chat_turn(self):
        app = App()
        connection = app.manager.connect("alice")
        thread_id = app.threads.create("alice", "costs")
        await app.router.dispatch({"type": "user_message", "thread_id": thread_id, "text": "why did my cost go up?"}, user_id="alice")
        self.assertEqual([message["type"] for message in connection.outbox], GOLDEN_PATH)
        self.assertTrue(app.engine.last_notifier.validate_golden_path_complete())


if __name__ == "__main__":
    unittest.main()
