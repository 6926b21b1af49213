"""The practices' appointment book: every practice's backlog, one working day at a time.

Requests are not objects: each practice keeps a backlog of *counts* indexed by arrival working day
(a ring buffer as long as the longest tolerance), cohort and request type (same-day or routine).
On each working day, today's requests join the backlog; the practice's slots serve it first come
first served (oldest arrival day first; within one day's arrivals in uniformly random order, drawn
as a multivariate hypergeometric split); then requests not yet seen leave by the patient's patience.
Waits are counted in working days. All practices advance together as arrays.

**Patience.** A tolerance given as a number is a cliff: every request of that type leaves once it
has waited that many working days. Given as a distribution of patience ``T`` (working days), a
request still waiting at age ``a`` leaves that day with chance ``(S(a-1) - S(a)) / S(a-1)``,
``S(t) = P(T > t)``, so with no capacity the share gone by day ``d`` is ``1 - S(d)`` (e.g.
``1 - exp(-d / mean)`` for exponential patience); the book ends where ``S`` falls below 1/1,000,
and whoever is left then leaves.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class PracticeDay:
    """What happened at every practice on one working day (arrays [practice, cohort])."""

    served: np.ndarray
    wait_sum: np.ndarray
    leavers_by_type: np.ndarray  # [practice, cohort, type]
    backlog: np.ndarray
    served_by_wait: np.ndarray | None = None  # [practice, wait (oldest first), cohort]
    waits: np.ndarray | None = None  # working days waited of ``served_by_wait``'s rows

    @property
    def leavers(self) -> np.ndarray:
        """Requests that reached their tolerance today, of either type."""
        return self.leavers_by_type.sum(axis=-1)


class GeneralPractice:
    """The backlogs of all practices.

    Most requests are seen within a day or two, so the book's old ages are nearly always empty:
    each day works on the youngest ages that can hold anyone (:attr:`depth` of them yesterday,
    one older today), not on the whole book. Every count it leaves out is zero, so the sums are
    the same, and the random draws too: a binomial of nobody draws nothing.
    """

    def __init__(
        self,
        n_practices: int,
        n_cohorts: int,
        tolerances: tuple,
        rng: np.random.Generator,
        patience_rng: np.random.Generator | None = None,
    ):
        self.tolerances = tolerances
        self.leave_chance = leave_chances(tolerances)  # [age, type]
        self.span = len(self.leave_chance)
        self.rng = rng
        self.patience_rng = patience_rng if patience_rng is not None else rng
        # backlog[practice, arrival day mod span, cohort, type]
        self.backlog = np.zeros((n_practices, self.span, n_cohorts, 2), dtype=np.int64)
        # working days waited by a request served from each age, oldest first
        self._ages_oldest_first = np.arange(self.span - 1, -1, -1)
        # the (age, type) cells where requests may leave, and those that leave by a draw
        self._leaving = np.nonzero(self.leave_chance)
        chances = self.leave_chance[self._leaving]
        self._drawn = chances < 1
        self._chances = chances[self._drawn]
        self.depth = 0  # ages (youngest first) that held anyone at the end of the last day
        self._next = 0  # the working day that follows it

    def working_day(self, w: int, arrivals: np.ndarray, slots: np.ndarray) -> PracticeDay:
        """Advance every practice by working day ``w``: arrivals [practice, cohort, type]."""
        span = self.span
        self.backlog[:, w % span] = arrivals
        ages = self._ages_today(w)  # oldest first
        order = (w - ages) % span
        queue = self.backlog[:, order]  # [practice, age (oldest first), cohort, type]
        served = self._serve(queue, slots)
        queue -= served
        self.backlog[:, order] = queue

        per_age = served.sum(axis=3)  # [practice, age, cohort]
        day_served = per_age.sum(axis=1)
        wait_sum = np.einsum("pak,a->pk", per_age, ages)

        leavers = self._leave(w, len(ages))
        left = self.backlog[:, order]
        backlog = left.sum(axis=(1, 3))
        held = np.flatnonzero(left.any(axis=(0, 2, 3)))
        self.depth, self._next = (len(ages) - held[0] if len(held) else 0), w + 1
        return PracticeDay(day_served, wait_sum, leavers, backlog, per_age, ages)

    def _ages_today(self, w: int) -> np.ndarray:
        """Ages (working days, oldest first) that may hold requests on day ``w``.

        Yesterday's :attr:`depth` ages, a day older, and today's arrivals; the whole book if the
        days were not consecutive.
        """
        depth = self.depth + 1 if w == self._next else self.span
        return self._ages_oldest_first[-min(depth, self.span) :]

    def _leave(self, w: int, depth: int) -> np.ndarray:
        """Requests whose patient's patience ran out today, [practice, cohort, type].

        Every (age, type) with a chance of leaving at once: one draw of all those cells, in the
        order (age, type, practice, cohort) in which one draw per (age, type) took them. Only
        ages under ``depth`` can hold anyone; the cells left out would draw nothing.
        """
        book = self.backlog
        ages, kinds = self._leaving
        young = ages < depth
        ages, kinds, drawn = ages[young], kinds[young], self._drawn[young]
        slots = (w - ages) % self.span
        cells = book[:, slots, :, kinds]  # [age and type, practice, cohort]
        gone = cells.copy()  # a chance of 1: all leave
        if drawn.any():
            chances = self._chances[young[self._drawn]]
            gone[drawn] = self.patience_rng.binomial(cells[drawn], chances[:, None, None])
        book[:, slots, :, kinds] = cells - gone
        leavers = np.zeros((book.shape[0], book.shape[2], 2), dtype=np.int64)
        for kind in range(2):
            leavers[..., kind] = gone[kinds == kind].sum(axis=0)
        return leavers

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


def leave_chances(tolerances: tuple) -> np.ndarray:
    """Chance [age, type] that a request still waiting at each age (working days) leaves then.

    A number is a cliff at that age; a distribution gives ``(S(a-1) - S(a)) / S(a-1)``, up to the
    age where ``S`` falls below 1/1,000 (at most 60), where the rest leave.
    """
    spans = []
    for tolerance in tolerances:
        if isinstance(tolerance, int | np.integer):
            spans.append(int(tolerance) + 1)
        else:
            ages = np.arange(61)
            spans.append(int(np.argmax(tolerance.survival(ages) < 1e-3) or 60) + 1)
    span = max(spans)
    chance = np.zeros((span, len(tolerances)))
    for kind, (tolerance, end) in enumerate(zip(tolerances, spans)):
        if isinstance(tolerance, int | np.integer):
            chance[end - 1, kind] = 1.0
            continue
        alive = tolerance.survival(np.arange(-1, end))  # S(a - 1) for a = 0 .. end
        with np.errstate(divide="ignore", invalid="ignore"):
            chance[:end, kind] = np.where(alive[:-1] > 0, 1 - alive[1:] / alive[:-1], 1.0)
        chance[end - 1, kind] = 1.0
    return chance
