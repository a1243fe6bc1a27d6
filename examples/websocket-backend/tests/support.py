"""Small helpers shared by the test suites."""
from netra_backend.app.core.execution_context import UserExecutionContext

GOLDEN_PATH = ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"]


def context(user_id="alice", thread_id="thread-1", agent_name="supervisor"):
    return UserExecutionContext(user_id=user_id, thread_id=thread_id, agent_name=agent_name)


def assert_golden_path(test, event_types):
    """The five events, each present, in golden-path order (tools may run more than once)."""
    test.assertEqual(event_types[:2], GOLDEN_PATH[:2], event_types)
    test.assertEqual(event_types[-1], "agent_completed", event_types)
    for name in GOLDEN_PATH:
        test.assertIn(name, event_types)
    test.assertLess(event_types.index("tool_executing"), event_types.index("tool_completed"), event_types)
