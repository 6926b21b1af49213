"""The month's demand rates: what the people registered make of the scenario's rates.

Rates are per person-year by age band × cohort (:class:`~simulate.model.rates.Rates`); the people
who make demand change month by month with the population stocks. :class:`Demand` is their
product, per practice × cohort and per day (GP requests per *working* day), computed once when
either changes and read by every tier that draws or expects arrivals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulate.model.rates import Rates, per_practice

WORKING_DAYS_PER_YEAR = 5 * 365 / 7
"""Working days per year of a plain Monday-to-Friday week (a calendar clock's own figure, with
its bank holidays, is :attr:`~simulate.model.clock.Timeline.working_days_per_year`)."""


@dataclass(frozen=True)
class Demand:
    """Daily rates [practice, cohort] and the age weights that place each arrival in a band."""

    base: np.ndarray  # people who make demand [practice, age, cohort]
    gp_requests: np.ndarray  # per working day
    ae_attendances: np.ndarray  # per day
    outpatient_attendances: np.ndarray  # per day
    outpatient_referrals: np.ndarray  # per day
    nursing_referrals: np.ndarray  # per day
    ae_age_weights: np.ndarray  # [practice, age, cohort]
    gp_age_weights: np.ndarray  # [practice, age, cohort]
    emergency_admissions: np.ndarray  # per day, expected (the trust draws them from A&E)
    mix: np.ndarray | None = None  # [practice, sex, dep, age, cohort] shares over (sex, dep)
    working_days_per_year: float = WORKING_DAYS_PER_YEAR  # over which ``gp_requests`` spread

    @classmethod
    def of(
        cls,
        rates: Rates,
        base: np.ndarray,
        working_days: float = WORKING_DAYS_PER_YEAR,
        mix: np.ndarray | None = None,
    ):
        """Demand of the people ``base`` [practice, age, cohort] at ``rates``.

        ``working_days`` a year spread the GP requests made in opening hours over the days the
        practices are open. ``mix`` is who those people are by sex and deprivation
        (:func:`simulate.model.mix.composition`): GP requests take the sex factors, A&E (and the
        admissions that come through it) the deprivation factors; without it both are 1.
        """
        gp, emergency = (1.0, 1.0) if rates.factors is None else rates.factors.multipliers(mix)
        gp_base, emergency_base = base * gp, base * emergency
        return cls(
            base=base,
            gp_requests=per_practice(gp_base, rates.gp_requests) / working_days,
            ae_attendances=per_practice(emergency_base, rates.ae_attendances) / 365.0,
            outpatient_attendances=per_practice(base, rates.outpatient_attendances) / 365.0,
            outpatient_referrals=per_practice(base, rates.outpatient_referrals) / 365.0,
            nursing_referrals=per_practice(base, rates.nursing_referrals) / 365.0,
            ae_age_weights=emergency_base * rates.ae_attendances,
            gp_age_weights=gp_base * rates.gp_requests,
            emergency_admissions=per_practice(emergency_base, rates.emergency_admissions) / 365.0,
            mix=mix,
            working_days_per_year=working_days,
        )
