"""How long a warm-up: MSER-5 (White 1997) on a pilot run that starts from empty.

A replication starts with empty backlogs, beds and caseloads, so its first weeks understate
everything that queues. The pilot runs a scenario with no warm-up over weekly periods (a finer
series than months, from the same engine: :class:`simulate.model.clock.Weeks`), averages each metric
over replications, and applies MSER-5 to the weekly series: group it into batch means of 5, and
delete the number of leading batches that minimises the squared standard error of the mean of what
remains, searching only the first half (past it the estimate rests on too few batches and MSER is
known to pick spuriously late points). The suggestion is the longest of the metrics' truncations,
in whole months.
"""

from __future__ import annotations

import math
import shlex
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the command line imports this module for its defaults: keep that light
    import numpy as np
    import xarray as xr

BATCH = 5
DAYS_PER_MONTH = 365.25 / 12
DEFAULT_METRICS = ("gp_backlog", "gp_wait_days", "beds_occupied", "community_nursing_caseload")


def mser(series: np.ndarray, batch: int = BATCH) -> int:
    """Observations to delete from the start of ``series`` (a multiple of ``batch``).

    ``MSER(d) = Σ_{j>d} (Z_j - mean(Z_{>d}))² / (k - d)²`` over the ``k`` batch means ``Z``;
    the ``d`` minimising it in ``0 .. k // 2`` is chosen (the first on ties).
    """
    import numpy as np

    series = np.asarray(series, dtype=float)
    k = len(series) // batch
    if k < 4:
        raise ValueError(f"MSER-{batch} needs at least {4 * batch} observations")
    means = series[: k * batch].reshape(k, batch).mean(axis=1)
    scores = [np.var(means[d:]) / (k - d) for d in range(k // 2 + 1)]  # var = Σ(...)² / (k - d)
    return int(np.argmin(scores)) * batch


@dataclass(frozen=True)
class Suggestion:
    """MSER-5's truncation for one metric, in weeks and whole months."""

    metric: str
    weeks: int

    @property
    def months(self) -> int:
        """The truncation rounded up to whole months."""
        return math.ceil(self.weeks * 7 / DAYS_PER_MONTH)


def weekly_series(cube: xr.Dataset, metric: str) -> np.ndarray:
    """``metric`` per week, averaged over replications; means averaged, counts summed."""
    from simulate.model.outcomes import OUTCOMES

    data = cube[metric].isel(scenario=0)
    other = [d for d in data.dims if d not in ("replication", "month")]
    outcome = OUTCOMES[metric]
    level = outcome.units in ("days", "hours") and "mean" in outcome.long_name
    if other:
        data = data.mean(other) if level else data.sum(other)
    return data.mean("replication").values


def check_metrics(metrics: list[str]) -> None:
    """One line naming the valid metrics if any is unknown (the first unknown one)."""
    from simulate.experiment.metric import check_metric

    for metric in metrics:
        check_metric(metric, key="--metrics")


def pilot(
    scenario, replications: int, months: int, seed: int, executor, out: Path | None, progress=None
):
    """The pilot cube: ``scenario`` from empty over weekly periods covering ``months``."""
    from simulate.experiment.runner import Experiment, run
    from simulate.model.clock import Weeks

    weeks = math.ceil(months * DAYS_PER_MONTH / 7)
    timeline = Weeks(scenario.spec.start, weeks)
    experiment = Experiment((scenario,), replications, seed, weeks, 0, timeline=timeline)
    command = shlex.join(["icsim", "warmup", "(pilot)"])
    if out is not None:
        return run(experiment, out, command, executor=executor, progress=progress)
    with tempfile.TemporaryDirectory(prefix="icsim-pilot-") as folder:
        return run(experiment, Path(folder), command, executor=executor, progress=progress)


def suggest(cube: xr.Dataset, metrics: list[str]) -> list[Suggestion]:
    """MSER-5's truncation of each metric's weekly series."""
    return [Suggestion(m, mser(weekly_series(cube, m))) for m in metrics]


def render(suggestions: list[Suggestion], current: int) -> str:
    """The table and the verdict beside the current default warm-up."""
    rows = [f"{'metric':<30} {'MSER-5 truncation':>18} {'months':>7}"]
    rows += [f"{s.metric:<30} {s.weeks:>12} weeks {s.months:>7}" for s in suggestions]
    longest = max(s.months for s in suggestions)
    if longest > current:
        verdict = f"longer than the default {current}: use --warmup-months {longest}"
    else:
        verdict = f"the default --warmup-months {current} is long enough"
    return "\n".join(rows) + f"\n\nsuggested warm-up: {longest} months (the longest); {verdict}"
