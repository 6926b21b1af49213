"""How many replications: the sequential precision rule of Hoad, Robinson & Davies (2010).

A scenario's effect is estimated from paired differences ``d_r = x[scenario, r] - x[baseline, r]``
(common random numbers). After ``n`` replications the 95% t-interval of their mean has half-width
``t(n-1) · s / √n``; the rule is met when that is at most ``precision · |baseline mean|``. When it
is not, the replications still needed are estimated as the smallest ``n'`` for which the same
half-width, with the standard deviation seen so far, would be within the target: about
``(t · s / (precision · mean))²``, Hoad et al.'s estimate. The statistics are pure functions of
arrays, so the rule is tested on synthetic data with known variance, away from any simulation;
:class:`PrecisionRule` is the rule as a run is given it (metric, precision, cap) and as the cube
records it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from simulate.errors import InputError
from simulate.experiment.metric import check_metric, metric_value

if TYPE_CHECKING:
    import xarray as xr

LEVEL = 0.95
MINIMUM = 3
"""Replications before the rule is applied: two give a standard deviation on one degree of freedom,
whose t quantile (12.7) makes any estimate of the need meaningless."""


@dataclass(frozen=True)
class Verdict:
    """Whether one scenario's paired difference is precise enough, and what it would take."""

    replications: int
    difference: float
    half_width: float
    baseline_mean: float
    precision: float
    needed: int
    """Estimated total replications for the rule to hold (at least :attr:`replications`)."""

    @property
    def target(self) -> float:
        """The largest half-width the rule accepts."""
        return self.precision * abs(self.baseline_mean)

    @property
    def met(self) -> bool:
        """Whether the half-width is within the target."""
        return bool(self.half_width <= self.target)

    @property
    def relative_half_width(self) -> float:
        """Half-width as a share of |baseline mean| (to set beside ``precision``)."""
        return self.half_width / abs(self.baseline_mean) if self.baseline_mean else float("inf")


def half_width(differences: np.ndarray, level: float = LEVEL) -> float:
    """Half-width of the t-interval of the mean of ``differences``."""
    n = len(differences)
    if n < 2:
        return float("inf")
    sd = float(np.std(differences, ddof=1))
    from scipy import stats  # here: scipy.stats takes longer to import than a small run takes

    return float(stats.t.ppf(0.5 + level / 2, n - 1) * sd / math.sqrt(n))


def needed(sd: float, target: float, at_least: int, level: float = LEVEL, cap: int = 10**6) -> int:
    """Smallest ``n >= at_least`` with ``t(n-1) · sd / √n <= target`` (``cap`` if none below it)."""
    if sd == 0:
        return at_least
    if target <= 0:
        return cap
    from scipy import stats

    z = stats.norm.ppf(0.5 + level / 2)
    n = max(at_least, math.ceil((z * sd / target) ** 2))  # t > z, so never past the answer
    while n < cap and stats.t.ppf(0.5 + level / 2, n - 1) * sd / math.sqrt(n) > target:
        n += 1
    return min(n, cap)


def assess(
    differences: np.ndarray, baseline: np.ndarray, precision: float, level: float = LEVEL
) -> Verdict:
    """The rule on one scenario: paired ``differences`` and the ``baseline`` values they share."""
    differences, baseline = np.asarray(differences, float), np.asarray(baseline, float)
    if differences.shape != baseline.shape or differences.ndim != 1:
        raise ValueError("differences and baseline must be 1-d and of equal length")
    n, reference = len(differences), float(np.mean(baseline))
    sd = float(np.std(differences, ddof=1)) if n > 1 else float("inf")
    at_least = max(n, MINIMUM)
    more = needed(sd, precision * abs(reference), at_least, level) if n > 1 else at_least
    mean = float(np.mean(differences))
    return Verdict(n, mean, half_width(differences, level), reference, precision, more)


def next_total(verdicts: list[Verdict], cap: int, step: int = 1) -> int:
    """Replications to have next: the largest need, at least one more, rounded up to ``step``.

    ``step`` is the number of workers, so a batch keeps them all busy.
    """
    have = verdicts[0].replications
    want = max(have + 1, *(v.needed for v in verdicts))
    want = have + step * math.ceil((want - have) / step)
    return min(want, cap)


@dataclass(frozen=True)
class PrecisionRule:
    """When to stop adding replications: the 95% interval of every scenario's paired difference.

    The rule holds when the half-width on ``metric`` is within ``precision`` (a share of the
    baseline mean) for every scenario; ``cap`` replications end the run either way.
    """

    metric: str
    precision: float
    cap: int

    def __post_init__(self):
        check_metric(self.metric)
        if not 0 < self.precision < 1:
            raise InputError("must be a share of the baseline mean, e.g. 0.05", key="--precision")
        if self.cap < MINIMUM:
            raise InputError(f"must be at least {MINIMUM}", key="--max-replications")

    def value(self, part: xr.Dataset) -> float:
        """One number per part (:func:`~simulate.experiment.metric.metric_value`)."""
        return metric_value(part, self.metric)

    def attrs(self, verdicts: dict[str, Verdict]) -> dict:
        """What the cube records of the rule and how it ended."""
        met = all(v.met for v in verdicts.values())
        detail = {
            name: {
                "difference": v.difference,
                "half_width": v.half_width,
                "baseline_mean": v.baseline_mean,
                "relative_half_width": v.relative_half_width,
                "replications_needed": v.needed,
            }
            for name, v in verdicts.items()
        }
        return {
            "precision_metric": self.metric,
            "precision": self.precision,
            "precision_cap": self.cap,
            "precision_met": int(met),
            "precision_detail": json.dumps(detail, sort_keys=True),
        }
