"""Counts delivered events per type. Still spells event names out (a known leftover, see SSOT report)."""
from collections import Counter

from netra_backend.app.services.websocket_notifier import WebSocketNotifier

FUNNEL = ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"]


def funnel(events):
    counts = Counter(events)
    return [(name, counts.get(name, 0)) for name in FUNNEL]


def completion_rate(events):
    counts = Counter(events)
    started = counts.get("agent_started", 0)
    return 1.0 if started == 0 else counts.get("agent_completed", 0) / started


def metrics_for(notifier: WebSocketNotifier):
    return dict(funnel(notifier.sent_events()))
