"""Enhanced health in care homes: a weekly round by an aligned practice, with an MDT.

For the residents it reaches (``homes_reached_share`` of the care-home residents on the reached
practices' lists, :mod:`simulate.model.care_homes`), proactive review lowers their hazard of A&E
attendance and emergency admission by ``avoidable_share × prevented_share``, scaled by the dose
(``round_hours_per_resident_week`` over ``full_effect_hours_per_resident_week``, at most 1);
the round also meets ``requests_met_in_round_share`` of their reactive GP requests. The residents'
share of each [practice, cohort]'s demand turns that into the month's multipliers, so the whole
cell's change is the residents' alone. The GP part of the round's hours is taken from the
practices' appointments (a GP FTE is 37.5 hours a week); the programme costs a sum per resident
reached.
"""

from __future__ import annotations

import numpy as np

from simulate.model.levers.base import Lever, Tables

FTE_HOURS_PER_WEEK = 37.5
"""Hours of one GP full-time equivalent a week (NHS Digital's workforce definition)."""


class CareHomes(Lever):
    """The enhanced-health-in-care-homes programme of the reached practices."""

    name = "care_homes"

    def __init__(self, spec, target):
        super().__init__(spec, target)
        e = target.expected
        with np.errstate(divide="ignore", invalid="ignore"):
            self.share = {
                name: np.nan_to_num(e[f"care_home_{name}"] / e[name])
                for name in ("gp_requests", "ae_attendances", "emergency_admissions")
            }
        self.reached = self.reach * spec.homes_reached_share  # share of each cell's residents
        self.residents = e["care_home_residents"] * self.reached

    def act(self, on: float, days: int, tables: Tables) -> None:
        """Lower residents' hazard, absorb their reactive requests, take GP time; the cost."""
        s, target = self.spec, self.target
        dose = min(1.0, s.round_hours_per_resident_week / s.full_effect_hours_per_resident_week)
        hazard = on * self.reached * dose * s.avoidable_share * s.prevented_share
        ae = 1 - self.share["ae_attendances"] * hazard
        admitted = 1 - self.share["emergency_admissions"] * hazard
        tables.scale("ae_attendances", ae, self.name)
        tables.scale("admissions", admitted / np.maximum(ae, 1e-12), self.name)
        met = on * self.reached * s.requests_met_in_round_share
        tables.scale("gp_requests", 1 - self.share["gp_requests"] * met, self.name)
        gp_hours = on * self.residents.sum(axis=1) * s.round_hours_per_resident_week
        fte = target.place.gp_fte
        with np.errstate(divide="ignore", invalid="ignore"):
            taken = np.where(
                fte > 0, gp_hours * s.gp_share_of_round_hours / FTE_HOURS_PER_WEEK / fte, 0
            )
        tables.scale("gp_capacity", 1 - np.minimum(taken, 1.0), self.name)
        tables.add_cost(on * self.residents * s.cost_gbp_per_resident_year * days / 365, self.name)
        tables.care_home_hazard = hazard
