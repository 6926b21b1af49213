"""The synthetic registered population: one row per registered person, held as NumPy columns.

Rows are built from each practice's age–sex counts, so registered totals equal list sizes exactly.
Each person gets a deprivation quintile near their practice's, a number of long-term conditions
drawn from age-specific prevalence (onset earlier where deprivation is higher), a risk score, and a
resident locality. Not everyone registered lives in the place: list inflation leaves registrations
of people who have moved away or died ("not resident", who make no demand), and some patients live
across the boundary ("outside"). The registered and the resident views are two groupings of the
same rows, so they always sum to the same people.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from simulate.inputs.categories import AGE5, AGE5_MIDPOINT, AGE_BANDS, BAND_OF_AGE5, COHORTS
from simulate.inputs.place import PlaceSpec, largest_remainder

PREVALENCE_MIDPOINTS = np.array([12.5, 35.0, 55.0, 75.0, 90.0])
"""Middle ages of the prevalence bands 0-24, 25-44, 45-64, 65-84, 85+ (evidence bands)."""
OUTSIDE, NOT_RESIDENT = "outside", "not resident"


def ltc_means(prevalence_2plus: list[float], shape: float) -> np.ndarray:
    """Mean LTC count per prevalence band whose negative binomial gives P(2+) = prevalence.

    Solved once per distinct input in a process (every replication's rates ask again, and the
    root finding took several percent of a replication); the caller gets its own copy.
    """
    return _ltc_means(tuple(float(p) for p in prevalence_2plus), float(shape)).copy()


@functools.lru_cache(maxsize=64)
def _ltc_means(prevalence_2plus: tuple[float, ...], shape: float) -> np.ndarray:
    from scipy import optimize, stats  # here, not at the top: reading a place needs neither

    def p2plus(mean: float) -> float:
        return 1.0 - stats.nbinom(shape, shape / (shape + mean)).cdf(1)

    return np.array(
        [optimize.brentq(lambda m, p=p: p2plus(m) - p, 1e-9, 1e3) for p in prevalence_2plus]
    )


PREVALENCE_BAND_OF_AGE5 = np.array([0] * 5 + [1] * 4 + [2] * 4 + [3] * 4 + [4] * 2)
"""The prevalence band (0-24, 25-44, 45-64, 65-84, 85+) of each five-year age band."""


def fitted_ltc_means(spec: PlaceSpec, age_sex: np.ndarray) -> np.ndarray:
    """Knot means (at :data:`PREVALENCE_MIDPOINTS`) whose *band averages* give the published shares.

    A band's published prevalence is its average over the people in it; fitted only at the band's
    middle age, the curve's convexity and an ageing band's skew leave the synthetic band short
    (65-84 at about 60% for a published 65%). So the five knots are solved, by least squares on
    their logarithms (``scipy.optimize.least_squares``, five equations in five unknowns, exact at
    the solution), for each band's expected share with 2+ conditions over the place's own ages
    and deprivation (every practice's age mix and its patients' quintiles, as
    :func:`synthesise` draws them) to equal the published one. The start then matches the
    published curve in expectation; the draw adds only sampling noise.
    """
    pop = spec.population
    quintile = np.array([p.deprivation_quintile for p in spec.practices])
    kernel = np.zeros((len(quintile), 5))  # the synthesis' step -1, 0, 0, +1, clipped to 1..5
    for step, weight in ((-1, 0.25), (0, 0.5), (1, 0.25)):
        np.add.at(kernel, (np.arange(len(quintile)), np.clip(quintile + step, 1, 5) - 1), weight)
    weights = np.einsum("pa,pd->ad", age_sex.sum(axis=1), kernel)  # [age5, dep] expected people
    shift = pop.deprivation_onset_shift_years * (3 - np.arange(1, 6)) / 4
    ages = AGE5_MIDPOINT[:, None] + shift[None, :]
    target = np.asarray(pop.prevalence_2plus_by_age, dtype=float)
    return _fit_knots(
        tuple(target), float(pop.ltc_count_shape), weights.tobytes(), ages.tobytes()
    ).copy()


@functools.lru_cache(maxsize=16)
def _fit_knots(target, shape, weights, ages) -> np.ndarray:
    from scipy import optimize

    w = np.frombuffer(weights).reshape(len(AGE5), 5)
    a = np.frombuffer(ages).reshape(len(AGE5), 5)
    per_band = np.zeros((len(target), len(AGE5)))
    per_band[PREVALENCE_BAND_OF_AGE5, np.arange(len(AGE5))] = 1.0
    band_weight = np.maximum(per_band @ w.sum(axis=1), 1e-300)

    def residual(log_means):
        mean = ltc_mean_at(a, np.exp(log_means))
        p = shape / (shape + mean)
        two_plus = 1 - p**shape * (1 + shape * (1 - p))
        return per_band @ (w * two_plus).sum(axis=1) / band_weight - np.asarray(target)

    start = np.log(ltc_means(list(target), shape))
    return np.exp(optimize.least_squares(residual, start, xtol=1e-12, ftol=1e-12).x)


def ltc_mean_at(age: np.ndarray, means: np.ndarray) -> np.ndarray:
    """Mean LTC count at ``age`` (years), log-linear between the bands' middle ages."""
    return np.exp(np.interp(age, PREVALENCE_MIDPOINTS, np.log(means)))


