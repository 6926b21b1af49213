"""Delays on count arrays: a stage patients leave a whole number of midnights after entering.

A patient enters at a uniformly random moment ``U`` of day ``t`` and stays a duration ``W``; the
stage counts them at ``floor(U + W)`` midnights and lets them go on day ``t + floor(U + W)``.
Since ``E[floor(U + x)] = x`` for every ``x``, the midnight census of a stage fed ``λ`` patients a
day has mean exactly ``λ E[W]`` whatever the shape of ``W`` (the M/G/∞ queue, and Little's law),
and a census summed over days is the stage's patient-days. The event line draws ``U + W`` for
each patient; the fluid line spreads expected counts over the same days by
``P(floor(U + W) = d)`` (:func:`day_pmf`), so the two agree in expectation exactly.
"""

from __future__ import annotations

import numpy as np

HORIZON = 512
"""Days a delay line looks ahead; longer delays end on the last day (counted, never lost)."""
STEPS = 64
"""Points per day at which :func:`day_pmf` integrates the survival function."""


def day_pmf(duration, horizon: int = HORIZON) -> np.ndarray:
    """``P(floor(U + W) = d)`` for ``d = 0 .. horizon - 1``, ``U`` uniform on [0, 1).

    ``P(floor(U + W) >= d) = ∫ S(t) dt`` over ``[d - 1, d]`` (``S`` the survival function of
    ``W``), integrated by the midpoint rule; the last day holds the tail beyond the horizon.
    """
    t = (np.arange(horizon * STEPS) + 0.5) / STEPS
    beyond = duration.survival(t).reshape(horizon, STEPS).mean(axis=1)  # P(>= d + 1)
    at_least = np.concatenate([[1.0], beyond])
    pmf = at_least[:-1] - at_least[1:]
    pmf[-1] += at_least[-1]
    return pmf


class DelayLine:
    """Patients [practice, cohort] in a stage, each leaving on the day its delay ends.

    ``rng`` given: whole patients, each with its own draw (the event tiers); ``rng`` None:
    expected numbers spread by :func:`day_pmf` (the fluid tiers).
    """

    def __init__(self, duration, shape: tuple, rng: np.random.Generator | None = None):
        self.duration, self.rng = duration, rng
        dtype = np.int64 if rng is not None else float
        self.ahead = np.zeros((HORIZON, int(np.prod(shape))), dtype=dtype)  # a ring by day
        self.inside = np.zeros(shape, dtype=dtype)
        self.pmf = day_pmf(duration) if rng is None else None
        self.today = 0  # the ring's row for today

    def add(self, counts: np.ndarray) -> None:
        """Patients entering today; each leaves ``floor(U + W)`` days from now."""
        rows = (self.today + np.arange(HORIZON)) % HORIZON
        if self.rng is None:
            self.ahead[rows] += self.pmf[:, None] * counts.ravel()[None, :]
        else:
            cells = np.repeat(np.arange(counts.size), counts.ravel())
            u = self.rng.random(len(cells))
            days = np.floor(u + self.duration.sample(self.rng, len(cells))).astype(np.int64)
            np.add.at(self.ahead, (rows[np.minimum(days, HORIZON - 1)], cells), 1)
        self.inside += counts

    @property
    def empty(self) -> bool:
        """Whether nobody is in the stage (nor due to leave it)."""
        return not (self.inside.any() or self.ahead.any())

    def leave(self) -> np.ndarray:
        """Patients whose delay ends today (after today's entries); the day moves on."""
        out = self.ahead[self.today].reshape(self.inside.shape).copy()
        self.ahead[self.today] = 0
        self.today = (self.today + 1) % HORIZON
        self.inside -= out
        return out
