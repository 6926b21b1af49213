"""A multispecialty community provider (Dudley): one contract, integrated teams, a capitation.

The MCP's multidisciplinary teams case-manage the patients a risk tool finds on its practices'
lists (:mod:`~simulate.model.levers.case_management`, as the avoiding-unplanned-admissions
enhanced service asked of practices), and work on discharge for the chosen cohorts of the whole
list: their stays change by ``length_of_stay_relative_change`` as the teams learn (the same
delay), and stop when the money does. The teams cost per head of the list; the MCP becomes the
practices' provider and holds a capitated budget for their lists.
"""

from __future__ import annotations

import numpy as np

from simulate.model.levers.base import Tables
from simulate.model.levers.case_management import CaseManagement, Phase


class MCP(CaseManagement):
    """A multispecialty community provider holding the budget for its practices' lists."""

    name = "mcp"
    stream = 2

    def act_on_team(self, phase: Phase, year: float, tables: Tables) -> None:
        """Stays of the chosen cohorts as the teams learn; the teams' cost per head."""
        lever = self.spec
        change = self.cohorts() * lever.length_of_stay_relative_change * phase.team_benefit
        tables.scale("length_of_stay", 1 + change, self.name)
        heads = self.reach * self.target.registered * lever.team_cost_gbp_per_head_year
        tables.add_cost(heads * phase.staffing * year, self.name)

    def owner(self, trust: str) -> str | None:
        """The MCP, by its name."""
        return self.spec.name

    def capitated_budget(self) -> np.ndarray | None:
        """The MCP's budget for each practice's list, GBP per month [practice] (0 outside it)."""
        lever, target = self.spec, self.target
        if not lever.capitated_budget_gbp_per_head_year:
            return None
        rows = target.practice_rows(lever, by_locality=True)
        return np.where(rows, target.heads * lever.capitated_budget_gbp_per_head_year / 12, 0.0)
