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
        self.set_episode_days(episode_days)
        self.rng = rng
        self.caseload = np.zeros(shape, dtype=np.int64)  # [practice, cohort]
        self.waiting = np.zeros(shape, dtype=np.int64)

    def set_episode_days(self, episode_days: float) -> None:
        """The mean episode from now on: each day's discharge chance is its inverse."""
        self.discharge_chance = min(1.0, 1.0 / episode_days)

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


class EventCommunity:
    """Community services as a tier: the month's nursing referrals drawn at once, then the days.

    (Step-down beds are part of the acute trust's event loop, since each transfer frees an acute
    bed at the same moment; see :class:`StepDown`.)
    """

    def __init__(self, place, spec, streams, collector):
        self.nursing = CommunityNursing(
            place.spec.community.nursing_caseload,
            spec.community.nursing_episode_days,
            place.registered.shape,
            streams["community.nursing"],
        )
        self.streams, self.collector = streams, collector

    def enter(self, month) -> None:
        """The month's episode length and visits, and its referrals, day by day."""
        community = month.spec.community
        self.nursing.set_episode_days(community.nursing_episode_days)
        self.visits_per_day = community.nursing_visits_per_week / 7.0
        self.first = month.first
        nursing = self.nursing
        self.referrals = self.streams["community.referrals"].poisson(
            month.demand.nursing_referrals, (month.days,) + nursing.caseload.shape
        )
        self.idle = not (self.referrals.any() or nursing.caseload.any() or nursing.waiting.any())
        if self.idle:  # nobody referred, on the caseload or waiting: the days draw, change nothing
            nobody = nursing.caseload
            self.collector.community_day(
                month.first,
                referrals=nobody,
                admitted=nobody,
                caseload=nobody,
                waiting=nobody,
                contacts=nobody,
            )

    def day(self, day: int) -> None:
        """One day of district nursing (none in a month when nobody is in the service)."""
        if self.idle:
            return
        referrals = self.referrals[day - self.first]
        nursing = self.nursing
        admitted = nursing.day(referrals)
        self.collector.community_day(
            day,
            referrals=referrals,
            admitted=admitted,
            caseload=nursing.caseload,
            waiting=nursing.waiting,
            contacts=nursing.caseload * self.visits_per_day,
        )

    def ledger(self) -> dict[str, int]:
        """Patients waiting for, and on, the caseload at the end."""
        return {
            "nursing_waiting_at_end": int(self.nursing.waiting.sum()),
            "nursing_caseload_at_end": int(self.nursing.caseload.sum()),
        }


class FluidCommunity:
    """District nursing as a fluid balance: admissions up to capacity, discharge ``1/episode``."""

    def __init__(self, place, collector):
        shape = place.registered.shape
        self.capacity = place.spec.community.nursing_caseload
        self.caseload, self.waiting = np.zeros(shape), np.zeros(shape)
        self.collector = collector

    def enter(self, month) -> None:
        """The month's discharge chance, visits and expected referrals per day."""
        community = month.spec.community
        self.discharge = min(1.0, 1.0 / community.nursing_episode_days)
        self.visits_per_day = community.nursing_visits_per_week / 7.0
        self.referrals = month.demand.nursing_referrals

    def day(self, day: int) -> None:
        """One day's expected discharges, referrals and admissions."""
        self.caseload -= self.caseload * self.discharge
        self.waiting += self.referrals
        room = max(self.capacity - self.caseload.sum(), 0.0)
        wanting = self.waiting.sum()
        admitted = self.waiting * (min(1.0, room / wanting) if wanting > 0 else 0.0)
        self.waiting -= admitted
        self.caseload += admitted
        self.collector.community_day(
            day,
            referrals=self.referrals,
            admitted=admitted,
            caseload=self.caseload,
            waiting=self.waiting,
            contacts=self.caseload * self.visits_per_day,
        )

    def ledger(self) -> dict[str, int]:
        """The fluid balance keeps no patients to account for."""
        return {}
