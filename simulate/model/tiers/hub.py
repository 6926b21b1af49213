"""The federation's extended-access hub: same-day appointments, every day, no backlog.

Referrals made by the federation's practices on one day are seen at the hub the next day. If there
are more than the day's appointments, a uniformly random subset is seen (a multivariate
hypergeometric draw across practices and cohorts) and the rest go to A&E the same day.
"""

from __future__ import annotations

import numpy as np


class Hub:
    """The hubs of all federations."""

    def __init__(self, federation_of_practice: list[str], rng: np.random.Generator):
        self.rng = rng
        self.codes = codes = sorted(set(federation_of_practice))
        self.members = [
            np.array([i for i, f in enumerate(federation_of_practice) if f == code])
            for code in codes
        ]

    def day(self, referrals: np.ndarray, slots: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(seen, not seen)`` of referrals [practice, cohort], with ``slots`` per federation."""
        seen = referrals.copy()
        for members, capacity in zip(self.members, slots):
            wanting = referrals[members]
            if wanting.sum() > capacity:
                chosen = self.rng.multivariate_hypergeometric(wanting.ravel(), int(capacity))
                seen[members] = chosen.reshape(wanting.shape)
        return seen, referrals - seen
