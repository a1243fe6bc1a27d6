"""Per-request execution context: which user an agent runs for, and in which thread."""
import itertools
from dataclasses import dataclass, field

_run_ids = itertools.count(1)


@dataclass(frozen=True)
class UserExecutionContext:
    """Everything a notifier needs to route an event to exactly one user."""

    user_id: str
    thread_id: str
    run_id: str = field(default_factory=lambda: f"run-{next(_run_ids):05d}")
    agent_name: str = "supervisor"

    def for_agent(self, agent_name):
        """The same user, thread and run, seen from a sub-agent."""
        return UserExecutionContext(self.user_id, self.thread_id, self.run_id, agent_name)
