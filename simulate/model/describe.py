"""A plain summary of a place: practices, populations by cohort, capacities, implied utilisation.

Utilisation is what the shipped baseline's rates imply on average (offered load over capacity, by
Little's law), before any queueing: a planner's first check that a place file is plausible.
"""

from __future__ import annotations

import numpy as np

from simulate.inputs.categories import COHORTS
from simulate.inputs.scenario import Scenario
from simulate.model.demand import WORKING_DAYS_PER_YEAR
from simulate.model.place import Place
from simulate.model.rates import Rates, per_practice


def describe(place: Place, baseline: Scenario) -> str:
    """The summary as text."""
    spec, pop, n = place.spec, place.population, place.total
    per_1000 = 1000 / n
    t, c = spec.trust, spec.community
    lines = [
        f"{spec.name}: {n:,} registered patients, {len(spec.practices)} practices, "
        f"{len(spec.federations)} federation(s), {len(spec.localities)} localit"
        f"{'y' if len(spec.localities) == 1 else 'ies'}; trust {t.name}: {t.ae_cubicles} A&E "
        f"cubicles, {t.beds} beds; community {c.name}: caseload {c.nursing_caseload}, "
        f"{c.stepdown_beds} step-down beds",
        "",
        f"{'practice':<8} {'name':<26} {'fed':<4} {'locality':<8} {'list size':>9} {'IMD':>3} "
        f"{'GP/100k':>7} {'RN/100k':>7}  " + " ".join(f"{k:>6}" for k in COHORTS),
    ]
    for p, size, counts in zip(spec.practices, place.list_sizes, place.registered):
        lines.append(
            f"{p.code:<8} {p.name[:26]:<26} {p.federation:<4} {p.locality:<8} {size:>9,} "
            f"{p.deprivation_quintile:>3} {p.gp_fte / size * 1e5:>7.1f} "
            f"{p.nurse_fte / size * 1e5:>7.1f}  " + " ".join(f"{x:>6,}" for x in counts)
        )
    lines += ["", "population by number of long-term conditions (persons)"]
    lines.append(f"{'view':<24} " + " ".join(f"{k:>8}" for k in COHORTS) + f" {'total':>9}")
    lines.append(_row("registered", pop.registered.sum(axis=0)))
    for code, counts in zip(pop.localities, pop.resident):
        lines.append(_row(f"resident: {code}", counts))
    rates = Rates.of(baseline.spec, place)
    base = pop.demand_base
    gp_capacity = place.gp_fte.sum() * baseline.spec.practice.appointments_per_gp_fte_day
    gp_demand = per_practice(base, rates.gp_requests).sum() / WORKING_DAYS_PER_YEAR
    admissions = per_practice(base, rates.emergency_admissions).sum() / 365
    acute = baseline.spec.acute
    stepdown = float(
        np.einsum("pak,ak,a->", base, rates.emergency_admissions, acute.stepdown_share_by_age)
        / 365
        * acute.stepdown_stay_days.mean
    )
    nursing = per_practice(base, rates.nursing_referrals).sum() / 365
    episode = baseline.spec.community.nursing_episode_days
    ae = per_practice(base, rates.ae_attendances).sum() / 365
    treatment, stay = acute.treatment_hours.mean, acute.length_of_stay_days.mean
    fte = (place.gp_fte.sum() * per_1000, place.nurse_fte.sum() * per_1000)
    lines += [
        "",
        "capacity per 1,000 registered and the utilisation the baseline implies (offered load)",
        f"  GP FTE {fte[0]:.3f}, nurse FTE {fte[1]:.3f}: {gp_capacity:,.0f} appointments a "
        f"working day for {gp_demand:,.0f} requests ({gp_demand / gp_capacity:.0%})",
        f"  A&E cubicles {t.ae_cubicles * per_1000:.3f}: {ae:,.0f} attendances a day (not "
        f"counting GP overflow) at {treatment:.1f} h ({ae * treatment / 24 / t.ae_cubicles:.0%})",
        f"  beds {t.beds * per_1000:.2f}: {admissions:,.1f} admissions a day x {stay:.1f} days "
        f"({admissions * stay / t.beds:.0%})",
        f"  step-down beds {c.stepdown_beds * per_1000:.3f}: {stepdown:,.1f} beds' worth of need "
        f"({stepdown / max(c.stepdown_beds, 1):.0%})",
        f"  nursing caseload {c.nursing_caseload * per_1000:.2f}: {nursing:,.1f} referrals a day "
        f"x {episode:.0f} days ({nursing * episode / max(c.nursing_caseload, 1):.0%})",
    ]
    return "\n".join(lines)


def _row(label: str, counts: np.ndarray) -> str:
    return f"{label:<24} " + " ".join(f"{x:>8,}" for x in counts) + f" {counts.sum():>9,}"
