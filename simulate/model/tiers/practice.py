"""General practice: every practice's appointment book, one working day at a time.

Requests are not objects: each practice keeps a backlog of *counts* indexed by arrival working day
(a ring buffer as long as the longest tolerance), cohort and request type (same-day or routine).
On each working day, today's requests join the backlog; the practice's slots serve it first come
first served (oldest arrival day first; within one day's arrivals in uniformly random order, drawn
as a multivariate hypergeometric split); then every request that has reached its tolerance without
being seen leaves. Waits are counted in working days. All practices advance together as arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulate.inputs.categories import ROUTINE, SAME_DAY


@dataclass
class PracticeDay:
    """What happened at every practice on one working day (arrays [practice, cohort])."""

    served: np.ndarray
    wait_sum: np.ndarray
    leavers_by_type: np.ndarray  # [practice, cohort, type]
    backlog: np.ndarray

    @property
    def leavers(self) -> np.ndarray:
        """Requests that reached their tolerance today, of either type."""
        return self.leavers_by_type.sum(axis=-1)


class GeneralPractice:
    """The backlogs of all practices."""

    def __init__(
        self,
        n_practices: int,
        n_cohorts: int,
        tolerances: tuple[int, int],
        rng: np.random.Generator,
    ):
        self.tolerances = tolerances
        self.span = max(tolerances) + 1
        self.rng = rng
        # backlog[practice, arrival day mod span, cohort, type]
        self.backlog = np.zeros((n_practices, self.span, n_cohorts, 2), dtype=np.int64)
        # working days waited by a request served from each age, oldest first
        self._ages_oldest_first = np.arange(self.span - 1, -1, -1)

    def working_day(self, w: int, arrivals: np.ndarray, slots: np.ndarray) -> PracticeDay:
        """Advance every practice by working day ``w``: arrivals [practice, cohort, type]."""
        span = self.span
        self.backlog[:, w % span] = arrivals
        order = (w - self._ages_oldest_first) % span
        queue = self.backlog[:, order]  # [practice, age (oldest first), cohort, type]
        served = self._serve(queue, slots)
        queue -= served
        self.backlog[:, order] = queue

        per_age = served.sum(axis=3)  # [practice, age, cohort]
        day_served = per_age.sum(axis=1)
        wait_sum = np.einsum("pak,a->pk", per_age, self._ages_oldest_first)

        leavers = np.zeros(day_served.shape + (2,), dtype=np.int64)
        for kind, tolerance in ((SAME_DAY, self.tolerances[0]), (ROUTINE, self.tolerances[1])):
            slot = (w - tolerance) % span
            leavers[..., kind] = self.backlog[:, slot, :, kind]
            self.backlog[:, slot, :, kind] = 0
        return PracticeDay(day_served, wait_sum, leavers, self.backlog.sum(axis=(1, 3)))

    def _serve(self, queue: np.ndarray, slots: np.ndarray) -> np.ndarray:
        """How many of each (age, cohort, type) cell the day's slots serve, oldest first."""
        per_age = queue.sum(axis=(2, 3))  # [practice, age]
        before = np.cumsum(per_age, axis=1) - per_age
        take = np.clip(slots[:, None] - before, 0, per_age)
        served = np.where((take == per_age)[:, :, None, None], queue, 0)
        practices, ages = np.nonzero((take > 0) & (take < per_age))
        if len(practices):
            cells = queue[practices, ages].reshape(len(practices), -1)
            served[practices, ages] = self._random_split(cells, take[practices, ages]).reshape(
                (len(practices),) + queue.shape[2:]
            )
        return served

    def _random_split(self, cells: np.ndarray, take: np.ndarray) -> np.ndarray:
        """A uniformly random ``take`` of each row's requests (rows: counts per cell)."""
        out = np.zeros_like(cells)
        remaining = cells.sum(axis=1)
        for c in range(cells.shape[1] - 1):
            good = cells[:, c]
            out[:, c] = self.rng.hypergeometric(good, remaining - good, take)
            take = take - out[:, c]
            remaining = remaining - good
        out[:, -1] = take
        return out

    @property
    def waiting(self) -> int:
        """Requests still waiting."""
        return int(self.backlog.sum())
