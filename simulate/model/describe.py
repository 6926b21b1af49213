"""A plain summary of a place: practices, populations by cohort, capacities, implied utilisation.

Utilisation is what the shipped baseline's rates imply on average (offered load over capacity, by
Little's law), before any queueing: a planner's first check that a place file is plausible.
"""

from __future__ import annotations

import numpy as np

from simulate.inputs.catchment import catchment_shares
from simulate.inputs.categories import AGE_BANDS, COHORTS, SEXES
from simulate.inputs.demography import migration_path, read_net_migration
from simulate.inputs.scenario import Scenario
from simulate.model.demand import WORKING_DAYS_PER_YEAR
from simulate.model.place import Place
from simulate.model.population import composition
from simulate.model.rates import Rates, per_practice
from simulate.model.tiers.mental_health import crisis_rates


def describe(place: Place, baseline: Scenario) -> str:
    """The summary as text."""
    spec, pop, n = place.spec, place.population, place.total
    per_1000 = 1000 / n
    c = spec.community
    trusts = "; ".join(
        f"trust {t.name}: {t.ae_cubicles} A&E cubicles, {t.beds} beds" for t in spec.acute_trusts
    )
    lines = [
        f"{spec.name}: {n:,} registered patients, {len(spec.practices)} practices, "
        f"{len(spec.federations)} federation(s), {len(spec.localities)} localit"
        f"{'y' if len(spec.localities) == 1 else 'ies'}; {trusts}; community {c.name}: caseload "
        f"{c.nursing_caseload}, {c.stepdown_beds} step-down beds",
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
    u = offered_loads(place, baseline)
    cubicles = sum(t.ae_cubicles for t in spec.acute_trusts)
    beds = sum(t.beds for t in spec.acute_trusts)
    fte = (place.gp_fte.sum() * per_1000, place.nurse_fte.sum() * per_1000)
    lines += [
        "",
        "capacity per 1,000 registered and the utilisation the baseline implies (offered load)",
        f"  GP FTE {fte[0]:.3f}, nurse FTE {fte[1]:.3f}: {u['gp_capacity']:,.0f} appointments a "
        f"working day for {u['gp_demand']:,.0f} requests ({u['gp']:.0%})",
        f"  A&E cubicles {cubicles * per_1000:.3f}: {u['ae_per_day']:,.0f} attendances a day "
        f"(not counting GP overflow) at {u['treatment']:.1f} h ({u['ae']:.0%})",
        f"  beds {beds * per_1000:.2f}: {u['admissions']:,.1f} admissions a day x "
        f"{u['stay']:.1f} days ({u['beds']:.0%})",
        f"  step-down beds {c.stepdown_beds * per_1000:.3f}: {u['stepdown_need']:,.1f} beds' worth "
        f"of need ({u['stepdown']:.0%})",
        f"  nursing caseload {c.nursing_caseload * per_1000:.2f}: {u['nursing_per_day']:,.1f} "
        f"referrals a day x {u['episode']:.0f} days ({u['nursing']:.0%})",
    ]
    if spec.mental_health is not None:
        lines.append(_mental_health(place, baseline.spec.mental_health, per_1000))
    if len(spec.acute_trusts) > 1:
        lines += [
            f"  trust {code}: A&E cubicles {ae:.0%}, beds {beds:.0%} (its emergency catchment)"
            for code, (ae, beds) in u["by_trust"].items()
        ]
    return "\n".join(lines)


def _weighted(place: Place, rates: Rates, base: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """People [practice, age, cohort] weighted by sex for GP requests, by deprivation for A&E.

    The run's demand takes these factors (:class:`simulate.model.demand.Demand`) from the mix of
    the people it starts with, so the expectation here does too.
    """
    if rates.factors is None:
        return base, base
    gp, emergency = rates.factors.multipliers(composition(place.population.demand_people))
    return base * gp, base * emergency


def offered_loads(place: Place, baseline: Scenario) -> dict:
    """Demand over capacity by Little's law, and the quantities each share is made of.

    ``gp``, ``ae``, ``beds``, ``stepdown`` and ``nursing`` are shares (1 = demand meets capacity);
    with several trusts ``ae`` and ``beds`` are the most loaded trust's (its emergency catchment's
    share of the demand over its own capacity), each trust's in ``by_trust`` {code: (ae, beds)}.
    """
    spec, base = place.spec, place.population.demand_base
    c = spec.community
    rates = Rates.of(baseline.spec, place)
    gp_base, emergency = _weighted(place, rates, base)
    acute = baseline.spec.acute
    u = {
        "gp_capacity": place.gp_fte.sum() * baseline.spec.practice.appointments_per_gp_fte_day,
        "gp_demand": per_practice(gp_base, rates.gp_requests).sum() / WORKING_DAYS_PER_YEAR,
        "admissions": per_practice(emergency, rates.emergency_admissions).sum() / 365,
        "stepdown_need": float(
            np.einsum(
                "pak,ak,a->", emergency, rates.emergency_admissions, acute.stepdown_share_by_age
            )
            / 365
            * acute.stepdown_stay_days.mean
        ),
        "nursing_per_day": per_practice(base, rates.nursing_referrals).sum() / 365,
        "episode": baseline.spec.community.nursing_episode_days,
        "ae_per_day": per_practice(emergency, rates.ae_attendances).sum() / 365,
        "treatment": acute.treatment_hours.mean,
        "stay": acute.length_of_stay_days.mean,
    }
    u["gp"] = u["gp_demand"] / u["gp_capacity"]
    shares = catchment_shares(spec, "emergency")  # [practice, trust]
    ae = per_practice(emergency, rates.ae_attendances).sum(axis=1) @ shares / 365
    admissions = per_practice(emergency, rates.emergency_admissions).sum(axis=1) @ shares / 365
    trusts = spec.acute_trusts
    by_trust = {
        t.key: (a * u["treatment"] / 24 / t.ae_cubicles, b * u["stay"] / t.beds)
        for a, b, t in zip(ae, admissions, trusts)
    }
    u["ae"] = max(ae for ae, _ in by_trust.values())
    u["beds"] = max(beds for _, beds in by_trust.values())
    u["by_trust"] = by_trust
    u["stepdown"] = u["stepdown_need"] / max(c.stepdown_beds, 1)
    u["nursing"] = u["nursing_per_day"] * u["episode"] / max(c.nursing_caseload, 1)
    return u


OVERLOAD = {
    "ae": "A&E cubicles",
    "beds": "acute beds",
}
"""Resources whose offered load above capacity gridlocks the system.

Queues grow without end, patients wait in A&E for beds, few leave, and departure-based measures
(4-hour breaches, time in A&E) stop meaning anything. GP, step-down and nursing overload queue or
overflow instead.
"""


def overload_warnings(place: Place, baseline: Scenario) -> list[str]:
    """One line per resource the baseline's rates load beyond its capacity on this place."""
    u = offered_loads(place, baseline)
    return [
        f"{place.spec.name}: {label} at {u[key]:.0%} of capacity (offered load from "
        f"{baseline.name}'s rates): the system will gridlock and A&E measures such as 4-hour "
        "breaches will not mean anything; check the place's capacities"
        for key, label in OVERLOAD.items()
        if u[key] > 1.0
    ]


def migration_warnings(place: Place, scenario: Scenario) -> list[str]:
    """A projection whose net emigration in a year exceeds the people a sex and band start with.

    The demography stops a band at zero people rather than go negative, which would otherwise
    happen silently; such a projection was usually made for a larger area than the place.
    """
    d = scenario.spec.dynamics
    if not d.net_migration_csv or d.hold_age_structure or not d.coupled:
        return []
    migration = read_net_migration(migration_path(d.net_migration_csv, scenario.folder))
    start = place.population.demand_people.sum(axis=(0, 2, 4))  # [sex, band]
    emptied = np.argwhere(-migration.persons > start[None])  # [year, sex, band]
    if not len(emptied):
        return []
    year, sex, band = emptied[0]
    return [
        f"{d.net_migration_csv}: net migration in {migration.years[year]} takes "
        f"{-migration.persons[year, sex, band]:,.0f} {SEXES[sex]}s aged {AGE_BANDS[band]} "
        f"out of {place.spec.name}, which starts with {start[sex, band]:,.0f}: the band empties "
        f"and stays at zero ({len(emptied)} such year, sex and band cells); is the projection "
        "for this place?"
    ]


def _row(label: str, counts: np.ndarray) -> str:
    return f"{label:<24} " + " ".join(f"{x:>8,}" for x in counts) + f" {counts.sum():>9,}"


def _mental_health(place: Place, spec, per_1000: float) -> str:
    """The mental-health trust's beds against the admissions the baseline's rates imply."""
    mh = place.spec.mental_health
    people = place.population.demand_base.sum(axis=1)
    crises, need, held = crisis_rates(spec, people, mh.cmht_caseload)
    per_day = (crises.sum() * spec.admission_share) / 365.0
    per_day += spec.other_admissions_per_1000_per_year * people.sum() / 1000 / 365.0
    stay = spec.length_of_stay_days.mean
    return (
        f"  mental-health beds {mh.beds * per_1000:.3f}: {per_day:,.1f} admissions a day x "
        f"{stay:.0f} days ({per_day * stay / max(mh.beds, 1):.0%})\n"
        f"  mental-health trust {mh.code}: {crises.sum():,.0f} crisis presentations a year; its "
        f"community teams hold {held:,.0f} of the {need:,.0f} who need them"
    )
