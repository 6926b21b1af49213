"""Care-home residents: a segment of each practice's list, with their own demand.

Residents are ``resident_share_by_age`` of the people who make demand in each [practice, age,
cohort] (the same share in every cohort of an age band: the segment's multimorbidity is its age
band's, a simplification); their yearly GP requests, A&E attendances and emergency admissions
are the residents times their own rates. Those are part of the published age rates, so the
segment changes no baseline number; :func:`expected` says how much of each [practice, cohort]'s
demand is theirs, for the enhanced-health-in-care-homes lever.
"""

from __future__ import annotations

import numpy as np

from simulate.model.rates import per_practice


def residents(base: np.ndarray, spec) -> np.ndarray:
    """Care-home residents [practice, cohort] among the people ``base`` [practice, age, cohort]."""
    return np.einsum("pak,a->pk", base, np.asarray(spec.resident_share_by_age, dtype=float))


def expected(base: np.ndarray, spec, rates, demand=None) -> dict[str, np.ndarray]:
    """Yearly counts [practice, cohort]: residents, their demand, and everyone's A&E rate.

    The residents' demand is capped at the cell's own, so a resident rate above the published
    age rate can never make the rest of the cell's demand negative. Given the month's
    ``demand`` (:class:`~simulate.model.demand.Demand`), a cell's own is the demand both tiers
    draw from, with its sex and deprivation factors (:mod:`simulate.model.mix`); without it,
    the published age rates alone.
    """
    people = residents(base, spec)
    if demand is None:
        cells = {
            "gp_requests": per_practice(base, rates.gp_requests),
            "ae_attendances": per_practice(base, rates.ae_attendances),
            "emergency_admissions": per_practice(base, rates.emergency_admissions),
        }
    else:
        cells = {
            "gp_requests": demand.gp_requests * demand.working_days_per_year,
            "ae_attendances": demand.ae_attendances * 365.0,
            "emergency_admissions": demand.emergency_admissions * 365.0,
        }
    own = {
        "gp_requests": spec.gp_requests_per_resident_year,
        "ae_attendances": spec.ae_attendances_per_resident_year,
        "emergency_admissions": spec.emergency_admissions_per_resident_year,
    }
    found = {"care_home_residents": people, "ae_attendances": cells["ae_attendances"]}
    for name, rate in own.items():
        found[f"care_home_{name}"] = np.minimum(people * rate, cells[name])
    return found


def record(collector, first: int, days: int, demand, spec, rates, hazard) -> None:
    """The month's residents and their expected A&E attendances and admissions, in the cube.

    Expected, not drawn: the engine's arrivals are by [practice, cohort], not tagged by
    residence; the lever's ``hazard`` (None when off) lowers both.
    """
    m = collector.month(first)
    if m < 0:
        return
    found = expected(demand.base, spec.care_homes, rates, demand)
    kept = 1.0 if hazard is None else 1 - hazard
    collector.expected(
        m,
        care_home_residents=found["care_home_residents"],
        care_home_ae_attendances=found["care_home_ae_attendances"] * kept * days / 365,
        care_home_emergency_admissions=found["care_home_emergency_admissions"] * kept * days / 365,
    )
