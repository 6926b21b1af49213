"""Cost: every month's activity at the unit costs in force that month, by tier (GBP).

Contacts are costed as they happen; hub sessions are paid for whether used or not, so their cost
is shared over the federation's registered patients, like the per-head funding behind them. The
levers' running costs and new money arrive already in GBP (``intervention_cost``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import xarray as xr

if TYPE_CHECKING:
    from simulate.inputs.schema import CostSpec


def add_cost(
    outcomes: xr.Dataset,
    month_costs: list[CostSpec],
    federations: list[np.ndarray],
    hub_slots: np.ndarray,
    registered: np.ndarray,
) -> None:
    """Cost of each month at the unit costs in force that month (GBP).

    Contacts are costed as they happen; hub sessions are paid for whether used or not, so their
    cost is shared over the federation's registered patients, like the per-head funding behind them.
    """
    c = MonthlyCosts(month_costs)
    v = {name: outcomes[name].values for name in outcomes.data_vars}
    practice = v["gp_appointments"] * c.practice_appointment
    acute = (
        v["ae_attendances"] * c.ae_attendance
        + v["emergency_admissions"] * c.emergency_admission
        + v["excess_bed_days"] * c.excess_bed_day
        + v["delayed_discharge_days"] * c.delayed_discharge_day
        + v["outpatient_attendances"] * c.outpatient_attendance
        + v["elective_day_cases"] * c.day_case
        + (v["elective_admissions"] - v["elective_day_cases"]) * c.elective_inpatient
        + v["utc_attendances"] * c.utc_attendance
    )
    community = (
        v["stepdown_bed_days"] * c.stepdown_bed_day
        + v["community_nursing_contacts"] * c.community_nurse_contact
    )
    hub_spend = np.zeros_like(practice)
    for f, members in enumerate(federations):
        share = registered[members] / registered[members].sum()
        hub_spend[:, members] += hub_slots[:, f, None, None] * c.hub_offered_appointment * share
    outcomes["spend_practice"].values[...] = practice
    urgent = v["nhs111_contacts"] * c.nhs111_contact + v["gp_out_of_hours_cases"] * (
        c.gp_out_of_hours_case
    )
    outcomes["spend_hub"].values[...] = hub_spend
    outcomes["spend_urgent_care"].values[...] = urgent
    outcomes["spend_community"].values[...] = community
    outcomes["spend_acute"].values[...] = acute
    # interventions' own running costs are already in GBP (simulate/model/levers/)
    outcomes["cost"].values[...] = (
        practice + acute + hub_spend + community + urgent + v["intervention_cost"]
    )


class MonthlyCosts:
    """Each unit cost as a [month, 1, 1] array (one value per reported month), for broadcasting."""

    def __init__(self, month_costs: list[CostSpec]):
        self.month_costs = month_costs

    def __getattr__(self, name: str) -> np.ndarray:
        values = [getattr(costs, name) for costs in self.month_costs]
        return np.asarray(values, dtype=float)[:, None, None]


def add_seven_day_cost(
    outcomes: xr.Dataset, month_costs: list[CostSpec], federations: list[np.ndarray], slots
) -> None:
    """Weekend appointments of 7-day opening, paid by the session like the hub's (GBP).

    Added to ``spend_hub`` and ``cost``, shared over each federation's registered patients.
    """
    if not np.any(slots):
        return
    price = MonthlyCosts(month_costs).seven_day_offered_appointment
    registered = outcomes["registered_population"].values
    spend = np.zeros_like(outcomes["cost"].values)
    for f, members in enumerate(federations):
        share = registered[:, members] / registered[:, members].sum(axis=(1, 2), keepdims=True)
        spend[:, members] += slots[:, f, None, None] * price * share
    outcomes["spend_hub"].values[...] += spend
    outcomes["cost"].values[...] += spend
