"""The coupled stocks of one place: population, GP workforce, GP money and beds, month by month.

The replication advances them once a month on the pressures its tiers hand back (requests per
appointment offered, beds occupied) and reads from them the month's demand base, GP FTE and beds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulate.inputs.categories import AGE_BANDS
from simulate.model.population import composition
from simulate.model.stocks.closure import Perception, expected_gap
from simulate.model.stocks.linear import MONTH_YEARS, Delay, VectorDelay
from simulate.model.stocks.people import population_stocks
from simulate.model.stocks.workforce import Workforce, WorkforceRates


@dataclass
class Pressures:
    """What the engine hands back after a month: the pressures that drive the stocks."""

    gp_requests: np.ndarray  # [practice] requests made in the month
    gp_slots: np.ndarray  # [practice] appointments offered in the month
    beds_occupied: float  # patients in a bed or boarding for one (a snapshot or a monthly mean)
    beds: int  # beds open at the trust
    # variance of the true census about ``beds_occupied``, patients²: 0 for a realised count, the
    # Poisson census's (its mean) for the mean field's expectation (``closure.py``), and its
    # correlation with the census 1, 2, ... months later
    census_variance: float = 0.0
    census_correlation: tuple[float, ...] = ()


class EconomyStocks:
    """Population, GP workforce, GP money and beds of one place, advanced a month at a time.

    Each month (one step of ``1/12`` year, integrated exactly by :class:`LinearStocks`):

    1. **people** by practice × sex × deprivation × month of age × cohort are born, age, die,
       gather conditions and migrate (:class:`~simulate.model.stocks.demography.Demography`,
       the default); or, with ``hold_age_structure``, by practice × age band × cohort held as a
       steady state in size and age (:class:`~simulate.model.stocks.population.HeldPopulation`);
    2. **money**: each practice's GP allocation (GBP per head × heads) passes a third-order
       funding delay before it is commissioned; money above the start's pays for FTE at the
       marginal cost of one FTE;
    3. **GP FTE** per practice: :class:`Workforce`, with leaving driven by last month's requests
       per appointment offered (the engine's pressure) and recruitment through a pipeline;
    4. **bed investment**: perceived occupancy (first-order smoothing of what the trust reports)
       above a trigger starts a business case for the beds that would bring it back to the
       trigger; they open after a third-order delay, at the trust (:meth:`month` returns them).
       The mean field, whose occupancy is an expectation, takes the expected business case
       under a Gaussian closure (:mod:`~simulate.model.stocks.closure`).
    """

    def __init__(self, spec, population, demand_share: np.ndarray, gp_fte: np.ndarray):
        self.spec = spec
        self.demand_share = demand_share  # [practice, age, cohort]: people who make demand
        self.population = population  # Demography, or HeldPopulation (the steady state)
        people = population.by_band()
        self.people0 = people.copy()
        practices = people.shape[0]
        self.workforce = Workforce(gp_fte, _workforce_rates(spec))
        self.fte0 = np.asarray(gp_fte, dtype=float).copy()
        heads = people.sum(axis=(1, 2))
        self.committed0 = spec.gp_funding_GBP_per_head_per_year * heads
        years = MONTH_YEARS
        # the pipeline starts full of the baseline money only: extra money must pass the delay
        self.funding = VectorDelay(spec.funding_delay_months * years, 3, self.committed0 * 1.0)
        # the extra money alone, through the same delay: what the lever costs (linear, so it is
        # the part of ``funding`` the extra per-head rate put there)
        self.extra_funding = VectorDelay(spec.funding_delay_months * years, 3, 0.0 * heads)
        self.bed_pipeline = Delay(spec.bed_investment_delay_months * years, 3)
        self.perceived_occupancy = 0.0
        self.perceived_variance = 0.0  # of the true perceived occupancy about it (closure.py)
        self.perception = Perception(1 - np.exp(-1.0 / spec.occupancy_perception_months))
        self.pressure = np.ones(practices)
        self.month_index = 0

    def follow(self, spec) -> None:
        """Take a phased change of the ``[dynamics]`` parameters (money per head may change)."""
        self.spec = spec

    def allocation(self, heads: np.ndarray) -> np.ndarray:
        """GP funding announced per practice, GBP a year."""
        s = self.spec
        per_head = s.gp_funding_GBP_per_head_per_year + s.extra_gp_funding_GBP_per_head_per_year
        return per_head * heads

    # the stocks as the engine reads them
    @property
    def people(self) -> np.ndarray:
        """Registered people [practice, age band, cohort]."""
        return self.population.by_band()

    @property
    def people_by_sex_band(self) -> np.ndarray:
        """Registered people [sex, age band]."""
        return self.population.by_sex_band()

    @property
    def registered(self) -> np.ndarray:
        """Registered people [practice, cohort]."""
        return self.people.sum(axis=1)

    @property
    def demand_base(self) -> np.ndarray:
        """People who make demand [practice, age band, cohort], each as the year's demand per head.

        ``demand_growth_per_person_year`` (off by default) grows every person's use of every
        service beyond what age and conditions explain, compounding a month at a time, so that
        demographic growth and this trend can be told apart.
        """
        trend = (1 + self.spec.demand_growth_per_person_year) ** (self.month_index / 12)
        return self.people * self.demand_share * trend

    @property
    def demand_mix(self) -> np.ndarray:
        """Who the people are by sex and deprivation: shares [practice, sex, dep, age, cohort]."""
        return composition(self.population.by_sex_dep_band())

    @property
    def gp_fte(self) -> np.ndarray:
        """GP FTE per practice."""
        return self.workforce.fte

    @property
    def funded_fte(self) -> np.ndarray:
        """FTE the commissioned money pays for, per practice."""
        extra = (self.funding.outflow_rate - self.committed0) / self.spec.gp_fte_cost_GBP_per_year
        return np.maximum(self.fte0 + extra, 0.0)

    @property
    def funding_allocated(self) -> np.ndarray:
        """GP funding announced this month per practice (GBP a month)."""
        return self.allocation(self.people.sum(axis=(1, 2))) / 12.0

    @property
    def investment_committed(self) -> np.ndarray:
        """GP funding commissioned (through the funding delay) per practice (GBP a month)."""
        return self.funding.outflow_rate / 12.0

    @property
    def new_money(self) -> np.ndarray:
        """Extra per-head GP funding commissioned so far, per practice (GBP a month)."""
        return self.extra_funding.outflow_rate / 12.0

    def month(self, pressures: Pressures) -> float:
        """Advance every stock by one month on last month's pressures; return beds opened.

        The beds belong to the trust: the stocks only decide to build more (a business case when
        perceived occupancy passes the trigger) and say how many the pipeline opened this month.
        """
        dt = 1.0 / 12.0
        self.population.step()
        heads = self.people.sum(axis=(1, 2))
        self.funding.step(self.allocation(heads), dt)
        self.extra_funding.step(self.spec.extra_gp_funding_GBP_per_head_per_year * heads, dt)
        with np.errstate(divide="ignore", invalid="ignore"):
            pressure = pressures.gp_requests / pressures.gp_slots
        self.pressure = np.where(np.isfinite(pressure), pressure, self.pressure)
        self.workforce.step(self.funded_fte, self.pressure, heads=heads)
        gap = self._bed_gap(pressures)
        self.month_index += 1
        return self.bed_pipeline.step(gap / dt, dt)

    def _bed_gap(self, pressures: Pressures) -> float:
        """Beds the business case asks for: perceived occupancy past the trigger, less those coming.

        A realised census (the hybrid) decides at its value; an expected one (the mean field)
        takes the expected decision over the census's Poisson noise, smoothed as the signal is.
        """
        spec, beds = self.spec, pressures.beds
        occupancy = pressures.beds_occupied / max(beds, 1)
        variance = pressures.census_variance / max(beds, 1) ** 2
        smoothing = 1 - np.exp(-1.0 / spec.occupancy_perception_months)
        if self.month_index == 0:
            self.perceived_occupancy = occupancy
        self.perceived_variance = self.perception.report(variance, pressures.census_correlation)
        self.perceived_occupancy += (occupancy - self.perceived_occupancy) * smoothing
        return expected_gap(
            beds,
            self.perceived_occupancy,
            self.perceived_variance,
            spec.bed_occupancy_trigger,
            self.bed_pipeline.in_transit,
        )


def _workforce_rates(spec) -> WorkforceRates:
    """The GP workforce's parameters from the ``[dynamics]`` table (months made years)."""
    years = MONTH_YEARS
    return WorkforceRates(
        leaving_rate=spec.gp_leaving_rate_per_year,
        overload_leaving_ratio=spec.gp_overload_leaving_ratio,
        overload_from=spec.gp_overload_from_requests_per_slot,
        overload_full=spec.gp_overload_full_requests_per_slot,
        recruitment_delay_years=spec.gp_recruitment_delay_months * years,
        adjustment_years=spec.gp_workforce_adjustment_months * years,
        supply_per_head_year=(
            float("inf")
            if spec.gp_supply_fte_per_100k_per_year is None
            else spec.gp_supply_fte_per_100k_per_year / 100_000
        ),
    )


def for_place(spec, place, folder=None) -> EconomyStocks:
    """The stocks of ``place`` under a scenario's ``spec`` (a :class:`ScenarioSpec`).

    ``folder`` is the scenario's, against which a net migration CSV it names is read.
    """
    population = place.population
    people = population.count(
        {
            "p": (population.practice, population.n_practices),
            "a": (population.age_band, len(AGE_BANDS)),
            "k": (population.cohort, 5),
        }
    ).astype(float)
    base = population.demand_base
    practice_share = base.sum(axis=(1, 2)) / np.maximum(people.sum(axis=(1, 2)), 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(people > 0, base / people, practice_share[:, None, None])
    return EconomyStocks(spec.dynamics, population_stocks(spec, place, folder), share, place.gp_fte)
