"""General practice at scale: a shared back office, and super-practices that pool their lists.

A shared back office releases ``gp_time_released_share`` of GP time for appointments at the
reached practices, at a cost per head. Merged practices (``mergers``) pool their appointments and
share them in proportion to their demand, from ``start_month`` at once.
"""

from __future__ import annotations

import numpy as np

from simulate.errors import InputError
from simulate.model.levers.base import Lever, Tables, ramp


class AtScale(Lever):
    """General practice at scale: released GP time and pooled capacity of merged practices."""

    name = "at_scale"

    def __init__(self, spec, target):
        super().__init__(spec, target)
        codes = target.place.practice_codes
        self.merged = []
        for group in spec.mergers:
            missing = [c for c in group if c not in codes]
            if missing:
                raise InputError(f"interventions.at_scale.mergers: no practice {missing[0]!r}")
            self.merged.append(np.array([codes.index(c) for c in group]))

    def act(self, on: float, days: int, tables: Tables) -> None:
        """Appointment capacity from released GP time; the back office's cost per head."""
        lever, target = self.spec, self.target
        rows = self.reach.max(axis=1)
        tables.scale("gp_capacity", 1 + on * rows * lever.gp_time_released_share, "at_scale")
        heads = rows * target.heads * lever.back_office_cost_gbp_per_head_year * (days / 365.0)
        tables.add_cost(heads[:, None] * target.by_head, "at_scale")

    def finish(self, month: int, tables: Tables) -> None:
        """Each merged group's appointments shared in proportion to its practices' demand."""
        if not self.merged or not ramp(month, self.spec.start_month, 0):
            return
        capacity, gp = tables.values["gp_capacity"], tables.values["gp_requests"]
        fte = self.target.place.gp_fte
        slots = fte * capacity
        demand = (self.target.expected["gp_requests"] * gp).sum(axis=1)
        out = capacity.copy()
        for group in self.merged:
            share = demand[group] / demand[group].sum()
            pooled = slots[group].sum() * share
            with np.errstate(divide="ignore", invalid="ignore"):
                out[group] = np.where(fte[group] > 0, pooled / fte[group], 1.0)
        tables.values["gp_capacity"] = out
        tables.by_lever.setdefault(self.name, {})["pooled_gp_capacity"] = [out]