def ltc_distribution(age: np.ndarray, means: np.ndarray, shape: float) -> np.ndarray:
    """Shares of cohorts 0, 1, 2, 3, 4+ at each ``age``: rows sum to 1."""
    from scipy import stats

    mean = ltc_mean_at(np.asarray(age, dtype=float), means)
    dist = stats.nbinom(shape, shape / (shape + mean[:, None]))
    shares = dist.pmf(np.arange(4)[None, :])
    return np.column_stack([shares, 1 - shares.sum(axis=1)])


@dataclass(frozen=True)
class Population:
    """Registered persons as columns (one entry per person) and the place's locality codes."""

    practice: np.ndarray  # int16, index into the place's practices
    age5: np.ndarray  # int8, index into AGE5
    sex: np.ndarray  # int8, 0 male, 1 female
    deprivation: np.ndarray  # int8, IMD quintile 1 (most deprived) .. 5
    ltc: np.ndarray  # int8, number of long-term conditions
    risk: np.ndarray  # float32, relative risk of emergency admission (mean 1 over residents)
    locality: np.ndarray  # int16, index into ``localities`` (then outside, not resident)
    localities: tuple[str, ...]
    n_practices: int
    ltc_curve: np.ndarray | None = None  # knot means of the LTC count by age (fitted_ltc_means)

    @property
    def cohort(self) -> np.ndarray:
        """Cohort index (number of LTCs, 4 or more pooled)."""
        return np.minimum(self.ltc, len(COHORTS) - 1)

    @property
    def age_band(self) -> np.ndarray:
        """Index into :data:`AGE_BANDS`."""
        return BAND_OF_AGE5[self.age5]

    @property
    def makes_demand(self) -> np.ndarray:
        """True for people who exist and use services (all but list-inflation registrations)."""
        return self.locality != len(self.localities) - 1

    def count(self, columns: dict[str, tuple[np.ndarray, int]], where=None) -> np.ndarray:
        """Persons counted over several columns: ``{name: (values, number of values)}``."""
        shape = tuple(n for _, n in columns.values())
        index = np.ravel_multi_index(tuple(v.astype(np.int64) for v, _ in columns.values()), shape)
        if where is not None:
            index = index[where]
        return np.bincount(index, minlength=int(np.prod(shape))).reshape(shape)

    @cached_property
    def registered(self) -> np.ndarray:
        """Registered persons [practice, cohort]: rows sum to list sizes exactly."""
        return self.count({"p": (self.practice, self.n_practices), "k": (self.cohort, 5)})

    @cached_property
    def demand_base(self) -> np.ndarray:
        """People who make demand, [practice, age band, cohort]: the engine's denominators."""
        columns = {
            "p": (self.practice, self.n_practices),
            "a": (self.age_band, len(AGE_BANDS)),
            "k": (self.cohort, 5),
        }
        return self.count(columns, where=self.makes_demand)

    @cached_property
    def demand_mix(self) -> np.ndarray:
        """Who makes demand by sex and deprivation: shares [practice, sex, dep, age, cohort]."""
        return composition(self.demand_people)

    @cached_property
    def demand_people(self) -> np.ndarray:
        """People who make demand [practice, sex, deprivation quintile, age band, cohort]."""
        columns = {
            "p": (self.practice, self.n_practices),
            "s": (self.sex, 2),
            "d": (self.deprivation - 1, 5),
            "a": (self.age_band, len(AGE_BANDS)),
            "k": (self.cohort, 5),
        }
        return self.count(columns, where=self.makes_demand)

    @cached_property
    def resident(self) -> np.ndarray:
        """The same people by resident locality × cohort (then outside, then not resident)."""
        return self.count({"l": (self.locality, len(self.localities)), "k": (self.cohort, 5)})


