"""POST /agents/<name>/run — runs an agent and returns the events it sent."""
from netra_backend.app.core.emitters import RecordingEmitter
from netra_backend.app.core.execution_context import UserExecutionContext
from netra_backend.app.websocket_core.websocket_notifier import WebSocketNotifier


async def run_agent_route(agent_service, user_id, agent_name, body):
    result = await agent_service.run_agent(user_id, body.get("thread_id", "thread-http"), agent_name, body["request"])
    return {"status": 200, "body": result}


async def dry_run_route(user_id, body):
    """Shows the events a run would send, without any connection."""
    exec_context = UserExecutionContext(user_id=user_id, thread_id="dry-run")
    emitter = RecordingEmitter("dry-run")
    notifier = WebSocketNotifier(emitter, exec_context)
    await notifier.send_agent_started(exec_context, body.get("agent", "triage"))
    return {"status": 200, "body": {"events": emitter.event_types()}}
