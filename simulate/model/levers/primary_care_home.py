"""The primary care home: a multidisciplinary team for a population of 30,000-50,000.

The team (``mdt_fte_per_10000`` of the reached lists) adds appointments in proportion to the
practices' own GP appointments; what that does to A&E follows from the access mechanism. Its
cost is its staff's.
"""

from __future__ import annotations

import numpy as np

from simulate.model.levers.base import Lever, Tables


class PrimaryCareHome(Lever):
    """A multidisciplinary team beside the practices of a primary care home."""

    name = "primary_care_home"

    def act(self, on: float, days: int, tables: Tables) -> None:
        """Appointments the team adds and its staff's cost."""
        lever, target = self.spec, self.target
        rows = self.reach.max(axis=1)
        fte = rows * target.heads / 10_000 * lever.mdt_fte_per_10000
        gp_slots = target.place.gp_fte * target.appointments_per_gp_fte_day
        with np.errstate(divide="ignore", invalid="ignore"):
            extra = np.where(gp_slots > 0, fte * lever.mdt_appointments_per_fte_day / gp_slots, 0.0)
        tables.scale("gp_capacity", 1 + on * extra, self.name)
        cost = (fte * lever.mdt_cost_gbp_per_fte_year * (days / 365.0))[:, None] * target.by_head
        tables.add_cost(cost, self.name)
