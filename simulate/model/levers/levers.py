"""Interventions: the levers a planner pulls, turned into monthly multipliers on the model's rates.

A scenario's ``[interventions]`` table names the levers in force (all are off by default, so a
file without the table runs exactly as before). Each lever has a *target* (practices, federations
or localities), a *go-live* (``start_month``: months after the first reported month, which is the
commissioning delay of a business case) and a *ramp* (``ramp_months``: a linear climb to full
effect, the time a new service takes to work). For one month, :meth:`Levers.effects` returns the
:class:`Effects`: multipliers over [practice, cohort] on GP requests, A&E attendances, the chance
that an attendance is admitted, length of stay and outpatient referrals, a multiplier over
practices on appointment capacity, and the levers' own running cost. The engine applies them with
plain multiplication, so a lever that is off gives multipliers of exactly 1.0, the same numbers
and the same random draws as the baseline (common random numbers).

Effect sizes are *priors* from ``shared/evidence`` (the ``integration`` rows): most published
evaluations of integrated care found small or no effects on emergency admissions in the first
years, so defaults are small and their documented ranges are wide. The evidence card of each
lever (``docs/interventions/``) gives its mechanism, parameters, sources and what it leaves out.

Which patients a lever reaches depends on ``commissioning``: by ``"registered"`` list (a practice's
whole list is in or out) or by ``"resident"`` locality (people living in a targeted locality,
whatever their practice: a share of each practice's patients).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulate.errors import InputError
from simulate.inputs.categories import COHORTS
from simulate.inputs.levers import InterventionsSpec, _Lever
from simulate.model.place import Place

FUNNEL_Z = {0.95: 1.959964, 0.998: 3.090232}
"""Two-sided standard normal quantiles of the usual funnel-plot limits."""


@dataclass(frozen=True)
class Effects:
    """What the levers do in one month (multipliers are 1.0 and costs 0.0 where nothing acts)."""

    gp_requests: np.ndarray  # [practice, cohort]
    ae_attendances: np.ndarray  # [practice, cohort]
    admissions: np.ndarray  # [practice, cohort], on the chance that an attendance is admitted
    length_of_stay: np.ndarray  # [practice, cohort]
    outpatient_referrals: np.ndarray  # [practice, cohort]
    gp_capacity: np.ndarray  # [practice], on appointments offered
    running_cost: np.ndarray  # [practice, cohort], GBP in the month


def ramp(month: int, start_month: int, ramp_months: int) -> float:
    """Share of full effect in reported month ``month`` (0-based; negative in the warm-up)."""
    if month < start_month:
        return 0.0
    if ramp_months == 0:
        return 1.0
    return min(1.0, (month - start_month + 1) / ramp_months)


def funnel_outside(
    observed: np.ndarray, expected: np.ndarray, limit: float, sides: str = "above"
) -> np.ndarray:
    """Which units' observed/expected ratios lie outside funnel limits around the overall ratio.

    The limits are the overall ratio ``sum(observed) / sum(expected)`` plus or minus ``z`` standard
    errors of a Poisson count at each unit's expected count: ``ratio ± z·sqrt(ratio / expected)``
    (Spiegelhalter 2005), with ``z`` 1.96 or 3.09 for 95% or 99.8% limits. ``sides`` is ``"above"``
    or ``"both"``.
    """
    observed, expected = np.asarray(observed, float), np.asarray(expected, float)
    overall = observed.sum() / expected.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = observed / expected
        half = FUNNEL_Z[limit] * np.sqrt(overall / expected)
    above = ratio > overall + half
    return above | (ratio < overall - half) if sides == "both" else above


def propensities(place: Place, weights: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Each practice's propensity to admit and to refer (lognormal, mean 1 over the place).

    Drawn from the place's own seed, so every run and scenario on the place has the same
    practices; ``weights`` [practice] are the expected counts the mean is taken over, so the place's
    total is unchanged in expectation. All ones when the place gives no spread.
    """
    spec = place.spec.variation
    n = len(place.practice_codes)
    rng = np.random.default_rng(np.random.SeedSequence(place.spec.population.seed, spawn_key=(7,)))
    normal = rng.standard_normal((2, n))  # always drawn, so each rate's draws never move
    found = {}
    for row, (name, sd) in enumerate(
        (
            ("emergency_admissions", spec.emergency_admission_sd_log),
            ("outpatient_referrals", spec.outpatient_referral_sd_log),
        )
    ):
        if sd == 0:
            found[name] = np.ones(n)
            continue
        draw = np.exp(sd * normal[row])
        w = weights[name]
        found[name] = draw * w.sum() / (draw * w).sum()
    return found


