"""What every lever shares: its target on the place, its timing, and the month's effect tables.

A lever is one class (one module) that turns its parameters into *multipliers* on the model's
rates and a running cost, month by month (:meth:`Lever.act`). The levers of a scenario act in a
fixed order on shared :class:`Tables` (all ones and zeros where nothing acts), and every
multiplication and cost is recorded against the lever that made it, so a combined scenario can
say which lever moved which rate (:attr:`Effects.by_lever`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from simulate.errors import InputError
from simulate.inputs.categories import COHORTS

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
    by_lever: dict = field(default_factory=dict, compare=False)
    """``{lever: {table: [multipliers or GBP, in the order applied]}}``: who moved what."""
    enrolled: dict | None = field(default=None, compare=False)
    """Case-managed patients [practice, cohort], where a lever enrols any: ``persons``, their
    ``share`` of the cell's hazard at baseline, their share ``now`` (with the levers' effects)
    and their admissions in the year ``before`` go-live."""
    pathway: object = field(default=None, compare=False)
    """Referral management's triage and clinic (``levers.referral_management.Pathway``), if on."""
    care_home_hazard: object = field(default=None, compare=False)
    """Share [practice, cohort] by which care-home residents' A&E and admission hazard fell."""
    hub_minutes: object = field(default=None, compare=False)
    """``(minutes, weight)``: extended access moves each practice's hub minutes per 1,000 a week
    ``weight`` [practice] of the way from ``[hub]``'s level to ``minutes`` (None: no such lever)."""


class Tables:
    """The month's effect tables while the levers act on them, with a record of who did what."""

    NAMES = (
        "gp_requests",
        "ae_attendances",
        "admissions",
        "length_of_stay",
        "outpatient_referrals",
        "gp_capacity",
    )

    def __init__(self, shape: tuple[int, int], base: dict[str, np.ndarray]):
        one = np.ones(shape)
        self.values = {
            "gp_requests": one.copy(),
            "ae_attendances": one.copy(),
            "admissions": base["admissions"].copy(),
            "length_of_stay": one.copy(),
            "outpatient_referrals": base["outpatient_referrals"].copy(),
            "gp_capacity": np.ones(shape[0]),
        }
        self.cost = np.zeros(shape)
        self.by_lever: dict[str, dict[str, list]] = {}
        self.enrolled: dict[str, np.ndarray] | None = None
        self.pathway = None  # set by referral management, read by the electives tier
        self.care_home_hazard = None  # set by enhanced health in care homes, for the cube
        self.hub_minutes = None  # set by extended access, read by the hub tiers

    def scale(self, table: str, factor, by: str) -> None:
        """Multiply ``table`` by ``factor`` on behalf of lever ``by``."""
        self.values[table] *= factor
        self.by_lever.setdefault(by, {}).setdefault(table, []).append(factor)

    def add_cost(self, gbp: np.ndarray, by: str) -> None:
        """Add ``gbp`` [practice, cohort] to the month's running cost on behalf of lever ``by``."""
        self.cost += gbp
        self.by_lever.setdefault(by, {}).setdefault("running_cost", []).append(gbp)

    def enrol(self, enrolment, now: np.ndarray) -> None:
        """Record a lever's enrolled cohort, ``now`` its share of its cells' use this month.

        Two levers' cohorts add (they enrol on different practices in the shipped scenarios).
        """
        found = {
            "persons": enrolment.persons,
            "share": enrolment.share,
            "now": now,
            "before": enrolment.before,
        }
        if self.enrolled is None:
            self.enrolled = found
        else:
            self.enrolled = {k: self.enrolled[k] + v for k, v in found.items()}

    def effects(self) -> Effects:
        """The finished tables."""
        v = self.values
        return Effects(
            *(v[name] for name in self.NAMES),
            self.cost,
            self.by_lever,
            self.enrolled,
            pathway=self.pathway,
            care_home_hazard=self.care_home_hazard,
            hub_minutes=self.hub_minutes,
        )


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


