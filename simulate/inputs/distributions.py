"""Distributions declared in scenario files: per-patient durations and per-replication parameters.

Two kinds, never mixed up:

- **Durations** (:data:`Duration`: treatment times, lengths of stay) are drawn afresh for every
  patient while the model runs. They are the variability of the system.
- **Uncertain parameters** (:data:`simulate.inputs.uncertain.Uncertain`: any other real-valued
  parameter) are drawn once per replication, before the model runs. They are our uncertainty
  about the system (probabilistic sensitivity analysis).

Each duration is written in a scenario as an inline table, e.g.
``{dist = "lognormal", mean = 2.0, sd = 1.5}``, always parametrised by its *mean* and *sd* in the
unit its key names, because those are what published sources report. Each knows its analytic mean
and variance, so tests can check the model against theory, and draws in bulk from a given
generator.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, PositiveFloat


class _Distribution(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    @property
    def mean(self) -> float:
        """Analytic mean."""
        raise NotImplementedError

    @property
    def variance(self) -> float:
        """Analytic variance."""
        raise NotImplementedError

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """``size`` independent draws."""
        raise NotImplementedError

    def survival(self, t: np.ndarray) -> np.ndarray:
        """``P(X > t)``: the share still going at ``t`` (a patient's patience still lasting)."""
        raise NotImplementedError

    def excess(self, t: np.ndarray) -> np.ndarray:
        """``E[(X - t)+]``, the integral of :meth:`survival` from ``t`` on (``E[X] - t`` below 0).

        The mean time still to go past ``t``: bed days beyond a trim point, and, as a difference
        at a day's two ends, the expected part of that day a stay covers.
        """
        raise NotImplementedError

    def quantile(self, u: np.ndarray) -> np.ndarray:
        """The inverse of the distribution function at shares ``u`` in (0, 1)."""
        raise NotImplementedError


class Fixed(_Distribution):
    """Always the same value."""

    dist: Literal["fixed"]
    value: float = Field(ge=0)

    @property
    def mean(self) -> float:  # noqa: D102
        return self.value

    @property
    def variance(self) -> float:  # noqa: D102
        return 0.0

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:  # noqa: D102
        return np.full(size, self.value)

    def survival(self, t: np.ndarray) -> np.ndarray:  # noqa: D102
        return (np.asarray(t, dtype=float) < self.value).astype(float)

    def excess(self, t: np.ndarray) -> np.ndarray:  # noqa: D102
        return np.maximum(self.value - np.asarray(t, dtype=float), 0.0)

    def quantile(self, u: np.ndarray) -> np.ndarray:  # noqa: D102
        return np.full(np.shape(u), self.value)


class Exponential(_Distribution):
    """Memoryless durations: what queueing theory's M/M/c assumes."""

    dist: Literal["exponential"]
    mean_: PositiveFloat = Field(alias="mean")

    @property
    def mean(self) -> float:  # noqa: D102
        return self.mean_

    @property
    def variance(self) -> float:  # noqa: D102
        return self.mean_**2

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:  # noqa: D102
        return rng.exponential(self.mean_, size)

    def survival(self, t: np.ndarray) -> np.ndarray:  # noqa: D102
        return np.exp(-np.maximum(np.asarray(t, dtype=float), 0.0) / self.mean_)

    def excess(self, t: np.ndarray) -> np.ndarray:  # noqa: D102
        t = np.asarray(t, dtype=float)
        return self.mean_ * self.survival(t) - np.minimum(t, 0.0)

    def quantile(self, u: np.ndarray) -> np.ndarray:  # noqa: D102
        return -self.mean_ * np.log1p(-np.asarray(u, dtype=float))


class LogNormal(_Distribution):
    """Right-skewed durations given by their mean and standard deviation (not log-scale)."""

    dist: Literal["lognormal"]
    mean_: PositiveFloat = Field(alias="mean")
    sd: PositiveFloat

    @property
    def mean(self) -> float:  # noqa: D102
        return self.mean_

    @property
    def variance(self) -> float:  # noqa: D102
        return self.sd**2

    @property
    def log_params(self) -> tuple[float, float]:
        """``(mu, sigma)`` of the underlying normal."""
        sigma2 = math.log1p((self.sd / self.mean_) ** 2)
        return math.log(self.mean_) - sigma2 / 2, math.sqrt(sigma2)

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:  # noqa: D102
        mu, sigma = self.log_params
        return rng.lognormal(mu, sigma, size)

    def survival(self, t: np.ndarray) -> np.ndarray:  # noqa: D102
        from scipy.special import erfc

        mu, sigma = self.log_params
        t = np.asarray(t, dtype=float)
        with np.errstate(divide="ignore"):
            z = (np.log(np.maximum(t, 0.0)) - mu) / (sigma * math.sqrt(2))
        return np.where(t > 0, 0.5 * erfc(z), 1.0)

    def excess(self, t: np.ndarray) -> np.ndarray:  # noqa: D102
        # E[X; X > t] = mean * P(Z > (ln t - mu - sigma^2) / sigma), the lognormal's partial mean
        from scipy.special import erfc

        mu, sigma = self.log_params
        t = np.asarray(t, dtype=float)
        with np.errstate(divide="ignore"):
            z = (np.log(np.maximum(t, 0.0)) - mu - sigma**2) / (sigma * math.sqrt(2))
        above = np.where(t > 0, self.mean_ * 0.5 * erfc(z), self.mean_)
        return above - t * self.survival(t)

    def quantile(self, u: np.ndarray) -> np.ndarray:  # noqa: D102
        from scipy.special import ndtri

        mu, sigma = self.log_params
        return np.exp(mu + sigma * ndtri(np.asarray(u, dtype=float)))


Duration = Annotated[Fixed | Exponential | LogNormal, Field(discriminator="dist")]
