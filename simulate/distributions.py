"""Distributions of durations (treatment times, lengths of stay), declared in scenario files.

Each is written in a scenario as an inline table, e.g. ``{dist = "lognormal", mean = 2.0, sd =
1.5}``, always parametrised by its *mean* and *sd* in the unit its key names, because those are
what published sources report. Each knows its analytic mean and variance, so tests can check the
model against theory, and draws in bulk from a given generator.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, PositiveFloat


class _Distribution(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

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


Duration = Annotated[Fixed | Exponential | LogNormal, Field(discriminator="dist")]