def synthesise(spec: PlaceSpec, age_sex: np.ndarray) -> Population:
    """The place's registered population, drawn from its own seed (the same for every run).

    ``age_sex`` is the place file's registered persons [practice, sex, age5] (``Place.age_sex``).
    """
    pop = spec.population
    if pop.is_table:
        return cohort_table(spec, age_sex.sum(axis=(1, 2)))
    rng = np.random.default_rng(np.random.SeedSequence(pop.seed, spawn_key=(3,)))
    counts = age_sex  # [practice, sex, age5]
    p_idx, s_idx, a_idx = np.indices(counts.shape).reshape(3, -1)
    n = counts.ravel()
    practice = np.repeat(p_idx, n).astype(np.int16)
    sex = np.repeat(s_idx, n).astype(np.int8)
    age5 = np.repeat(a_idx, n).astype(np.int8)
    size = len(practice)

    # deprivation: the practice's quintile, or a neighbour's for half its patients (assumption)
    home_quintile = np.array([p.deprivation_quintile for p in spec.practices])[practice]
    step = rng.choice([-1, 0, 0, 1], size=size)
    deprivation = np.clip(home_quintile + step, 1, 5).astype(np.int8)

    # long-term conditions: onset earlier with deprivation, half the shift either side of quintile 3
    means = fitted_ltc_means(spec, age_sex)
    age = AGE5_MIDPOINT[age5] + pop.deprivation_onset_shift_years * (3 - deprivation) / 4
    mean = ltc_mean_at(age, means)
    shape = pop.ltc_count_shape
    ltc = np.minimum(rng.negative_binomial(shape, shape / (shape + mean)), 20).astype(np.int8)

    # resident locality: list inflation first (concentrated at ages 20-39), then cross-boundary
    n_loc = len(spec.localities)
    locality = np.empty(size, dtype=np.int16)
    home = np.array(
        [[loc.code for loc in spec.localities].index(p.locality) for p in spec.practices]
    )[practice]
    other = (home + 1 + rng.integers(0, max(n_loc - 1, 1), size)) % n_loc
    locality[:] = np.where((rng.random(size) < pop.own_locality_share) | (n_loc == 1), home, other)
    locality[rng.random(size) < pop.cross_boundary_share] = n_loc
    weight = np.where((age5 >= 4) & (age5 <= 7), 2.0, 1.0)
    keys = np.log(weight) + rng.gumbel(size=size)
    inflated = pop.list_inflation / (1 + pop.list_inflation)
    for p in range(len(spec.practices)):
        rows = np.flatnonzero(practice == p)
        ghosts = int(round(len(rows) * inflated))
        if ghosts:
            locality[rows[np.argpartition(-keys[rows], ghosts - 1)[:ghosts]]] = n_loc + 1

    # risk score: age and LTC weights with person-level noise, mean 1 over people who exist
    cohort = np.minimum(ltc, 4)
    risk = (
        np.asarray(pop.risk_age_weights)[BAND_OF_AGE5[age5]]
        * np.asarray(pop.risk_ltc_weights)[cohort]
        * rng.lognormal(-(pop.risk_noise_sigma**2) / 2, pop.risk_noise_sigma, size)
    )
    real = locality <= n_loc
    risk = (risk / risk[real].mean()).astype(np.float32)
    codes = tuple(loc.code for loc in spec.localities) + (OUTSIDE, NOT_RESIDENT)
    return Population(
        practice, age5, sex, deprivation, ltc, risk, locality, codes, len(spec.practices), means
    )


def cohort_table(spec: PlaceSpec, sizes: np.ndarray) -> Population:
    """A fixed cohort table: each list (``sizes``) split over cohorts by largest remainder.

    Everyone is resident. Nothing is random and no age is modelled (everyone sits in the first age
    band), as the reference workload prescribes; rates for such a place should be the same in every
    age band.
    """
    counts = np.array([largest_remainder(int(n), spec.population.cohort_shares) for n in sizes])
    practice = np.repeat(np.arange(len(sizes)), sizes).astype(np.int16)
    ltc = np.concatenate([np.repeat(np.arange(5), row) for row in counts]).astype(np.int8)
    quintile = np.array([p.deprivation_quintile for p in spec.practices], dtype=np.int8)
    codes = [loc.code for loc in spec.localities]
    home = np.array([codes.index(p.locality) for p in spec.practices], dtype=np.int16)
    zeros = np.zeros(len(practice), dtype=np.int8)
    return Population(
        practice,
        zeros,
        zeros,
        quintile[practice],
        ltc,
        np.ones(len(practice), dtype=np.float32),
        home[practice],
        tuple(codes) + (OUTSIDE, NOT_RESIDENT),
        len(sizes),
    )


def composition(people: np.ndarray) -> np.ndarray:
    """Shares over (sex, quintile) of people [practice, sex, dep, age, cohort], same layout.

    A cell nobody is in gets equal shares (it makes no demand, so they only need to be finite).
    """
    total = people.sum(axis=(1, 2), keepdims=True)
    even = 1.0 / (people.shape[1] * people.shape[2])
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, people / np.maximum(total, 1e-300), even)


__all__ = ["AGE5", "AGE_BANDS", "Population", "synthesise"]
