"""One number per replication: a cube variable's run total, or its mean for a level.

The precision rule (:class:`simulate.experiment.precision.PrecisionRule`) and global sensitivity
(:mod:`simulate.experiment.sensitivity`) both judge a replication by one number on a metric the
user names; they share this reduction so that the same metric means the same number in both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulate.errors import InputError
from simulate.model.outcomes import OUTCOMES

if TYPE_CHECKING:
    import xarray as xr

LEVEL_UNITS = ("beds", "FTE", "persons", "share")


def check_metric(metric: str, key: str = "--metric") -> None:
    """Raise, naming every cube variable, unless ``metric`` is one (``key``: the option given)."""
    if metric not in OUTCOMES:
        known = ", ".join(sorted(OUTCOMES))
        raise InputError(f"unknown cube variable {metric!r}; one of: {known}", key=key)


def metric_value(part: xr.Dataset, metric: str) -> float:
    """One replication's number: the metric's total over the run, or its mean for a level.

    Levels (means, occupancy, capacities, populations) are averaged over months, practices and
    cohorts; counts and costs are summed.
    """
    outcome, data = OUTCOMES[metric], part[metric]
    level = "mean" in outcome.long_name.split()[:2] or outcome.units in LEVEL_UNITS
    return float(data.mean() if level else data.sum())
