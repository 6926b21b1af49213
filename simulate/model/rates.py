"""Demand rates by age band × cohort, and what they imply for each practice and each arrival.

Sources publish a rate by age and, separately, a rate ratio by number of long-term conditions
(age-adjusted). A rate for (age band, cohort) is the age rate times the cohort's ratio divided by
the band's mean ratio, the mean taken over the LTC mix the place's prevalence gives at that age and
average deprivation: so a band's mean is the published age rate, and a place with more
multimorbidity than average at a given age asks for more care, as it should.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulate.inputs.categories import AGE5_MIDPOINT, BAND_OF_AGE5
from simulate.inputs.schema import ScenarioSpec
from simulate.model.mix import Factors, factors
from simulate.model.place import Place
from simulate.model.population import ltc_distribution

PERSON_YEAR_DAYS = 365.0


def reference_ltc_mix(place: Place) -> np.ndarray:
    """Shares of each cohort within each age band [age band, cohort] at average deprivation."""
    pop = place.spec.population
    if pop.is_table:
        return np.tile(np.asarray(pop.cohort_shares), (BAND_OF_AGE5.max() + 1, 1))
    shares = ltc_distribution(AGE5_MIDPOINT, place.population.ltc_curve, pop.ltc_count_shape)
    mix = np.zeros((BAND_OF_AGE5.max() + 1, shares.shape[1]))
    np.add.at(mix, BAND_OF_AGE5, shares)
    return mix / mix.sum(axis=1, keepdims=True)


def by_age_and_ltc(by_age, ratio_by_ltc, mix: np.ndarray) -> np.ndarray:
    """Rate [age band, cohort]: the age rate spread over cohorts by age-adjusted ratios."""
    ratio = np.asarray(ratio_by_ltc, dtype=float)
    return np.asarray(by_age, dtype=float)[:, None] * ratio[None, :] / (mix @ ratio)[:, None]


@dataclass(frozen=True)
class Rates:
    """Per person-year rates [age band, cohort] and per-attendance chances of one scenario."""

    gp_requests: np.ndarray
    ae_attendances: np.ndarray
    emergency_admissions: np.ndarray
    outpatient_attendances: np.ndarray
    outpatient_referrals: np.ndarray
    nursing_referrals: np.ndarray
    minor_share: np.ndarray  # [age band], of the background stream (not from primary care)
    admit_if_not_minor: np.ndarray  # [age band, cohort]
    stay_ratio: np.ndarray  # [age band, cohort], mean 1 over the place's emergency admissions
    factors: Factors | None = None  # sex and deprivation (simulate.model.mix); None: all 1

    @classmethod
    def of(cls, spec: ScenarioSpec, place: Place) -> Rates:
        """The scenario's rates on the place."""
        d, mix = spec.demand, reference_ltc_mix(place)
        gp = by_age_and_ltc(d.gp_requests_per_person_year_by_age, d.gp_requests_ratio_by_ltc, mix)
        ae = by_age_and_ltc(
            d.ae_attendances_per_person_year_by_age, d.ae_attendances_ratio_by_ltc, mix
        )
        admissions = by_age_and_ltc(
            d.emergency_admissions_per_person_year_by_age, d.emergency_admissions_ratio_by_ltc, mix
        )
        background_minor = _background_minor(np.asarray(d.ae_minor_share_by_age), spec.acute)
        f, m = spec.acute.after_failed_primary_care_share, spec.acute.gp_origin_minor_share
        minor = 1 - ((1 - f) * (1 - background_minor) + f * (1 - m))  # of all, as modelled
        with np.errstate(divide="ignore", invalid="ignore"):
            admit = np.nan_to_num(admissions / (ae * (1 - minor)[:, None]))
        acute = spec.acute
        stay = np.asarray(acute.length_of_stay_ratio_by_age)[:, None] * (
            1 + acute.length_of_stay_growth_per_ltc
        ) ** np.arange(gp.shape[1])
        admitted = ae * (1 - minor)[:, None] * np.minimum(admit, 1)
        weights = (place.population.demand_base * admitted).sum(axis=0)
        stay = stay / (np.sum(weights * stay) / np.sum(weights))
        c = spec.community
        return cls(
            gp_requests=gp * d.gp_requests_growth,
            ae_attendances=ae,
            emergency_admissions=admissions,
            outpatient_attendances=by_age_and_ltc(
                d.outpatient_attendances_per_person_year_by_age, d.outpatient_ratio_by_ltc, mix
            ),
            outpatient_referrals=by_age_and_ltc(
                d.outpatient_referrals_per_person_year_by_age, d.outpatient_ratio_by_ltc, mix
            ),
            nursing_referrals=by_age_and_ltc(
                c.nursing_referrals_per_person_year_by_age, c.nursing_ratio_by_ltc, mix
            ),
            minor_share=background_minor,
            admit_if_not_minor=np.minimum(admit, 1.0),
            stay_ratio=stay,
            factors=factors(d, place),
        )


def _background_minor(minor: np.ndarray, acute) -> np.ndarray:
    """Minor share [age band] of the background A&E stream, so that all attendances keep theirs.

    The published minor share is of *all* attendances; the share that comes from primary-care
    need (``after_failed_primary_care_share``) is mostly minor (``gp_origin_minor_share``), so the
    rest must be less so: ``(minor - f m) / (1 - f)``, at least 0.
    """
    f, m = acute.after_failed_primary_care_share, acute.gp_origin_minor_share
    if f >= 1:
        return np.zeros_like(minor)
    return np.clip((minor - f * m) / (1 - f), 0.0, 1.0)


def per_practice(base: np.ndarray, rate: np.ndarray) -> np.ndarray:
    """Expected events per year [practice, cohort] from people [practice, age, cohort]."""
    return np.einsum("pak,ak->pk", base, rate)


def draw_age(weights: np.ndarray, practice, cohort, rng: np.random.Generator) -> np.ndarray:
    """Age band of each event from (practice, cohort), given weights [practice, age, cohort]."""
    cumulative = np.cumsum(weights, axis=1)
    cumulative = cumulative / np.maximum(cumulative[:, -1:, :], 1e-300)
    u = rng.random(len(practice))
    rows = cumulative[practice, :, cohort]  # [event, age]
    return np.minimum((u[:, None] >= rows).sum(axis=1), weights.shape[1] - 1)