def propensities(place, weights: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Each practice's propensity to admit and to refer (lognormal, mean 1 over the place).

    Drawn from the place's own seed, so every run and scenario on the place has the same
    practices; ``weights`` [practice] are the expected counts the mean is taken over, so the place's
    total is unchanged in expectation. All ones when the place gives no spread. In a system of
    places each practice's log-propensity adds its place's own normal draw (log-sd the
    ``place_`` keys, from a stream of its own, so the practices' draws never move), and the mean
    of 1 is over the whole system: between-place variation exists beside between-practice.
    """
    spec = place.spec.variation
    n = len(place.practice_codes)
    rng = np.random.default_rng(np.random.SeedSequence(place.spec.population.seed, spawn_key=(7,)))
    normal = rng.standard_normal((2, n))  # always drawn, so each rate's draws never move
    shared = _place_effects(place)  # [rate, practice], log-scale, zero without place spread
    found = {}
    for row, (name, sd) in enumerate(
        (
            ("emergency_admissions", spec.emergency_admission_sd_log),
            ("outpatient_referrals", spec.outpatient_referral_sd_log),
        )
    ):
        if sd == 0 and not shared[row].any():
            found[name] = np.ones(n)
            continue
        draw = np.exp(sd * normal[row] + shared[row])
        w = weights[name]
        found[name] = draw * w.sum() / (draw * w).sum()
    return found


def _place_effects(place) -> np.ndarray:
    """Each practice's place effect on the log scale, [rate (admissions, referrals), practice].

    One standard normal per place and rate, in ``[[places]]`` order, from the place file's seed
    and a stream of its own; times the ``place_`` log-sds of ``[variation]``.
    """
    spec, n = place.spec, len(place.practice_codes)
    sds = (
        spec.variation.place_emergency_admission_sd_log,
        spec.variation.place_outpatient_referral_sd_log,
    )
    if not spec.places or not any(sds):
        return np.zeros((2, n))
    seed = np.random.SeedSequence(spec.population.seed, spawn_key=(8,))
    normal = np.random.default_rng(seed).standard_normal((2, len(spec.places)))
    of = {code: i for i, p in enumerate(spec.places) for code in p.practices}
    rows = np.array([of[code] for code in place.practice_codes])
    return np.asarray(sds)[:, None] * normal[:, rows]


class Target:
    """Who a lever can reach on a place, and the place's baseline a lever's mechanism works on.

    ``expected``: expected yearly counts [practice, cohort] of ``gp_requests``,
    ``emergency_admissions`` and ``outpatient_referrals`` at baseline rates (no levers).
    """

    def __init__(self, place, commissioning: str, expected: dict, appointments_per_gp_fte_day):
        self.place, self.commissioning = place, commissioning
        self.appointments_per_gp_fte_day = appointments_per_gp_fte_day
        self.shape = expected["gp_requests"].shape
        self.registered = place.registered.astype(float)
        self.heads = self.registered.sum(axis=1)
        self.expected = expected
        self.propensity = propensities(place, {k: v.sum(axis=1) for k, v in expected.items()})

    @property
    def by_head(self) -> np.ndarray:
        """Cohort shares of each practice's list [practice, cohort]."""
        return self.registered / np.maximum(self.heads[:, None], 1)

    def practice_rows(self, lever, by_locality: bool) -> np.ndarray:
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

    def reach(self, lever) -> np.ndarray:
        """Share of each [practice, cohort] the lever reaches (0 or 1, or a resident share)."""
        resident = self.commissioning == "resident"
        reach = np.zeros(self.shape)
        reach[self.practice_rows(lever, by_locality=not resident)] = 1.0
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


class Lever:
    """One intervention: its reach fixed once, its effects each month it is on.

    Subclasses set :attr:`name` (the key of its ``[interventions]`` table) and implement
    :meth:`act`; :meth:`finish` runs after every lever has acted (for effects that depend on the
    others', such as pooling the capacity of merged practices).
    """

    name = ""

    def __init__(self, spec, target: Target):
        self.spec, self.target = spec, target
        self.reach = target.reach(spec)

    def on(self, month: int) -> float:
        """Share of the full effect in reported month ``month`` (the ramp)."""
        return ramp(month, self.spec.start_month, self.spec.ramp_months)

    def act(self, on: float, days: int, tables: Tables) -> None:
        """Scale the month's tables by this lever's effect at share ``on`` of full effect."""
        raise NotImplementedError

    def finish(self, month: int, tables: Tables) -> None:
        """After every lever has acted: nothing, unless a lever needs the others' effects."""

    def owner(self, trust: str) -> str | None:
        """Who runs the practices the lever reaches, if it changes that (else None)."""
        return None

    def capitated_budget(self) -> np.ndarray | None:
        """A capitated budget per practice, GBP a month, if the lever holds one."""
        return None
