"""Paired comparisons of scenarios against a baseline, read from a cube alone.

Replication ``r`` of every scenario shares its random streams with replication ``r`` of the
baseline, so the effect of a scenario is estimated from the *paired* differences
``x[scenario, r] - x[baseline, r]``: their mean, and a 95% t-interval over replications.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr
from scipy import stats


@dataclass(frozen=True)
class Headline:
    """A scalar per replication drawn from the cube: a total, or a mean over months."""

    variable: str
    label: str
    unit: str
    how: str  # "total" over months, practices and cohorts, or "mean" over months

    def per_replication(self, cube: xr.Dataset) -> xr.DataArray:
        """One value per (scenario, replication)."""
        data = cube[self.variable]
        other = [d for d in data.dims if d not in ("scenario", "replication", "month")]
        data = data.sum(other) if other else data
        return data.sum("month") if self.how == "total" else data.mean("month")


HEADLINES = (
    Headline("gp_appointments", "GP practice appointments", "appointments", "total"),
    Headline("hub_appointments", "Hub appointments", "appointments", "total"),
    Headline("ae_attendances", "A&E attendances", "attendances", "total"),
    Headline("ae_4h_breaches", "A&E 4-hour breaches", "attendances", "total"),
    Headline("emergency_admissions", "Emergency admissions", "admissions", "total"),
    Headline("beds_occupied", "Mean beds occupied", "beds", "mean"),
    Headline("cost", "Cost", "GBP", "total"),
)


@dataclass(frozen=True)
class Effect:
    """A scenario's paired difference from the baseline on one headline."""

    scenario: str
    headline: Headline
    baseline_mean: float
    scenario_mean: float
    difference: float
    low: float
    high: float
    replications: int

    @property
    def relative(self) -> float:
        """Difference as a fraction of the baseline mean."""
        return self.difference / self.baseline_mean if self.baseline_mean else float("nan")


def interval(differences: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and t-interval of paired differences (NaN bounds with one replication)."""
    n = len(differences)
    mean = float(np.mean(differences))
    if n < 2:
        return mean, float("nan"), float("nan")
    half = stats.t.ppf(0.5 + level / 2, n - 1) * np.std(differences, ddof=1) / np.sqrt(n)
    return mean, mean - half, mean + half


def effects(cube: xr.Dataset, baseline: str | None = None) -> list[Effect]:
    """Every scenario's effect on every headline, against ``baseline`` (default: the first)."""
    names = [str(s) for s in cube.scenario.values]
    baseline = baseline or names[0]
    found = []
    for headline in HEADLINES:
        values = headline.per_replication(cube)
        base = values.sel(scenario=baseline).values
        for name in names:
            if name == baseline:
                continue
            other = values.sel(scenario=name).values
            mean, low, high = interval(other - base)
            found.append(
                Effect(
                    name,
                    headline,
                    float(base.mean()),
                    float(other.mean()),
                    mean,
                    low,
                    high,
                    len(base),
                )
            )
    return found


def _number(x: float) -> str:
    if np.isnan(x):
        return "n/a"
    return f"{x:,.1f}" if abs(x) < 1000 else f"{x:,.0f}"


def _signed(x: float) -> str:
    return "n/a" if np.isnan(x) else ("+" if x >= 0 else "") + _number(x)


def headline_table(cube: xr.Dataset, baseline: str | None = None) -> str:
    """A plain-text table: each headline's baseline mean, scenario mean and paired difference."""
    rows = [("scenario", "outcome", "baseline", "scenario mean", "difference (95% CI)", "change")]
    for e in effects(cube, baseline):
        ci = f"{_signed(e.difference)} ({_signed(e.low)} to {_signed(e.high)})"
        rows.append(
            (
                e.scenario,
                f"{e.headline.label} ({e.headline.unit})",
                _number(e.baseline_mean),
                _number(e.scenario_mean),
                ci,
                f"{e.relative:+.1%}" if not np.isnan(e.relative) else "n/a",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for i, row in enumerate(rows):
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
        cells += [c.rjust(w) for c, w in zip(row[2:], widths[2:])]
        lines.append("  ".join(cells))
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
