"""Interventions: the levers a planner pulls, turned into monthly multipliers on the model's rates.

A scenario's ``[interventions]`` table names the levers in force (all are off by default, so a
file without the table runs exactly as before). Each lever has a *target* (practices, federations
or localities), a *go-live* (``start_month``: months after the first reported month, which is the
commissioning delay of a business case) and a *ramp* (``ramp_months``: a linear climb to full
effect, the time a new service takes to work). For one month, :meth:`Levers.effects` returns the
:class:`~simulate.model.levers.base.Effects`: multipliers over [practice, cohort] on GP requests,
A&E attendances, the chance that an attendance is admitted, length of stay and outpatient
referrals, a multiplier over practices on appointment capacity, and the levers' own running cost.
The tiers apply them with plain multiplication, so a lever that is off gives multipliers of
exactly 1.0, the same numbers and the same random draws as the baseline (common random numbers).

Effect sizes are *priors* from ``shared/evidence`` (the ``integration`` rows): most published
evaluations of integrated care found small or no effects on emergency admissions in the first
years, so defaults are small and their documented ranges are wide. The evidence card of each
lever (``docs/interventions/``) gives its mechanism, parameters, sources and what it leaves out.

Symphony and the MCP are case-management levers (:mod:`~simulate.model.levers.case_management`):
they enrol patients a risk tool finds, and ``ramp_months`` is only their team's recruitment; the
benefit follows a learning delay and fades when the money stops.

Which patients a lever reaches depends on ``commissioning``: by ``"registered"`` list (a practice's
whole list is in or out) or by ``"resident"`` locality (people living in a targeted locality,
whatever their practice: a share of each practice's patients).
"""

from __future__ import annotations

import numpy as np

from simulate.model.levers.at_scale import AtScale
from simulate.model.levers.base import Effects, Lever, Tables, Target
from simulate.model.levers.care_homes import CareHomes
from simulate.model.levers.extended_access import ExtendedAccess
from simulate.model.levers.incentive_scheme import IncentiveScheme
from simulate.model.levers.mcp import MCP
from simulate.model.levers.primary_care_home import PrimaryCareHome
from simulate.model.levers.referral_management import ReferralManagement
from simulate.model.levers.symphony import Symphony
from simulate.model.levers.variation import Variation

KINDS: tuple[type[Lever], ...] = (
    Symphony,
    MCP,
    AtScale,
    ExtendedAccess,
    PrimaryCareHome,
    Variation,
    ReferralManagement,
    CareHomes,
    IncentiveScheme,
)
"""Every lever, in the order they act on a month's tables (a new lever: one module, one entry)."""
OWNERSHIP = ("mcp", "symphony")
"""Order in which levers claim practices: a later claim (the trust's) wins."""


class Levers:
    """A scenario's interventions on one place: fixed reach computed once, effects per month."""

    def __init__(self, spec, place, expected: dict[str, np.ndarray], appointments_per_gp_fte_day):
        """The levers of ``spec`` (an ``InterventionsSpec``) on ``place``.

        ``expected``: expected yearly counts [practice, cohort] of ``gp_requests``,
        ``emergency_admissions`` and ``outpatient_referrals`` at baseline rates (no levers).
        """
        self.spec, self.place = spec, place
        self.target = target = Target(
            place, spec.commissioning, expected, appointments_per_gp_fte_day
        )
        one = np.ones(target.shape)
        self.base = {
            "admissions": one * target.propensity["emergency_admissions"][:, None],
            "outpatient_referrals": one * target.propensity["outpatient_referrals"][:, None],
        }
        self.levers = {
            kind.name: kind(getattr(spec, kind.name), target)
            for kind in KINDS
            if getattr(spec, kind.name) is not None
        }

    def effects(self, month: int, days: int) -> Effects:
        """The levers' effects in reported month ``month`` (0-based) of ``days`` days."""
        tables = Tables(self.target.shape, self.base)
        for lever in self.levers.values():
            if on := lever.on(month):
                lever.act(on, days, tables)
        for lever in self.levers.values():
            lever.finish(month, tables)
        return tables.effects()

    def providers(self, trust: str) -> list[str]:
        """Who runs each practice: ``"practice"``, the trust (Symphony) or the MCP's name."""
        owners = ["practice"] * len(self.place.practice_codes)
        for name in OWNERSHIP:
            lever = self.levers.get(name)
            label = lever.owner(trust) if lever is not None else None
            if label is None:
                continue
            for p in np.flatnonzero(self.target.practice_rows(lever.spec, by_locality=True)):
                owners[p] = label
        return owners

    def capitated_budget(self) -> np.ndarray:
        """Capitated budgets per practice, GBP per month [practice] (0 where none is held)."""
        total = np.zeros(len(self.target.heads))
        for lever in self.levers.values():
            budget = lever.capitated_budget()
            if budget is not None:
                total = total + budget
        return total
