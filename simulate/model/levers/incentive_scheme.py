"""A local incentive scheme or QOF change: money that buys long-term-condition reviews.

Eligible patients (the lever's cohorts on the reached lists) get ``reviews_per_patient_year``
reviews, of which practices achieve ``achieved_share``; each takes ``appointments_per_review``
from the practice's book (the time is not free: it is taken from other patients). A reviewed
patient's admissions for ambulatory-care-sensitive conditions (``acsc_share_of_admissions`` of
emergency admissions) are averted with chance ``prevented_share``. The scheme pays per review;
where a national QOF indicator pays for the same work (``national_duplicate_share`` of the
reviews) the payment is made twice for one review, a cost with no added effect.
"""

from __future__ import annotations

import numpy as np

from simulate.inputs.categories import COHORTS
from simulate.model.levers.base import Lever, Tables

WORKING_DAYS_PER_YEAR = 252.0
"""Working days a year over which the reviews are spread (England, 2019)."""


class IncentiveScheme(Lever):
    """Pay-for-performance for long-term-condition reviews."""

    name = "incentive_scheme"

    def __init__(self, spec, target):
        super().__init__(spec, target)
        eligible = np.isin(np.array(COHORTS), spec.cohorts)[None, :]
        self.reviewed = self.reach * eligible * spec.achieved_share  # share of each cell

    def act(self, on: float, days: int, tables: Tables) -> None:
        """Admissions averted, appointments taken, payments (twice where QOF duplicates)."""
        s, target = self.spec, self.target
        reviewed = on * self.reviewed
        tables.scale(
            "admissions", 1 - reviewed * s.acsc_share_of_admissions * s.prevented_share, self.name
        )
        reviews_a_year = target.registered * reviewed * s.reviews_per_patient_year  # [p, k]
        per_day = reviews_a_year.sum(axis=1) * s.appointments_per_review / WORKING_DAYS_PER_YEAR
        slots = target.place.gp_fte * target.appointments_per_gp_fte_day
        with np.errstate(divide="ignore", invalid="ignore"):
            taken = np.where(slots > 0, per_day / slots, 0.0)
        tables.scale("gp_capacity", 1 - np.minimum(taken, 1.0), self.name)
        paid = reviews_a_year * days / 365 * s.payment_gbp_per_review
        tables.add_cost(paid, self.name)
        tables.add_cost(paid * s.national_duplicate_share, self.name)  # the same work paid twice
