"""Distributions declared in scenario files: per-patient durations and per-replication parameters.

Two kinds, never mixed up:

- **Durations** (:data:`Duration`: treatment times, lengths of stay) are drawn afresh for every
  patient while the model runs. They are the variability of the system.
- **Uncertain parameters** (:data:`Uncertain`: any other real-valued parameter) are drawn once per
  replication, before the model runs. They are our uncertainty about the system (probabilistic
  sensitivity analysis).

Each duration is written in a scenario as an inline table, e.g.
``{dist = "lognormal", mean = 2.0, sd = 1.5}``, always parametrised by its *mean* and *sd* in the
unit its key names, because those are what published sources report. Each knows its analytic mean
and variance, so tests can check the model against theory, and draws in bulk from a given
generator.
"""

from __future__ import annotations

import math
from typing import Annotated, ClassVar, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, PositiveFloat, model_validator


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


# --- Uncertain parameters: one draw per replication ------------------------------------------
#
# The distributions above are *per-patient*: a duration field holds one, and the model draws a new
# value for every patient. The ones below are *per-replication*: any other real-valued parameter
# of a scenario may be written as one of them instead of a number, to say that we are unsure of its
# value (probabilistic sensitivity analysis). Each replication draws it once, by inversion of one
# uniform number from the parameter's own named stream, so two scenarios that share an uncertain
# parameter draw the same value in the same replication (common random numbers), and a larger
# value of a parameter's distribution maps to a larger draw.


class _Uncertain(BaseModel):
    """A per-replication distribution of one parameter: its support, mean and inverse CDF."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    @property
    def support(self) -> tuple[float, float]:
        """Smallest and largest values a draw can take (infinite where unbounded)."""
        raise NotImplementedError

    random: ClassVar[bool] = True
    """Whether a draw uses a random number (not for ``fixed``)."""

    @property
    def open_support(self) -> bool:
        """Whether draws never reach the ends of :attr:`support` (e.g. lognormal never gives 0)."""
        return False

    @property
    def mean(self) -> float:
        """Analytic mean: the value a scenario's nominal spec uses."""
        raise NotImplementedError

    def ppf(self, u: float) -> float:
        """The value at quantile ``u`` in (0, 1)."""
        raise NotImplementedError

    def draw(self, rng: np.random.Generator) -> float:
        """One draw, from one uniform number of ``rng``."""
        return float(self.ppf(rng.random()))


class UncertainFixed(_Uncertain):
    """A known value written as a distribution (``{dist = "fixed", value = 30}``): no draw."""

    dist: Literal["fixed"]
    value: float
    random: ClassVar[bool] = False

    @property
    def support(self) -> tuple[float, float]:  # noqa: D102
        return self.value, self.value

    @property
    def mean(self) -> float:  # noqa: D102
        return self.value

    def ppf(self, u: float) -> float:  # noqa: D102
        return self.value


class UncertainUniform(_Uncertain):
    """Any value from ``low`` to ``high`` equally likely."""

    dist: Literal["uniform"]
    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> UncertainUniform:
        if not self.low < self.high:
            raise ValueError("low must be less than high (for one value, use a plain number)")
        return self

    @property
    def support(self) -> tuple[float, float]:  # noqa: D102
        return self.low, self.high

    @property
    def mean(self) -> float:  # noqa: D102
        return (self.low + self.high) / 2

    def ppf(self, u: float) -> float:  # noqa: D102
        return self.low + u * (self.high - self.low)


class UncertainTriangular(_Uncertain):
    """From ``low`` to ``high``, most likely at ``mode``: the usual form of an expert's range."""

    dist: Literal["triangular"]
    low: float
    mode: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> UncertainTriangular:
        if not (self.low <= self.mode <= self.high and self.low < self.high):
            raise ValueError("needs low <= mode <= high and low < high")
        return self

    @property
    def support(self) -> tuple[float, float]:  # noqa: D102
        return self.low, self.high

    @property
    def mean(self) -> float:  # noqa: D102
        return (self.low + self.mode + self.high) / 3

    def ppf(self, u: float) -> float:  # noqa: D102
        low, mode, high = self.low, self.mode, self.high
        split = (mode - low) / (high - low)
        if u < split:
            return low + math.sqrt(u * (high - low) * (mode - low))
        return high - math.sqrt((1 - u) * (high - low) * (high - mode))


