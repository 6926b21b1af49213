"""System dynamics: the slow stocks of a health economy, advanced a month at a time.

Population (age band × number of long-term conditions), GP workforce and money change over years,
and their flows are *linear within a month*: people age, die, migrate and gather conditions at
rates that are fixed for the month; recruits pass through a pipeline delay; funding passes through
a commissioning delay. So every stock-and-flow structure here is one :class:`LinearStocks`, a
system ``dx/dt = Q x + u`` whose rates and inputs are held constant over each step and which is
integrated *exactly* by the matrix exponential (``scipy.linalg.expm``), not by Euler steps: a
delay's step response is exact, and mass balance holds to rounding because every outflow ends in
an explicit sink stock (deaths, emigrants, leavers, spent money). The engine couples in each month:
it reads capacities from the stocks and hands back pressures, which set next month's rates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.linalg import expm

MONTH_YEARS = 1.0 / 12.0


class LinearStocks:
    """Stocks ``x`` with ``dx/dt = Q x + u``, ``Q`` and ``u`` constant over each step."""

    def __init__(self, initial: np.ndarray):
        self.x = np.asarray(initial, dtype=float).copy()
        self._cache: dict[bytes, tuple[np.ndarray, np.ndarray]] = {}

    def step(self, rates: np.ndarray, inflow: np.ndarray, dt: float) -> np.ndarray:
        """Advance by ``dt`` exactly; return the new stocks."""
        transition, forcing = self._propagator(rates, dt)
        self.x = transition @ self.x + forcing @ np.asarray(inflow, dtype=float)
        return self.x

    def _propagator(self, rates: np.ndarray, dt: float) -> tuple[np.ndarray, np.ndarray]:
        """``(Phi, Gamma)`` with ``x(t+dt) = Phi x(t) + Gamma u``, from one augmented expm."""
        key = rates.tobytes() + np.float64(dt).tobytes()
        if key not in self._cache:
            n = len(rates)
            augmented = np.zeros((2 * n, 2 * n))
            augmented[:n, :n] = rates
            augmented[:n, n:] = np.eye(n)
            exponential = expm(augmented * dt)
            if len(self._cache) > 64:
                self._cache.clear()
            self._cache[key] = (exponential[:n, :n], exponential[:n, n:])
        return self._cache[key]


def transfer(rates: np.ndarray, source: int, target: int, rate: float) -> None:
    """Add a flow from stock ``source`` to stock ``target`` at ``rate`` per unit time."""
    rates[target, source] += rate
    rates[source, source] -= rate


class Delay:
    """An n-th order material delay of mean ``tau``: n stocks in series, each emptying at n/tau.

    Order 1 smooths (exponential response); order 3 is the usual pipeline (S-shaped response).
    """

    def __init__(self, tau: float, order: int = 1, initial_outflow_rate: float = 0.0):
        if tau <= 0 or order < 1:
            raise ValueError("a delay needs tau > 0 and order >= 1")
        self.tau, self.order = tau, order
        k = order / tau
        self.rates = np.zeros((order + 1, order + 1))  # the last stock is the outflow sink
        for stage in range(order):
            transfer(self.rates, stage, stage + 1, k)
        initial = np.full(order + 1, initial_outflow_rate / k)
        initial[-1] = 0.0
        self.stocks = LinearStocks(initial)

    def step(self, inflow_rate: float, dt: float) -> float:
        """Feed ``inflow_rate`` for ``dt``; return the amount that came out."""
        before = self.stocks.x[-1]
        u = np.zeros(self.order + 1)
        u[0] = inflow_rate
        return float(self.stocks.step(self.rates, u, dt)[-1] - before)

    @property
    def outflow_rate(self) -> float:
        """Outflow rate now."""
        return float(self.stocks.x[-2] * self.order / self.tau)

    @property
    def in_transit(self) -> float:
        """Material inside the delay."""
        return float(self.stocks.x[:-1].sum())


@dataclass
class PopulationRates:
    """Annual rates of the population model (per person-year unless stated)."""

    band_years: np.ndarray  # width of each age band in years (inf for the last)
    mortality: np.ndarray  # [age band, cohort]
    onset: np.ndarray  # [age band]: hazard of one more long-term condition
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
                    transfer(q, cell, cell + 1, r.onset[a])
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


@dataclass
class WorkforceRates:
    """GP workforce parameters (time in years)."""

    leaving_rate: float  # share of FTE leaving per year at sustainable workload
    overload_leaving_ratio: float  # leaving-rate multiplier once overloaded
    overload_from: float  # pressure (demand / capacity) where overload starts
    overload_full: float  # pressure where the full multiplier applies
    recruitment_delay_years: float  # mean time from deciding to hire to a GP starting
    adjustment_years: float  # time to close a gap between funded and actual FTE


class Workforce:
    """GP FTE per practice: recruits through a third-order pipeline, leavers rise with pressure."""

    def __init__(self, fte: np.ndarray, rates: WorkforceRates):
        self.rates = rates
        self.fte = np.asarray(fte, dtype=float).copy()
        self.leavers_total = np.zeros_like(self.fte)
        self.pipelines = [
            Delay(rates.recruitment_delay_years, 3, initial_outflow_rate=f * rates.leaving_rate)
            for f in self.fte
        ]

    def leaving_rate(self, pressure: np.ndarray) -> np.ndarray:
        """Annual leaving rate per practice at this workload pressure."""
        r = self.rates
        overload = np.clip((pressure - r.overload_from) / (r.overload_full - r.overload_from), 0, 1)
        return r.leaving_rate * (1 + (r.overload_leaving_ratio - 1) * overload)

    def step(self, funded: np.ndarray, pressure: np.ndarray, months: float = 1.0) -> dict:
        """One step: hires started to close the funded gap and replace leavers, leavers out."""
        r, dt = self.rates, months * MONTH_YEARS
        leaving = self.leaving_rate(pressure)
        # replace leavers, close the gap to the funded FTE, and keep the pipeline as full as the
        # replacement rate needs (the standard stock-management rule, Sterman 2000, ch. 17)
        in_pipeline = np.array([p.in_transit for p in self.pipelines])
        wanted_pipeline = leaving * self.fte * r.recruitment_delay_years
        correction = (funded - self.fte + wanted_pipeline - in_pipeline) / r.adjustment_years
        hiring = np.maximum(0.0, leaving * self.fte + correction)
        started = np.array([p.step(h, dt) for p, h in zip(self.pipelines, hiring)])
        leavers = self.fte * (1 - np.exp(-leaving * dt))
        self.fte = self.fte - leavers + started
        self.leavers_total += leavers
        return {"joiners": started, "leavers": leavers, "hiring": hiring * dt}


class Funding:
    """Money per registered head that becomes funded capacity only after a commissioning delay."""

    def __init__(self, per_head: float, cost_per_fte: float, delay_years: float, heads: float):
        self.cost_per_fte = cost_per_fte
        self.pipeline = Delay(delay_years, 3, initial_outflow_rate=per_head * heads)
        self.committed = per_head * heads  # GBP per year flowing into commissioned capacity

    def step(self, per_head: float, heads: float, months: float = 1.0) -> float:
        """Announce ``per_head`` GBP a year; return the annual spend now commissioned."""
        self.pipeline.step(per_head * heads, months * MONTH_YEARS)
        self.committed = self.pipeline.outflow_rate
        return self.committed

    @property
    def funded_fte(self) -> float:
        """FTE the commissioned money pays for."""
        return self.committed / self.cost_per_fte
