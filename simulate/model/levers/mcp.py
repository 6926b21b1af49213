"""A multispecialty community provider (Dudley): one contract, integrated teams, a capitation.

For the chosen cohorts of the reached practices the integrated community teams change the chance
an attendance ends in admission and the length of stay by the given relative changes; their cost
is per head of the whole list. The MCP becomes the practices' provider and holds a capitated
budget for their lists.
"""

from __future__ import annotations

import numpy as np

from simulate.inputs.categories import COHORTS
from simulate.model.levers.base import Lever, Tables


class MCP(Lever):
    """A multispecialty community provider holding the budget for its practices' lists."""

    name = "mcp"

    def act(self, on: float, days: int, tables: Tables) -> None:
        """Admission chance and stays of the chosen cohorts; the teams' cost per head."""
        lever = self.spec
        cohorts = self.reach * np.isin(COHORTS, lever.cohorts)[None, :]
        tables.scale(
            "admissions", 1 + on * cohorts * lever.emergency_admissions_relative_change, "mcp"
        )
        tables.scale(
            "length_of_stay", 1 + on * cohorts * lever.length_of_stay_relative_change, "mcp"
        )
        year = days / 365.0
        cost = self.reach * self.target.registered * lever.team_cost_gbp_per_head_year * year
        tables.add_cost(cost, "mcp")

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
