"""Who asks for care beyond age and conditions: sex and deprivation as factors on the rates.

Rates are published by age and, separately, as ratios: women consult a GP more than men of the
same age from adolescence to late middle age (Wang et al. 2013; Hobbs et al. 2016), and people in
deprived areas use A&E more than their conditions explain (Hull et al. 2018). Each ratio becomes a
factor per sex (or deprivation quintile) that *redistributes* the published rate: within an age
band (and number of conditions, for deprivation) the factors average 1 over a reference mix, so
the band's rate at that mix is the published one. The reference for sex is the place's own sex mix
at the start (close to England's); for deprivation it is England's, a fifth of people in each
quintile, so a place more deprived than England asks for more emergency care, as it should.

The stocks hold people by sex and deprivation (a changing population by month of age; the steady
state keeps the start's mix); the demand reads their mix ``[practice, sex, dep, age, cohort]`` each
month and turns it into a multiplier per (practice, age band, cohort) through :class:`Factors`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulate.inputs.categories import AGE5_MIDPOINT, AGE_BANDS, BAND_OF_AGE5, SEXES
from simulate.model.population import composition, ltc_distribution

QUINTILES = 5
QUINTILE_STEP = (3 - np.arange(1, QUINTILES + 1)) / 4
"""Position of quintiles 1..5 on a log-linear gradient: +1/2 (most deprived) to -1/2 (least),
so the ratio of quintile 1 to quintile 5 is the stated ratio exactly."""


@dataclass(frozen=True)
class Factors:
    """Relative rates by sex and by deprivation, each averaging 1 over its reference mix."""

    gp_by_sex: np.ndarray  # [sex, age band]
    emergency_by_deprivation: np.ndarray  # [quintile, age band, cohort]

    def multipliers(self, mix: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """GP and emergency multipliers [practice, age, cohort] of people whose mix is ``mix``.

        ``mix`` [practice, sex, quintile, age band, cohort] gives shares over (sex, quintile) of
        each (practice, age, cohort); ``None`` (no mix known) gives factors of 1.
        """
        if mix is None:
            return np.float64(1.0), np.float64(1.0)
        gp = np.einsum("psdak,sa->pak", mix, self.gp_by_sex)
        emergency = np.einsum("psdak,dak->pak", mix, self.emergency_by_deprivation)
        return gp, emergency


def factors(demand, place) -> Factors:
    """The factors of a scenario's ``[demand]`` table on ``place``."""
    return Factors(
        gp_by_sex=sex_factors(
            np.asarray(demand.gp_requests_female_to_male_ratio_by_age, dtype=float),
            female_share(place),
        ),
        emergency_by_deprivation=deprivation_factors(
            demand.emergency_ratio_most_vs_least_deprived_quintile, quintile_mix(place)
        ),
    )


def sex_factors(ratio: np.ndarray, female: np.ndarray) -> np.ndarray:
    """Factors [sex, band] with women / men = ``ratio`` and mean 1 over ``female`` shares."""
    male = 1.0 / ((1 - female) + female * ratio)
    return np.stack([male, male * ratio])


def deprivation_factors(ratio: float, mix: np.ndarray) -> np.ndarray:
    """Factors [quintile, band, cohort]: quintile 1 / 5 = ``ratio``, mean 1 over ``mix``."""
    gradient = float(ratio) ** QUINTILE_STEP  # [quintile]
    mean = np.einsum("dak,d->ak", mix, gradient)
    return gradient[:, None, None] / mean[None]


def female_share(place) -> np.ndarray:
    """Share of women among the people who make demand, by age band, at the start (0.5 if none)."""
    pop = place.population
    counts = pop.count(
        {"s": (pop.sex, len(SEXES)), "a": (pop.age_band, len(AGE_BANDS))}, where=pop.makes_demand
    ).astype(float)
    total = counts.sum(axis=0)
    return np.where(total > 0, counts[1] / np.maximum(total, 1), 0.5)


def quintile_mix(place) -> np.ndarray:
    """England's shares of each quintile [quintile, band, cohort] within (age band, cohort).

    A fifth of people live in each quintile (by construction of IMD quintiles); their conditions
    come from the place's prevalence curve shifted by deprivation, as the synthesis draws them, so
    a cohort with many conditions holds more of the deprived. A cohort-table place has no ages:
    its quintiles are equal in every cell.
    """
    ps = place.spec.population
    cohorts = len(ps.cohort_shares) if ps.is_table else 5
    if ps.is_table:
        return np.full((QUINTILES, len(AGE_BANDS), cohorts), 1.0 / QUINTILES)
    shifts = ps.deprivation_onset_shift_years * QUINTILE_STEP  # as the synthesis shifts ages
    curve, shape = place.population.ltc_curve, ps.ltc_count_shape
    by_age5 = np.stack([ltc_distribution(AGE5_MIDPOINT + s, curve, shape) for s in shifts])
    mix = np.zeros((QUINTILES, len(AGE_BANDS), by_age5.shape[2]))
    np.add.at(mix, (slice(None), BAND_OF_AGE5), by_age5)
    return mix / np.maximum(mix.sum(axis=0, keepdims=True), 1e-300)


__all__ = ["Factors", "composition", "factors"]
