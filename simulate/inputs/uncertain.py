"""Uncertain parameters: distributions of scenario parameters, one draw per replication.

Durations (:mod:`simulate.inputs.distributions`) are *per-patient*: a duration field holds one, and
the model draws a new value for every patient. These are *per-replication*: any other real-valued
parameter of a scenario may be written as one of them instead of a number, to say that we are
unsure of its value (probabilistic sensitivity analysis). Each replication draws it once, by
inversion of one uniform number from the parameter's own named stream, so two scenarios that share
an uncertain parameter draw the same value in the same replication (common random numbers), and a
larger value of a parameter's distribution maps to a larger draw.
"""

from __future__ import annotations

import math
from typing import Annotated, ClassVar, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, PositiveFloat, model_validator


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


class _Ranged(_Uncertain):
    """A distribution bounded by ``low`` and ``high`` (infinite where it is unbounded)."""

    @property
    def support(self) -> tuple[float, float]:  # noqa: D102
        return self.low, self.high


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


class UncertainUniform(_Ranged):
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
    def mean(self) -> float:  # noqa: D102
        return (self.low + self.high) / 2

    def ppf(self, u: float) -> float:  # noqa: D102
        return self.low + u * (self.high - self.low)


class UncertainTriangular(_Ranged):
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
    def mean(self) -> float:  # noqa: D102
        return (self.low + self.mode + self.high) / 3

    def ppf(self, u: float) -> float:  # noqa: D102
        low, mode, high = self.low, self.mode, self.high
        split = (mode - low) / (high - low)
        if u < split:
            return low + math.sqrt(u * (high - low) * (mode - low))
        return high - math.sqrt((1 - u) * (high - low) * (high - mode))


class UncertainNormal(_Ranged):
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