class UncertainNormal(_Uncertain):
    """Normal with ``mean`` and ``sd``, optionally truncated to ``[low, high]``.

    A parameter with bounds (a share in [0, 1], a non-negative rate) accepts a normal only if it is
    truncated within them: an untruncated normal can give any value.
    """

    dist: Literal["normal"]
    mean_: float = Field(alias="mean")
    sd: PositiveFloat
    low: float = -math.inf
    high: float = math.inf

    @model_validator(mode="after")
    def _ordered(self) -> UncertainNormal:
        if not self.low < self.high:
            raise ValueError("low must be less than high")
        if self._mass() < 1e-12:
            raise ValueError("[low, high] holds almost none of the distribution")
        return self

    def _mass(self) -> float:
        return self._cdf(self.high) - self._cdf(self.low)

    def _cdf(self, x: float) -> float:
        from scipy.special import ndtr

        return float(ndtr((x - self.mean_) / self.sd))

    @property
    def support(self) -> tuple[float, float]:  # noqa: D102
        return self.low, self.high

    @property
    def open_support(self) -> bool:  # noqa: D102
        return True

    @property
    def mean(self) -> float:  # noqa: D102
        if math.isinf(self.low) and math.isinf(self.high):
            return self.mean_
        from scipy.stats import truncnorm

        a, b = (self.low - self.mean_) / self.sd, (self.high - self.mean_) / self.sd
        return float(truncnorm.mean(a, b, loc=self.mean_, scale=self.sd))

    def ppf(self, u: float) -> float:  # noqa: D102
        from scipy.special import ndtri

        lower = self._cdf(self.low)
        value = self.mean_ + self.sd * float(ndtri(lower + u * (self._cdf(self.high) - lower)))
        return min(max(value, self.low), self.high)


class UncertainLogNormal(_Uncertain):
    """Right-skewed and positive, given by its arithmetic ``mean`` and ``sd`` (not log-scale)."""

    dist: Literal["lognormal"]
    mean_: PositiveFloat = Field(alias="mean")
    sd: PositiveFloat

    @property
    def support(self) -> tuple[float, float]:  # noqa: D102
        return 0.0, math.inf

    @property
    def open_support(self) -> bool:  # noqa: D102
        return True

    @property
    def mean(self) -> float:  # noqa: D102
        return self.mean_

    def ppf(self, u: float) -> float:  # noqa: D102
        from scipy.special import ndtri

        sigma2 = math.log1p((self.sd / self.mean_) ** 2)
        mu = math.log(self.mean_) - sigma2 / 2
        return float(math.exp(mu + math.sqrt(sigma2) * ndtri(u)))


class UncertainBeta(_Uncertain):
    """A proportion in (0, 1) with shapes ``alpha`` and ``beta``: mean alpha / (alpha + beta).

    Given as alpha and beta rather than mean and sd because every pair is valid, and because
    "alpha events in alpha + beta trials" is how a share observed in a study is usually turned into
    a beta distribution.
    """

    dist: Literal["beta"]
    alpha: PositiveFloat
    beta: PositiveFloat

    @property
    def support(self) -> tuple[float, float]:  # noqa: D102
        return 0.0, 1.0

    @property
    def open_support(self) -> bool:  # noqa: D102
        return True

    @property
    def mean(self) -> float:  # noqa: D102
        return self.alpha / (self.alpha + self.beta)

    def ppf(self, u: float) -> float:  # noqa: D102
        from scipy.stats import beta

        return float(beta.ppf(u, self.alpha, self.beta))


Uncertain = Annotated[
    UncertainFixed
    | UncertainUniform
    | UncertainTriangular
    | UncertainNormal
    | UncertainLogNormal
    | UncertainBeta,
    Field(discriminator="dist"),
]
"""A per-replication distribution of one real-valued scenario parameter."""
