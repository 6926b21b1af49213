"""Linear stocks integrated exactly, and the material delays built from them.

A stock-and-flow structure whose flows are linear in the stocks, with rates and inflows held
constant over a step, is ``dx/dt = Q x + u``; its exact solution over the step is the matrix
exponential (``scipy.linalg.expm``), not an Euler approximation. A delay's step response is then
exact, and mass balance holds to rounding because every outflow ends in an explicit sink stock.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import expm

MONTH_YEARS = 1.0 / 12.0



class LinearStocks:
    """Stocks ``x`` with ``dx/dt = Q x + u``, ``Q`` and ``u`` constant over each step."""

    _cache: dict[bytes, tuple[np.ndarray, np.ndarray]] = {}
    """Propagators by (rates, step), shared by every instance: many stocks share one structure
    (every practice's recruitment pipeline), and a matrix exponential is the costly part."""

    def __init__(self, initial: np.ndarray):
        self.x = np.asarray(initial, dtype=float).copy()

    def step(self, rates: np.ndarray, inflow: np.ndarray, dt: float) -> np.ndarray:
        """Advance by ``dt`` exactly; return the new stocks."""
        transition, forcing = self._propagator(rates, dt)
        self.x = transition @ self.x + forcing @ np.asarray(inflow, dtype=float)
        return self.x

    def _propagator(self, rates: np.ndarray, dt: float) -> tuple[np.ndarray, np.ndarray]:
        """``(Phi, Gamma)`` with ``x(t+dt) = Phi x(t) + Gamma u``, from one augmented expm."""
        key = rates.tobytes() + np.float64(dt).tobytes()
        cache = LinearStocks._cache
        if key not in cache:
            n = len(rates)
            augmented = np.zeros((2 * n, 2 * n))
            augmented[:n, :n] = rates
            augmented[:n, n:] = np.eye(n)
            exponential = expm(augmented * dt)
            if len(cache) > 256:
                cache.clear()
            cache[key] = (exponential[:n, :n], exponential[:n, n:])
        return cache[key]


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


class VectorDelay:
    """A third-order material delay for many streams at once (one column per practice)."""

    def __init__(self, tau: float, order: int, initial_outflow_rate: np.ndarray):
        k = order / tau
        self.order, self.tau = order, tau
        self.rates = np.zeros((order + 1, order + 1))
        for stage in range(order):
            transfer(self.rates, stage, stage + 1, k)
        initial = np.zeros((order + 1, len(initial_outflow_rate)))
        initial[:-1] = initial_outflow_rate / k
        self.stocks = LinearStocks(initial)

    def step(self, inflow_rate: np.ndarray, dt: float) -> np.ndarray:
        """Feed ``inflow_rate`` (per stream) for ``dt``; return what came out of each."""
        before = self.stocks.x[-1].copy()
        u = np.zeros_like(self.stocks.x)
        u[0] = inflow_rate
        return self.stocks.step(self.rates, u, dt)[-1] - before

    @property
    def outflow_rate(self) -> np.ndarray:
        """Outflow rate of each stream now."""
        return self.stocks.x[-2] * self.order / self.tau
