"""The federation's extended-access hub: same-day appointments, every day, no backlog.

Referrals made by the federation's practices on one day are seen at the hub the next day. If there
are more than the day's appointments, a uniformly random subset is seen (a multivariate
hypergeometric draw across practices and cohorts) and the rest go to A&E the same day.

The hub owns its conversion of commissioned time into capacity: ``minutes per 1,000 registered
patients per week`` × the federation's list ÷ 1,000 ÷ minutes per appointment ÷ 7 appointments a
day, given in whole slots by :func:`~simulate.model.tiers.capacity.slots_on` (event) or as the
expected number (fluid, where a day's referrals are seen in proportion ``min(1, slots/referrals)``).
"""

from __future__ import annotations

import numpy as np

from simulate.model.tiers.capacity import slots_on


def federations(federation_of_practice: list[str]) -> tuple[list[str], list[np.ndarray]]:
    """Federation codes (sorted) and the practices (indices) of each."""
    codes = sorted(set(federation_of_practice))
    members = [
        np.array([i for i, f in enumerate(federation_of_practice) if f == code]) for code in codes
    ]
    return codes, members


class _Hubs:
    """What both hub tiers share: the federations and their commissioned time."""

    def __init__(self, place, collector):
        self.codes, self.members = federations(place.federation_of_practice)
        self.federation_size = np.array([place.list_sizes[m].sum() for m in self.members])
        self.collector = collector

    def enter(self, month) -> None:
        """The month's appointments per day at each federation's hub."""
        hub = month.spec.hub
        self.slot_rate = (
            hub.minutes_per_1000_per_week
            * self.federation_size
            / 1000
            / hub.minutes_per_appointment
            / 7
        )

    def ledger(self) -> dict[str, int]:
        """The hub keeps no backlog: nobody is left in it overnight."""
        return {}


class EventHub(_Hubs):
    """The hubs of all federations, in whole appointments and whole patients."""

    def __init__(self, place, collector, rng: np.random.Generator):
        super().__init__(place, collector)
        self.rng = rng

    def day(self, day: int, referrals: np.ndarray) -> np.ndarray:
        """Yesterday's ``referrals`` [practice, cohort] seen today; returns those not seen."""
        slots = slots_on(self.slot_rate, day)
        seen = referrals.copy()
        for members, capacity in zip(self.members, slots):
            wanting = referrals[members]
            if wanting.sum() > capacity:
                chosen = self.rng.multivariate_hypergeometric(wanting.ravel(), int(capacity))
                seen[members] = chosen.reshape(wanting.shape)
        overflow = referrals - seen
        self.collector.hub_day(day, seen=seen, overflow=overflow, slots=slots)
        return overflow


class FluidHub(_Hubs):
    """The hubs in expected counts: each sees ``min(1, slots / referrals)`` of its referrals."""

    def day(self, day: int, referrals: np.ndarray) -> np.ndarray:
        """Yesterday's expected ``referrals`` seen up to the hub's expected slots."""
        slots = self.slot_rate
        seen = referrals.copy()
        for members, capacity in zip(self.members, slots):
            wanting = referrals[members].sum()
            if wanting > capacity:
                seen[members] *= capacity / wanting
        overflow = referrals - seen
        self.collector.hub_day(day, seen=seen, overflow=overflow, slots=slots)
        return overflow
