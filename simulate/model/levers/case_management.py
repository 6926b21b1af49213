"""Case management over time: recruitment, the need assessment uncovers, learning, and fading.

What the evaluations of English case management found (Gravelle et al. 2007 on Evercare; Roland
et al. 2012 and Steventon et al. on the integrated care pilots; Stokes et al. 2015's
meta-analysis): no fall in emergency admissions in the first years, sometimes a rise, as case
managers found needs no one had met. The mechanism here, month by month from go-live:

- *staffing*: the team is recruited over ``ramp_months`` and leaves when ``funded_months`` end;
- *coverage*: the share of the enrolled it can actively manage, at most
  ``case_manager_fte × caseload_per_case_manager / enrolled`` (a caseload limit, not a choice);
- *assessed*: patients newly taken on are assessed, which uncovers unmet need: their GP requests
  and referrals rise by ``unmet_need_contacts_rise``, their A&E (so admission) hazard by
  ``unmet_need_acute_rise``, decaying with time constant ``unmet_need_months``;
- *benefit*: coverage passed through a third-order delay of mean ``learning_months`` (the
  learning and set-up lag, evidence ``integration.time_to_effect_months``): a managed patient's
  hazard changes by ``hazard_relative_change`` only as the team learns, and drains through the
  same delay when the money stops.

The enrolled are a share ``h`` of each cell's hazard (:mod:`~simulate.model.levers.case_finding`),
so a cell's rate is multiplied by ``1 + h (m - 1)`` for the enrolled's multiplier ``m``; nothing
here states an outcome for the place.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from simulate.inputs.categories import COHORTS
from simulate.model.levers.base import Lever, Tables, ramp
from simulate.model.levers.case_finding import Enrolment, find_cases
from simulate.model.stocks.linear import VectorDelay


@dataclass(frozen=True)
class Phase:
    """Where the programme stands in one month after go-live (shares from 0 to 1)."""

    staffing: float  # of the team in post
    coverage: float  # of the enrolled actively managed
    assessed: float  # of the enrolled recently assessed (decaying), who show unmet need
    benefit: float  # of the full effect on the enrolled's hazards, after the learning lag
    team_benefit: float  # of the full effect of the team's whole-list work, after the lag


class Timeline:
    """The programme's phases month by month after go-live, advanced exactly and kept."""

    def __init__(self, spec, capacity_share: float):
        self.spec, self.capacity_share = spec, capacity_share
        self.delay = VectorDelay(spec.learning_months, 3, np.zeros(2))
        self.phases: list[Phase] = []

    def at(self, months_live: int) -> Phase:
        """The phase ``months_live`` (0-based) months after go-live."""
        while len(self.phases) <= months_live:
            self.phases.append(self._next())
        return self.phases[months_live]

    def _next(self) -> Phase:
        spec, k = self.spec, len(self.phases)
        funded = spec.funded_months is None or k < spec.funded_months
        staffing = ramp(k, 0, spec.ramp_months) if funded else 0.0
        coverage = staffing * self.capacity_share
        before = self.phases[-1] if self.phases else Phase(0.0, 0.0, 0.0, 0.0, 0.0)
        taken_on = max(0.0, coverage - before.coverage)
        assessed = before.assessed * math.exp(-1.0 / spec.unmet_need_months) + taken_on
        out = self.delay.step(np.array([coverage, staffing]), 1.0)  # mean rate over the month
        return Phase(staffing, coverage, assessed, float(out[0]), float(out[1]))


class CaseManagement(Lever):
    """A lever that finds cases with a risk tool and manages them (Symphony, MCP)."""

    stream = 0  # each subclass its own, so their case finding draws apart

    def __init__(self, spec, target):
        super().__init__(spec, target)
        self.enrolment: Enrolment = find_cases(
            target.place,
            self.reach,
            target.expected["emergency_admissions"],
            spec,
            f"interventions.{self.name}",
            self.stream,
        )
        enrolled = self.enrolment.count
        capacity = spec.case_manager_fte * spec.caseload_per_case_manager
        self.timeline = Timeline(spec, min(1.0, capacity / enrolled) if enrolled else 0.0)
        self.phase: Phase | None = None

    def on(self, month: int) -> float:
        """1 from go-live on (effects drain after the money stops); the month's phase is kept."""
        if month < self.spec.start_month:
            return 0.0
        self.phase = self.timeline.at(month - self.spec.start_month)
        return 1.0

    def act(self, on: float, days: int, tables: Tables) -> None:
        """The enrolled's multipliers on their cells, the enrolled record, the team's cost."""
        spec, phase, enrolment = self.spec, self.phase, self.enrolment
        h = enrolment.share
        acute = (1 + spec.unmet_need_acute_rise * phase.assessed) * (
            1 + spec.hazard_relative_change * phase.benefit
        )
        contacts = 1 + spec.unmet_need_contacts_rise * phase.assessed
        gp = contacts * (1 + spec.gp_requests_relative_change * phase.benefit)
        tables.scale("ae_attendances", 1 + h * (acute - 1), self.name)
        tables.scale("gp_requests", 1 + h * (gp - 1), self.name)
        tables.scale("outpatient_referrals", 1 + h * (contacts - 1), self.name)
        with np.errstate(divide="ignore", invalid="ignore"):
            now = np.where(h > 0, h * acute / (1 + h * (acute - 1)), 0.0)
        tables.enrol(enrolment, now)
        year = days / 365.0
        persons = enrolment.persons
        spread = persons / max(persons.sum(), 1.0)
        team = spec.case_manager_fte * spec.case_manager_cost_gbp_per_fte_year * phase.staffing
        clinicians = persons * spec.clinician_cost_gbp_per_managed_year * phase.coverage
        tables.add_cost((team * spread + clinicians) * year, self.name)
        self.act_on_team(phase, year, tables)

    def act_on_team(self, phase: Phase, year: float, tables: Tables) -> None:
        """The team's work beyond the enrolled (none unless a lever has some)."""

    def cohorts(self) -> np.ndarray:
        """The reached cells of the lever's cohorts [practice, cohort], 0 to 1."""
        return self.reach * np.isin(COHORTS, self.spec.cohorts)[None, :]
