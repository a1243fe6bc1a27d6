"""
AgentWebSocketBridge: the single source of truth (SSOT) for agent WebSocket notifications.

Canonical import, the only one:

    from netra_backend.app.services.agent_websocket_bridge import WebSocketNotifier

Get a notifier with ``WebSocketNotifier.create_for_user(emitter, exec_context)``. It validates the
user context and tracks the instance per user, so that a user's session can be released in one
call and no state is ever shared between users. Calling the constructor directly outside this
module bypasses both and is being removed (SSOT remediation, phase 2).
"""
import asyncio
import logging
import threading
import warnings

from netra_backend.app.core import events

logger = logging.getLogger(__name__)


class _NotifierRegistry:
    """Live notifiers per user. Instance state only: nothing here is shared across users."""

    def __init__(self):
        self._lock = threading.Lock()
        self._by_user = {}

    def track(self, notifier):
        with self._lock:
            self._by_user.setdefault(notifier.user_id, []).append(notifier)

    def for_user(self, user_id):
        with self._lock:
            return list(self._by_user.get(user_id, ()))

    def release_user(self, user_id):
        with self._lock:
            return len(self._by_user.pop(user_id, ()))


_registry = _NotifierRegistry()


def _require_user_context(exec_context):
    if exec_context is None or not getattr(exec_context, "user_id", None):
        raise ValueError("Invalid user context for WebSocketNotifier creation: user_id is required")


class WebSocketNotifier:
    """SSOT WebSocket notifier: one instance per user execution, with golden-path event tracking."""

    MAX_RETRIES = 3
    RETRY_BASE_DELAY = 0.001

    def __init__(self, emitter, exec_context):
        if not emitter:
            raise ValueError("WebSocketNotifier requires a valid emitter")
        if not exec_context:
            raise ValueError("WebSocketNotifier requires a valid execution context")
        self.emitter = emitter
        self.exec_context = exec_context
        self._user_id = getattr(exec_context, "user_id", None)
        if not self._user_id:
            raise ValueError("WebSocketNotifier requires user_id in execution context")
        # Per instance, never per class: a class-level dict here was the cross-user leak of issue #216.
        self._event_tracker = {name: False for name in events.GOLDEN_PATH_EVENTS}
        self._sent = []

    @classmethod
    def create_for_user(cls, emitter, exec_context):
        """Factory method enforcing user context validation; the supported way to get a notifier."""
        _require_user_context(exec_context)
        # The one direct instantiation allowed in the code base: the factory itself.
        notifier = WebSocketNotifier(emitter, exec_context)
        _registry.track(notifier)
        return notifier

    @staticmethod
    def active_for_user(user_id):
        return _registry.for_user(user_id)

    @staticmethod
    def release_user(user_id):
        """End of a user's session: forget their notifiers. Returns how many were released."""
        return _registry.release_user(user_id)

    @property
    def user_id(self):
        return self._user_id

    # ---- the standard protocol (see websocket_protocol.WebSocketNotifierProtocol) --------------

    async def send_agent_started(self, exec_context, agent_name: str) -> bool:
        return await self._emit_with_tracking(events.AGENT_STARTED, exec_context, {"agent_name": agent_name})

    async def send_agent_thinking(self, exec_context, message: str) -> bool:
        return await self._emit_with_tracking(events.AGENT_THINKING, exec_context, {"message": message})

    async def send_tool_executing(self, exec_context, tool_name: str) -> bool:
        return await self._emit_with_tracking(events.TOOL_EXECUTING, exec_context, {"tool_name": tool_name})

    async def send_tool_completed(self, exec_context, tool_result: dict) -> bool:
        return await self._emit_with_tracking(events.TOOL_COMPLETED, exec_context, {"result": dict(tool_result)})

    async def send_agent_completed(self, exec_context, result: dict) -> bool:
        return await self._emit_with_tracking(events.AGENT_COMPLETED, exec_context, {"result": dict(result)})

    # ---- deprecated aliases: remove once every caller uses the protocol names ------------------
    async def send_tool_started(self, exec_context, tool_name):
        warnings.warn("send_tool_started is deprecated; use send_tool_executing", DeprecationWarning, stacklevel=2)
        return await self.send_tool_executing(exec_context, tool_name)

    async def send_agent_finished(self, exec_context, result):
        warnings.warn("send_agent_finished is deprecated; use send_agent_completed", DeprecationWarning, stacklevel=2)
        return await self.send_agent_completed(exec_context, result)
    # ---- end of deprecated aliases ----

    # ---- golden path ---------------------------------------------------------------------------

    def sent_events(self):
        return list(self._sent)

    def validate_golden_path_complete(self) -> bool:
        """All five critical events were delivered for this run."""
        return all(self._event_tracker.values())

    def missing_golden_path_events(self):
        return [name for name, sent in self._event_tracker.items() if not sent]

    async def _emit_with_tracking(self, event_type, exec_context, payload) -> bool:
        if getattr(exec_context, "user_id", None) != self._user_id:
            # Never deliver one user's event through another user's notifier.
            raise PermissionError(f"notifier of user {self._user_id!r} refused an event for another user")
        message = {
            "type": event_type,
            "user_id": self._user_id,
            "thread_id": exec_context.thread_id,
            "run_id": exec_context.run_id,
            **payload,
        }
        success = await self._emit_with_retry(event_type, message, critical_event=event_type in events.CRITICAL_EVENTS)
        if success:
            self._sent.append(event_type)
            if event_type in self._event_tracker:
                self._event_tracker[event_type] = True
        return success

    async def _emit_with_retry(self, event_type, message, max_retries=None, critical_event=False) -> bool:
        """Deliver with exponential backoff; a critical event that cannot be delivered is logged loudly."""
        attempts = max_retries or self.MAX_RETRIES
        for attempt in range(attempts):
            try:
                if await self.emitter.emit(event_type, message):
                    return True
            except Exception as error:  # the emitter's transport failed; retry
                if attempt == attempts - 1:
                    if critical_event:
                        logger.critical("CRITICAL WebSocket event failed: %s, error: %s", event_type, error)
                    raise
            await asyncio.sleep(2 ** attempt * self.RETRY_BASE_DELAY)
        return False
