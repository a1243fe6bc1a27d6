"""Chat threads: a user's conversation history."""
import itertools

from netra_backend.app.services.websocket_notifier import WebSocketNotifier

_thread_ids = itertools.count(1)


class ThreadService:
    def __init__(self):
        self._threads = {}

    def create(self, user_id, title):
        thread_id = f"thread-{next(_thread_ids)}"
        self._threads[thread_id] = {"user_id": user_id, "title": title, "messages": []}
        return thread_id

    def add_message(self, thread_id, role, text):
        self._threads[thread_id]["messages"].append({"role": role, "text": text})

    def messages(self, thread_id):
        return list(self._threads[thread_id]["messages"])

    def owner(self, thread_id):
        return self._threads[thread_id]["user_id"]

    async def announce_title(self, emitter, exec_context, thread_id):
        notifier = WebSocketNotifier(emitter, exec_context)
        await notifier.send_agent_thinking(exec_context, f"thread renamed: {self._threads[thread_id]['title']}")
