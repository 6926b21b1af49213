"""Two queues of mental-health care: liaison psychiatry at A&E and the mental-health beds.

**Liaison psychiatry** is a team of practitioners on duty round the clock at one A&E
(:class:`Liaison`): referrals are assessed first come first served by referral time, by whichever
practitioner frees first, so a short team makes people wait (M/G/c; with exponential referrals
and assessments, Erlang C). **Mental-health beds** are a loss system (:class:`LossBeds`): a
patient to be admitted takes a free local bed, and with none free is placed out of area for the
stay, so the share placed out of area is Erlang B's blocking probability when admissions are
Poisson. Both keep their state (when each practitioner frees, when each bed's patient leaves)
from month to month; times are in days.
"""

from __future__ import annotations

import heapq

import numpy as np


class Liaison:
    """A liaison psychiatry team at one A&E: ``servers`` practitioners, first come first served."""

    def __init__(self, servers: int):
        self.servers = servers
        self._free = [0.0] * servers  # a heap: when each practitioner is next free (days)

    def serve(self, referred: np.ndarray, assessment: np.ndarray) -> np.ndarray:
        """When each referral's assessment starts: ``referred`` sorted, durations in days."""
        free, starts = self._free, np.empty(len(referred))
        replace = heapq.heapreplace
        for i, (at, takes) in enumerate(zip(referred.tolist(), assessment.tolist())):
            start = at if at > free[0] else free[0]
            starts[i] = start
            replace(free, start + takes)
        return starts

    def busy_at(self, day: float) -> int:
        """Practitioners still assessing (or booked) at ``day``."""
        return sum(f > day for f in self._free)


class LossBeds:
    """Local mental-health beds: admitted if one is free, else placed out of area (a loss)."""

    def __init__(self, beds: int):
        self.capacity = beds
        self._leaving: list[float] = []  # a heap: when each occupied bed's patient leaves

    def fill(self, leaving: np.ndarray) -> None:
        """Beds occupied at the start, by patients leaving at ``leaving`` (days)."""
        for at in leaving.tolist()[: self.capacity]:
            heapq.heappush(self._leaving, at)

    def admit(self, times: np.ndarray, stays: np.ndarray) -> np.ndarray:
        """Which requests at ``times`` (sorted, days) found a local bed for ``stays`` days."""
        leaving, local = self._leaving, np.zeros(len(times), dtype=bool)
        push, pop = heapq.heappush, heapq.heappop
        for i, (at, stay) in enumerate(zip(times.tolist(), stays.tolist())):
            while leaving and leaving[0] <= at:
                pop(leaving)
            if len(leaving) < self.capacity:
                push(leaving, at + stay)
                local[i] = True
        return local

    def occupied_at(self, day: float) -> int:
        """Local beds occupied at ``day`` (by the admissions so far)."""
        return sum(t > day for t in self._leaving)
