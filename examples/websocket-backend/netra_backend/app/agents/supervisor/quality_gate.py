"""Checks an agent's answer before the supervisor hands it to the user."""
from netra_backend.app.agents.supervisor.websocket_notifier import WebSocketNotifier

MIN_ANSWER_LENGTH = 8


async def review_answer(emitter, exec_context, answer):
    notifier = WebSocketNotifier(emitter,
                                 exec_context)  # legacy call style, split over two lines
    ok = len(str(answer.get("summary", ""))) >= MIN_ANSWER_LENGTH
    await notifier.send_agent_thinking(exec_context, "answer accepted" if ok else "answer too short, retrying")
    return ok
