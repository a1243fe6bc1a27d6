"""WebSocket event names. Use these constants; do not spell the strings out."""

AGENT_STARTED = "agent_started"
AGENT_THINKING = "agent_thinking"
TOOL_EXECUTING = "tool_executing"
TOOL_COMPLETED = "tool_completed"
AGENT_COMPLETED = "agent_completed"

#: The five events every agent run must deliver, in this order, for the chat UI to work.
GOLDEN_PATH_EVENTS = (AGENT_STARTED, AGENT_THINKING, TOOL_EXECUTING, TOOL_COMPLETED, AGENT_COMPLETED)

#: Events whose loss breaks the user's view of a run; they are retried harder and logged loudly.
CRITICAL_EVENTS = frozenset({AGENT_STARTED, AGENT_COMPLETED})
