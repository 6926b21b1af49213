"""Symphony-style integration (South Somerset): the trust runs practices; a complex-care hub.

Patients of the chosen cohorts at the reached practices are enrolled (``enrolled_share`` of
them); key workers and hub clinicians change their GP requests, A&E attendances and the chance an
attendance ends in admission by the given relative changes, ramped in from ``start_month``. Its
cost is the key workers' and hub clinicians' time for those enrolled. With
``trust_owns_practices`` the practices' provider becomes the trust (one budget).
"""

from __future__ import annotations

import numpy as np

from simulate.inputs.categories import COHORTS
from simulate.model.levers.base import Lever, Tables


class Symphony(Lever):
    """Integration led by the acute trust, with a complex-care hub for multimorbid patients."""

    name = "symphony"

    def act(self, on: float, days: int, tables: Tables) -> None:
        """Enrolled patients' requests, attendances and admission chance; key workers' cost."""
        lever, target = self.spec, self.target
        cohorts = np.isin(COHORTS, lever.cohorts)[None, :]
        enrolled = self.reach * cohorts * lever.enrolled_share
        tables.scale(
            "gp_requests", 1 + on * enrolled * lever.gp_requests_relative_change, "symphony"
        )
        tables.scale(
            "ae_attendances", 1 + on * enrolled * lever.ae_attendances_relative_change, "symphony"
        )
        tables.scale(
            "admissions", 1 + on * enrolled * lever.emergency_admissions_relative_change, "symphony"
        )
        key_workers = lever.key_worker_fte_per_1000_enrolled / 1000
        per_enrolled = (
            key_workers * lever.key_worker_cost_gbp_per_fte_year
            + lever.hub_clinician_cost_gbp_per_enrolled_year
        )
        year = days / 365.0
        tables.add_cost(enrolled * target.registered * per_enrolled * year, "symphony")

    def owner(self, trust: str) -> str | None:
        """The trust, when it takes the practices on."""
        return trust if self.spec.trust_owns_practices else None
