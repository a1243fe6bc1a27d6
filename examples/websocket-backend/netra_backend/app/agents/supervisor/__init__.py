"""The supervisor: picks an agent for a request and runs it with a per-user notifier."""
