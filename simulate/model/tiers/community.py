"""Community services: district nursing caseloads and intermediate-care (step-down) beds.

**Step-down beds** are where contention with the acute trust matters, so they are event-driven in
the trust's event loop. A patient medically fit for discharge who needs step-down asks for
a bed; beds go first come first served by the time patients became fit. Until one is free the
patient stays in the acute bed: a delayed transfer of care, whose days count both as acute bed days
and as ``delayed_discharge_days``.

**Community nursing** works in days on count arrays, like general practice: referrals join a
waiting list, the caseload admits from it while below capacity (a uniformly random choice among
those waiting when it cannot take all), and each patient on the caseload is discharged on any day
with probability ``1 / episode days`` (a geometric episode, mean ``episode days``).
"""

from __future__ import annotations

from collections import deque

import numpy as np


class StepDown:
    """Intermediate-care beds, fed by acute patients as they become medically fit.

    Plain state (beds busy, patients waiting in acute beds): the acute trust's event loop moves
    patients in and out, since every transfer frees an acute bed at the same moment.
    """

    def __init__(self, beds: int):
        self.capacity = beds
        self.count = 0
        self.queue: deque = deque()  # (fit time, patient), each holding an acute bed

    @property
    def waiting(self) -> int:
        """Patients fit for discharge waiting in acute beds now."""
        return len(self.queue)

    @property
    def occupied(self) -> int:
        """Step-down beds occupied now."""
        return self.count


class CommunityNursing:
    """The district nursing caseload of the community provider, one day at a time."""

    def __init__(self, capacity: int, episode_days: float, shape: tuple, rng: np.random.Generator):
        self.capacity = int(capacity)
        self.discharge_chance = min(1.0, 1.0 / episode_days)
        self.rng = rng
        self.caseload = np.zeros(shape, dtype=np.int64)  # [practice, cohort]
        self.waiting = np.zeros(shape, dtype=np.int64)

    def day(self, referrals: np.ndarray) -> np.ndarray:
        """Discharge, take referrals, admit up to capacity; returns today's admissions."""
        self.caseload -= self.rng.binomial(self.caseload, self.discharge_chance)
        self.waiting += referrals
        room = self.capacity - int(self.caseload.sum())
        wanting = int(self.waiting.sum())
        if wanting <= room:
            admitted = self.waiting.copy()
        else:
            chosen = self.rng.multivariate_hypergeometric(self.waiting.ravel(), max(room, 0))
            admitted = chosen.reshape(self.waiting.shape)
        self.waiting -= admitted
        self.caseload += admitted
        return admitted
