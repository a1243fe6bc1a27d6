"""Emitters deliver one event to one user's connection(s). Notifiers never talk to sockets directly."""


class RecordingEmitter:
    """Keeps every event it is given; used by tests and by the offline demo server."""

    def __init__(self, name="recording"):
        self.name = name
        self.events = []

    async def emit(self, event_type, payload):
        self.events.append((event_type, dict(payload)))
        return True

    def event_types(self):
        return [event_type for event_type, _ in self.events]


class FlakyEmitter(RecordingEmitter):
    """Fails the first `failures` attempts, then records like RecordingEmitter."""

    def __init__(self, failures, name="flaky"):
        super().__init__(name)
        self.failures = failures
        self.attempts = 0

    async def emit(self, event_type, payload):
        self.attempts += 1
        if self.attempts <= self.failures:
            raise ConnectionError(f"{self.name}: socket closed (attempt {self.attempts})")
        return await super().emit(event_type, payload)


class NullEmitter:
    """Drops everything; for background jobs that have no user connection to report to."""

    async def emit(self, event_type, payload):
        return True
