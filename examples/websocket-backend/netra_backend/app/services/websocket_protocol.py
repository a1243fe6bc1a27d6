"""The standard interface every WebSocket notifier implements (SSOT remediation, phase 3)."""
from typing import Any, Dict, Protocol, runtime_checkable


@runtime_checkable
class WebSocketNotifierProtocol(Protocol):
    """Standard interface for WebSocket notifiers."""

    async def send_agent_started(self, exec_context, agent_name: str) -> bool:
        """Send agent started event."""
        ...

    async def send_agent_thinking(self, exec_context, message: str) -> bool:
        """Send agent thinking event."""
        ...

    async def send_tool_executing(self, exec_context, tool_name: str) -> bool:
        """Send tool executing event."""
        ...

    async def send_tool_completed(self, exec_context, tool_result: Dict[str, Any]) -> bool:
        """Send tool completed event."""
        ...

    async def send_agent_completed(self, exec_context, result: Dict[str, Any]) -> bool:
        """Send agent completed event."""
        ...
