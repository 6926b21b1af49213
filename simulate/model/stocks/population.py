"""The registered population as stocks: age band × number of long-term conditions.

People are born into the first band with no conditions, age from band to band at one over the
band's width, gather conditions one at a time at an onset hazard, die at rates by age and
conditions, and migrate: all linear flows, so :class:`Population` is one generator matrix for
:class:`~simulate.model.stocks.linear.LinearStocks`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from simulate.model.stocks.linear import MONTH_YEARS, LinearStocks, transfer


@dataclass
class PopulationRates:
    """Annual rates of the population model (per person-year unless stated)."""

    band_years: np.ndarray  # width of each age band in years (inf for the last)
    mortality: np.ndarray  # [age band, cohort]
    onset: np.ndarray  # [age band] or [age band, cohort]: hazard of one more long-term condition
    emigration: np.ndarray  # [age band]
    births: float  # persons per year, into the first band with no conditions
    immigration: np.ndarray = field(default=None)  # persons per year by age band, no conditions

    def __post_init__(self):
        if self.immigration is None:
            self.immigration = np.zeros(len(self.band_years))


class Population:
    """Registered people by age band × number of long-term conditions (0, 1, 2, 3, 4+)."""

    def __init__(self, initial: np.ndarray, rates: PopulationRates):
        self.shape = initial.shape
        self.rates = rates
        cells = initial.size
        self.deaths_index, self.emigrants_index = cells, cells + 1
        self.stocks = LinearStocks(np.concatenate([initial.ravel(), [0.0, 0.0]]))
        self.generator = self._generator()

    def _generator(self) -> np.ndarray:
        bands, cohorts = self.shape
        r = self.rates
        q = np.zeros((bands * cohorts + 2,) * 2)
        for a in range(bands):
            for k in range(cohorts):
                cell = a * cohorts + k
                if a + 1 < bands and np.isfinite(r.band_years[a]):
                    transfer(q, cell, cell + cohorts, 1.0 / r.band_years[a])
                if k + 1 < cohorts:
                    transfer(q, cell, cell + 1, r.onset[a, k] if r.onset.ndim == 2 else r.onset[a])
                transfer(q, cell, self.deaths_index, r.mortality[a, k])
                transfer(q, cell, self.emigrants_index, r.emigration[a])
        return q

    def _inflow(self) -> np.ndarray:
        bands, cohorts = self.shape
        u = np.zeros(bands * cohorts + 2)
        u[0] += self.rates.births
        u[0 : bands * cohorts : cohorts] += self.rates.immigration
        return u

    def step(self, months: float = 1.0) -> dict[str, float]:
        """Advance ``months``; return the step's flows (persons) for the mass balance."""
        before = self.stocks.x.copy()
        after = self.stocks.step(self.generator, self._inflow(), months * MONTH_YEARS)
        years = months * MONTH_YEARS
        return {
            "births": self.rates.births * years,
            "immigrants": float(self.rates.immigration.sum() * years),
            "deaths": float(after[self.deaths_index] - before[self.deaths_index]),
            "emigrants": float(after[self.emigrants_index] - before[self.emigrants_index]),
        }

    @property
    def people(self) -> np.ndarray:
        """Stocks as [age band, cohort]."""
        return self.stocks.x[: self.deaths_index].reshape(self.shape)

    def equilibrium(self) -> np.ndarray:
        """The stationary population for these rates: ``Q x + u = 0`` over living cells."""
        n = self.deaths_index
        return np.linalg.solve(self.generator[:n, :n], -self._inflow()[:n]).reshape(self.shape)


class HeldPopulation:
    """The steady state (``hold_age_structure``): one :class:`Population` column per practice.

    Net migration of each band is set once, in the band's own LTC mix, so that no band would
    change size; with ``hold_ltc_mix`` onset is solved so that each band's mix would hold
    (:func:`steady_onset`). For experiments that need a population that does not change.
    """

    def __init__(
        self,
        people: np.ndarray,
        rates: PopulationRates,
        births: np.ndarray,
        hold: bool,
        sex_share: np.ndarray | None = None,
        mix: np.ndarray | None = None,
    ):
        practices, bands, cohorts = people.shape
        self.sex_share = np.full((2, bands), 0.5) if sex_share is None else sex_share
        self.mix = np.full((practices, 2, 5, bands, cohorts), 0.1) if mix is None else mix
        cells = bands * cohorts
        self.shape = (bands, cohorts)
        self.generator = Population(np.zeros(self.shape), rates).generator
        start = np.zeros((cells + 2, practices))
        start[:cells] = people.reshape(practices, cells).T
        inflow = np.zeros_like(start)
        inflow[0] = births
        if hold:
            change = (self.generator @ start + inflow)[:cells].reshape(bands, cohorts, practices)
            by_band = people.sum(axis=2).T  # [age, practice]
            mix = np.where(
                by_band[:, None, :] > 0,
                people.transpose(1, 2, 0) / np.maximum(by_band[:, None, :], 1e-300),
                np.eye(cohorts)[0][None, :, None],
            )
            inflow[:cells] -= (change.sum(axis=1)[:, None, :] * mix).reshape(cells, practices)
        self.inflow = inflow
        self.stocks = LinearStocks(start)

    def step(self) -> None:
        """One month."""
        self.stocks.step(self.generator, self.inflow, MONTH_YEARS)

    def by_band(self) -> np.ndarray:
        """People [practice, age band, cohort]."""
        cells = self.shape[0] * self.shape[1]
        return self.stocks.x[:cells].T.reshape((-1,) + self.shape)

    def by_sex_band(self) -> np.ndarray:
        """People [sex, age band], each band split by sex as at the start (no sex is modelled)."""
        return self.sex_share * self.by_band().sum(axis=(0, 2))[None, :]

    def by_sex_dep_band(self) -> np.ndarray:
        """People [practice, sex, dep, age band, cohort], each cell split as at the start."""
        return self.by_band()[:, None, None] * self.mix


def steady_onset(people: np.ndarray, rates: PopulationRates, births: float) -> np.ndarray:
    """Onset hazards [age band, cohort] under which the LTC mix of ``people`` [age, cohort] holds.

    With each band's size held by net migration in the band's own mix, the cohorts of a band
    balance one after another: what cohort ``k`` loses to ``k+1`` is what flows into it less
    what flows out otherwise. Solved from cohort 0 up; a negative hazard (the mix cannot hold
    by onset alone) is set to zero, so that cell drifts.
    """
    bands, cohorts = people.shape
    flat = Population(
        people,
        PopulationRates(rates.band_years, rates.mortality, np.zeros(bands), rates.emigration, 0.0),
    )
    q = flat.generator[: bands * cohorts, : bands * cohorts]
    change = (q @ people.ravel()).reshape(bands, cohorts)
    change[0, 0] += births
    migration = (
        -change.sum(axis=1, keepdims=True)
        * people
        / np.maximum(people.sum(axis=1, keepdims=True), 1e-300)
    )
    net = change + migration  # [age, cohort]: what onset must carry away (cumulatively)
    onset = np.zeros((bands, cohorts))
    carried = np.zeros(bands)
    for k in range(cohorts - 1):
        carried = carried + net[:, k]
        with np.errstate(divide="ignore", invalid="ignore"):
            onset[:, k] = np.where(people[:, k] > 0, carried / people[:, k], 0.0)
        onset[:, k] = np.maximum(onset[:, k], 0.0)
        carried = onset[:, k] * people[:, k]
    return onset