class Levers:
    """A scenario's interventions on one place: fixed reach computed once, effects per month."""

    def __init__(
        self,
        spec: InterventionsSpec,
        place: Place,
        expected: dict[str, np.ndarray],
        appointments_per_gp_fte_day: float,
    ):
        """The levers of ``spec`` on ``place``.

        ``expected``: expected yearly counts [practice, cohort] of ``gp_requests``,
        ``emergency_admissions`` and ``outpatient_referrals`` at baseline rates (no levers).
        """
        self.spec, self.place = spec, place
        self.appointments_per_gp_fte_day = appointments_per_gp_fte_day
        self.shape = shape = expected["gp_requests"].shape
        self.registered = place.registered.astype(float)
        self.heads = self.registered.sum(axis=1)
        self.expected = expected
        self.propensity = propensities(place, {k: v.sum(axis=1) for k, v in expected.items()})
        one = np.ones(shape)
        self.base = {
            "admissions": one * self.propensity["emergency_admissions"][:, None],
            "outpatient_referrals": one * self.propensity["outpatient_referrals"][:, None],
        }
        self._reach = {}
        for name in ("symphony", "mcp", "at_scale", "primary_care_home", "variation"):
            lever = getattr(spec, name)
            if lever is not None:
                self._reach[name] = self.reach(lever)
        self._merged = self._mergers()
        self._outliers = self._funnel()

    # who is reached ------------------------------------------------------------------------
    def _practice_rows(self, lever: _Lever, by_locality: bool) -> np.ndarray:
        """Practices (boolean [practice]) named by code, federation or (by list) locality."""
        place = self.place
        codes = place.practice_codes
        chosen = np.zeros(len(codes), dtype=bool)
        if lever.practices == "all":
            chosen[:] = True
        else:
            for code in lever.practices:
                if code not in codes:
                    raise InputError(f"interventions: no practice {code!r} in {place.spec.name}")
                chosen[codes.index(code)] = True
        federations = place.federation_of_practice
        for code in lever.federations:
            if code not in {f.code for f in place.spec.federations}:
                raise InputError(f"interventions: no federation {code!r} in {place.spec.name}")
            chosen |= np.array([f == code for f in federations])
        for code in lever.localities:
            if code not in {loc.code for loc in place.spec.localities}:
                raise InputError(f"interventions: no locality {code!r} in {place.spec.name}")
            if by_locality:
                chosen |= np.array([loc == code for loc in place.locality_of_practice])
        return chosen

    def reach(self, lever: _Lever) -> np.ndarray:
        """Share of each [practice, cohort] the lever reaches (0 or 1, or a resident share)."""
        resident = self.spec.commissioning == "resident"
        reach = np.zeros(self.shape)
        reach[self._practice_rows(lever, by_locality=not resident)] = 1.0
        if resident and lever.localities:
            pop = self.place.population
            codes = list(pop.localities)
            wanted = np.isin(pop.locality, [codes.index(c) for c in lever.localities])
            columns = {"p": (pop.practice, pop.n_practices), "k": (pop.cohort, len(COHORTS))}
            living = pop.count(columns, where=pop.makes_demand & wanted)
            everyone = pop.count(columns, where=pop.makes_demand)
            with np.errstate(divide="ignore", invalid="ignore"):
                share = np.where(everyone > 0, living / np.maximum(everyone, 1), 0.0)
            reach = np.maximum(reach, share)
        return reach

    def _mergers(self) -> list[np.ndarray]:
        lever = self.spec.at_scale
        if lever is None:
            return []
        codes = self.place.practice_codes
        groups = []
        for group in lever.mergers:
            missing = [c for c in group if c not in codes]
            if missing:
                raise InputError(f"interventions.at_scale.mergers: no practice {missing[0]!r}")
            groups.append(np.array([codes.index(c) for c in group]))
        return groups

    def _funnel(self) -> dict[str, np.ndarray]:
        """Practices [practice] above the funnel limit on each targeted rate, at baseline."""
        lever = self.spec.variation
        if lever is None:
            return {}
        found = {}
        for name in lever.rates:
            expected = self.expected[name].sum(axis=1) * lever.lookback_months / 12
            observed = expected * self.propensity[name]
            found[name] = funnel_outside(observed, expected, lever.funnel_limit)
        return found

    # who answers for which practice ----------------------------------------------------------
    def providers(self, trust: str) -> list[str]:
        """Who runs each practice: ``"practice"``, the trust (Symphony) or the MCP's name."""
        owners = ["practice"] * len(self.place.practice_codes)
        spec = self.spec
        for lever, label in (
            (spec.mcp, spec.mcp.name if spec.mcp else ""),
            (spec.symphony, trust),
        ):
            if lever is None or (lever is spec.symphony and not lever.trust_owns_practices):
                continue
            for p in np.flatnonzero(self._practice_rows(lever, by_locality=True)):
                owners[p] = label
        return owners

    def capitated_budget(self) -> np.ndarray:
        """The MCP's budget for each practice's list, GBP per month [practice] (0 outside it)."""
        lever = self.spec.mcp
        if lever is None or not lever.capitated_budget_gbp_per_head_year:
            return np.zeros(len(self.heads))
        rows = self._practice_rows(lever, by_locality=True)
        return np.where(rows, self.heads * lever.capitated_budget_gbp_per_head_year / 12, 0.0)

    # one month ---------------------------------------------------------------------------------
    def effects(self, month: int, days: int) -> Effects:
        """The levers' effects in reported month ``month`` (0-based) of ``days`` days."""
        shape, spec = self.shape, self.spec
        gp, ae, stay = np.ones(shape), np.ones(shape), np.ones(shape)
        admit = self.base["admissions"].copy()
        referrals = self.base["outpatient_referrals"].copy()
        capacity = np.ones(shape[0])
        cost = np.zeros(shape)
        year = days / 365.0
        by_head = self.registered / np.maximum(self.heads[:, None], 1)  # cohort shares of a list

        lever = spec.symphony
        if lever is not None and (on := ramp(month, lever.start_month, lever.ramp_months)):
            cohorts = np.isin(COHORTS, lever.cohorts)[None, :]
            enrolled = self._reach["symphony"] * cohorts * lever.enrolled_share
            gp *= 1 + on * enrolled * lever.gp_requests_relative_change
            ae *= 1 + on * enrolled * lever.ae_attendances_relative_change
            admit *= 1 + on * enrolled * lever.emergency_admissions_relative_change
            key_workers = lever.key_worker_fte_per_1000_enrolled / 1000
            per_enrolled = (
                key_workers * lever.key_worker_cost_gbp_per_fte_year
                + lever.hub_clinician_cost_gbp_per_enrolled_year
            )
            cost += enrolled * self.registered * per_enrolled * year

        lever = spec.mcp
        if lever is not None and (on := ramp(month, lever.start_month, lever.ramp_months)):
            reach = self._reach["mcp"]
            cohorts = reach * np.isin(COHORTS, lever.cohorts)[None, :]
            admit *= 1 + on * cohorts * lever.emergency_admissions_relative_change
            stay *= 1 + on * cohorts * lever.length_of_stay_relative_change
            cost += reach * self.registered * lever.team_cost_gbp_per_head_year * year

        lever = spec.at_scale
        if lever is not None and (on := ramp(month, lever.start_month, lever.ramp_months)):
            rows = self._reach["at_scale"].max(axis=1)
            capacity *= 1 + on * rows * lever.gp_time_released_share
            heads = rows * self.heads * lever.back_office_cost_gbp_per_head_year * year
            cost += heads[:, None] * by_head

        lever = spec.primary_care_home
        if lever is not None and (on := ramp(month, lever.start_month, lever.ramp_months)):
            reach = self._reach["primary_care_home"]
            rows = reach.max(axis=1)
            fte = rows * self.heads / 10_000 * lever.mdt_fte_per_10000
            gp_slots = self.place.gp_fte * self.appointments_per_gp_fte_day
            with np.errstate(divide="ignore", invalid="ignore"):
                extra = np.where(
                    gp_slots > 0, fte * lever.mdt_appointments_per_fte_day / gp_slots, 0.0
                )
            capacity *= 1 + on * extra
            ae *= 1 + on * reach * lever.ae_attendances_relative_change
            cost += (fte * lever.mdt_cost_gbp_per_fte_year * year)[:, None] * by_head

        lever = spec.variation
        if lever is not None and (on := ramp(month, lever.start_month, lever.ramp_months)):
            rows = self._reach["variation"].max(axis=1)
            targeted = np.zeros(shape[0], dtype=bool)
            for name, outside in self._outliers.items():
                key = "admissions" if name == "emergency_admissions" else name
                table = admit if key == "admissions" else referrals
                hit = outside & (rows > 0)
                targeted |= hit
                p = self.propensity[name]
                closed = np.where(hit, (1 - on * lever.gap_closed_share * (1 - 1 / p)), 1.0)
                table *= closed[:, None]  # the propensity moves toward the place's mean
            monthly = lever.cost_gbp_per_targeted_practice_month * days / (365 / 12)
            cost += (targeted * monthly)[:, None] * by_head

        if self._merged and (on := ramp(month, spec.at_scale.start_month, 0)):
            capacity = self._pool(capacity, gp)
        return Effects(gp, ae, admit, stay, referrals, capacity, cost)

    def _pool(self, capacity: np.ndarray, gp: np.ndarray) -> np.ndarray:
        """Each merged group's appointments shared in proportion to its practices' demand."""
        slots = self.place.gp_fte * capacity
        demand = (self.expected["gp_requests"] * gp).sum(axis=1)
        out = capacity.copy()
        for group in self._merged:
            share = demand[group] / demand[group].sum()
            pooled = slots[group].sum() * share
            with np.errstate(divide="ignore", invalid="ignore"):
                out[group] = np.where(
                    self.place.gp_fte[group] > 0, pooled / self.place.gp_fte[group], 1.0
                )
        return out


def practice_variation(cube, variable: str = "emergency_admissions"):
    """Coefficient of variation between practices of a rate per head, per scenario and replication.

    Practices are not named: this is the spread a variation programme aims to narrow.
    """
    counts = cube[variable].sum(("month", "cohort"))
    heads = cube["registered_population"].mean("month").sum("cohort")
    rate = counts / heads
    return rate.std("practice") / rate.mean("practice")


def budget_by_provider(cube, scenario: str):
    """Cost and capitated budget (GBP over the run, mean of replications) by provider.

    One budget across practice and hospital: the integrated organisation (the trust of a
    Symphony-style scenario, the MCP) answers for the whole cost of its practices' patients.
    """
    data = cube.sel(scenario=scenario)
    owners = data["provider"].values
    cost = data["cost"].sum(("month", "cohort")).mean("replication").values
    budget = data["capitated_budget"].sum("month").mean("replication").values
    return {
        owner: {
            "cost_gbp": float(cost[owners == owner].sum()),
            "capitated_budget_gbp": float(budget[owners == owner].sum()),
        }
        for owner in dict.fromkeys(owners.tolist())
    }
