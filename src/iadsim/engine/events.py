"""Timed events (launches, kill assessments) on a heap with deterministic tie-breaking."""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Any


@dataclass(order=True)
class TimedEvent:
    """An event due at ``time_s``; equal times pop in the order they were scheduled."""

    time_s: float
    sequence: int
    kind: str = field(compare=False)
    payload: Any = field(compare=False)


class EventHeap:
    """Min-heap of :class:`TimedEvent` by (time, scheduling order)."""

    def __init__(self) -> None:
        self._heap: list[TimedEvent] = []
        self._sequence = 0

    def __len__(self) -> int:
        return len(self._heap)

    def schedule(self, time_s: float, kind: str, payload: Any) -> None:
        """Add an event."""
        heapq.heappush(self._heap, TimedEvent(time_s, self._sequence, kind, payload))
        self._sequence += 1

    def pop_due(self, until_s: float) -> list[TimedEvent]:
        """Remove and return, in order, every event due before ``until_s``."""
        due = []
        while self._heap and self._heap[0].time_s < until_s:
            due.append(heapq.heappop(self._heap))
        return due
