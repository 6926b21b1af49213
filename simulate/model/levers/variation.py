"""Work on practice variation: targeted education for practices above the funnel limit.

Practices whose rate (emergency admissions, outpatient referrals) over the look-back lies above
the funnel limit around the place's mean (:func:`~simulate.model.levers.base.funnel_outside`) are
targeted; each closes ``gap_closed_share`` of the gap between its own propensity and the place's
mean, at a cost per targeted practice per month.
"""

from __future__ import annotations

import numpy as np

from simulate.model.levers.base import Lever, Tables, funnel_outside


class Variation(Lever):
    """A variation programme that narrows the gap of outlying practices to the place's mean."""

    name = "variation"

    def __init__(self, spec, target):
        super().__init__(spec, target)
        self.outliers = {}
        for name in spec.rates:
            expected = target.expected[name].sum(axis=1) * spec.lookback_months / 12
            observed = expected * target.propensity[name]
            self.outliers[name] = funnel_outside(observed, expected, spec.funnel_limit)

    def act(self, on: float, days: int, tables: Tables) -> None:
        """The targeted practices' propensities moved toward the mean; the programme's cost."""
        lever, target = self.spec, self.target
        rows = self.reach.max(axis=1)
        targeted = np.zeros(target.shape[0], dtype=bool)
        for name, outside in self.outliers.items():
            table = "admissions" if name == "emergency_admissions" else name
            hit = outside & (rows > 0)
            targeted |= hit
            p = target.propensity[name]
            closed = np.where(hit, (1 - on * lever.gap_closed_share * (1 - 1 / p)), 1.0)
            tables.scale(table, closed[:, None], self.name)
        monthly = lever.cost_gbp_per_targeted_practice_month * days / (365 / 12)
        tables.add_cost((targeted * monthly)[:, None] * target.by_head, self.name)
