"""Case finding: who a risk stratification tool puts on a case manager's list, and what it implies.

A risk tool ranks the registered population by predicted risk of emergency admission and the
programme enrols the top ``enrol_share`` of the reached lists. Each person's *true* yearly hazard
is their cell's expected admissions [practice, cohort] spread over the cell in proportion to the
population's own risk score (age, long-term conditions and person-level frailty): so cells keep
their totals and the risk score finally decides who is at risk. The tool sees that hazard only
through its data: last year's admissions (Poisson at the true hazard) and risk factors measured
with error, combined as an empirical-Bayes predictor ``hazard·e^(σε-σ²/2) + last year's count``
(one year of data weighted like the prior mean, as the PARR and Combined Predictive Model used
prior use), with σ solved so that the tool's c-statistic for next year's admission is
``risk_tool_c_statistic``. ``rank_by = "last_year_admissions"`` ranks by last year's count alone.

Because the tool (like every real one) rewards last year's bad luck, the enrolled were admitted
more last year than their hazard implies: next year they fall back even with no intervention
(regression to the mean). :class:`Enrolment` keeps both numbers, so a before/after comparison of
the cohort can be set beside the model's paired one.

Draws come from the place's own seed, so every run and scenario on the place enrols the same
people (as :func:`~simulate.model.levers.base.propensities` does for practices).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulate.errors import InputError
from simulate.inputs.categories import COHORTS

_CACHE: dict[tuple, Enrolment] = {}
"""Enrolments by (population, lever, parameters): every replication of a scenario asks again."""


@dataclass(frozen=True)
class Enrolment:
    """The enrolled cohort, counted over [practice, cohort]."""

    persons: np.ndarray  # persons enrolled
    share: np.ndarray  # their share of the cell's expected admissions (their hazard share)
    before: np.ndarray  # their admissions in the tool's data year (the year before go-live)
    expected: np.ndarray  # their expected admissions a year at baseline hazards
    c_statistic: float  # the tool's c-statistic for next year's admission, as achieved

    @property
    def count(self) -> int:
        """Persons enrolled."""
        return int(self.persons.sum())


def hazards(population, expected_admissions: np.ndarray) -> np.ndarray:
    """True yearly admission hazard of each person: the cell's expected count shared by risk."""
    cells = population.practice.astype(np.int64) * len(COHORTS) + population.cohort
    weight = np.where(population.makes_demand, population.risk.astype(float), 0.0)
    size = expected_admissions.size
    total = np.bincount(cells, weights=weight, minlength=size)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_risk = np.where(total > 0, expected_admissions.ravel() / total, 0.0)
    return weight * per_risk[cells]


def c_statistic(score: np.ndarray, hazard: np.ndarray) -> float:
    """Area under the ROC curve of ``score`` for an admission next year (expected, not drawn).

    Each person is admitted with chance ``1 - exp(-hazard)``; the AUC is the chance that an
    admitted person outscores one not admitted (ties count a half), weighted by those chances.
    """
    p = -np.expm1(-hazard)
    q = 1 - p
    groups, which = np.unique(score, return_inverse=True)
    admitted = np.bincount(which, weights=p, minlength=len(groups))
    spared = np.bincount(which, weights=q, minlength=len(groups))
    below = np.cumsum(spared) - spared
    self_pairs = float((p * q).sum())  # a person is never compared with themself
    wins = float((admitted * (below + 0.5 * spared)).sum()) - 0.5 * self_pairs
    return wins / (float(p.sum()) * float(q.sum()) - self_pairs)


def _tool_score(hazard, last_year, normal, sigma) -> np.ndarray:
    """The tool's predicted count: risk factors measured with error plus last year's count."""
    return hazard * np.exp(sigma * normal - sigma**2 / 2) + last_year


def _solve_sigma(hazard, last_year, normal, target: float, key: str) -> tuple[float, float]:
    """σ whose tool reaches c-statistic ``target`` (the c-statistic falls as σ grows).

    Bisection to 2^-25 of the bracket; the inputs are of the people who make demand only (an
    empty registration is no test of a tool).
    """
    best = c_statistic(_tool_score(hazard, last_year, normal, 0.0), hazard)
    if target > best:
        raise InputError(
            f"{key}: {target} is above the best this place's risk spread allows ({best:.3f})"
        )
    low, high = 0.0, 8.0
    for _ in range(25):
        mid = (low + high) / 2
        if c_statistic(_tool_score(hazard, last_year, normal, mid), hazard) > target:
            low = mid
        else:
            high = mid
    sigma = (low + high) / 2
    return sigma, c_statistic(_tool_score(hazard, last_year, normal, sigma), hazard)


def find_cases(place, reach, expected_admissions, spec, key: str, stream: int) -> Enrolment:
    """The cohort the lever's tool enrols on ``place`` (``reach`` [practice, cohort] 0 to 1).

    ``key`` names the lever's table in error messages; ``stream`` keeps each lever's draws apart.
    """
    cache_key = (id(place.population), key, stream, spec.model_dump_json(), reach.tobytes())
    if cache_key not in _CACHE:
        if len(_CACHE) > 32:
            _CACHE.clear()
        _CACHE[cache_key] = _find(place, reach, expected_admissions, spec, key, stream)
    return _CACHE[cache_key]


def _find(place, reach, expected_admissions, spec, key: str, stream: int) -> Enrolment:
    """Draw last year, score everyone, enrol the top of the eligible, count them by cell."""
    pop = place.population
    n = len(pop.practice)
    rng = np.random.default_rng(
        np.random.SeedSequence(place.spec.population.seed, spawn_key=(11, stream))
    )
    hazard = hazards(pop, expected_admissions)
    last_year = rng.poisson(hazard)
    normal, tiebreak, reached = rng.standard_normal(n), rng.random(n), rng.random(n)
    score, c = _score(pop.makes_demand, hazard, last_year, normal, tiebreak, spec, key)
    cohort = pop.cohort
    wanted_cohorts = [COHORTS.index(name) for name in spec.cohorts]
    eligible = (
        pop.makes_demand & (reached < reach[pop.practice, cohort]) & np.isin(cohort, wanted_cohorts)
    )
    listed = reach.max(axis=1)[pop.practice] > 0
    wanted = min(int(round(spec.enrol_share * listed.sum())), int(eligible.sum()))
    candidates = np.flatnonzero(eligible)
    chosen = candidates[np.argsort(-score[candidates], kind="stable")[:wanted]]
    shape = expected_admissions.shape
    cells = pop.practice.astype(np.int64)[chosen] * shape[1] + cohort[chosen]

    def count(weights=None):
        return np.bincount(cells, weights=weights, minlength=int(np.prod(shape))).reshape(shape)

    mine = count(hazard[chosen])
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(expected_admissions > 0, mine / expected_admissions, 0.0)
    before = count(last_year[chosen].astype(float))
    return Enrolment(count().astype(float), share, before, mine, c)


def _score(real, hazard, last_year, normal, tiebreak, spec, key: str):
    """Everyone's score by the lever's ranking, and its c-statistic over the people who exist."""
    if spec.rank_by == "last_year_admissions":  # ties at random
        return last_year + tiebreak, c_statistic(last_year[real], hazard[real])
    sigma, c = _solve_sigma(
        hazard[real],
        last_year[real],
        normal[real],
        spec.risk_tool_c_statistic,
        f"{key}.risk_tool_c_statistic",
    )
    return _tool_score(hazard, last_year, normal, sigma), c
