"""The comparison as a terminal reads it: within 80 columns, a year at a time, one scale a row.

One block per scenario (and group, with ``--by``), headed by what it is compared with and over
what period. Totals are given a year (the run's total over its months x 12 / months); means such as
beds occupied as they are. A row's difference and interval share one number of decimals, enough
to show the interval (a baseline in the thousands is shown whole); cost is in GBP millions and
cost per head in GBP. Below each block, when care is open and where need goes
(:data:`~simulate.results.access.ACCESS_HEADLINES`), for the services either run has, when any of
them moved. A run of one
replication (``--mode sd``) has no interval and says so instead of printing "n/a to n/a".
"""

from __future__ import annotations

import textwrap

import numpy as np
import xarray as xr

from simulate.results.access import ACCESS_HEADLINES
from simulate.results.compare import Effect, _ratio_lines, effects
from simulate.results.gridlock import gridlock_notes
from simulate.results.residence import WORDS, basis

WIDTH = 80

LABELS = {
    ("gp_appointments", "total"): ("GP appointments", 1.0),
    ("hub_appointments", "total"): ("Hub appointments", 1.0),
    ("ae_attendances", "total"): ("A&E attendances", 1.0),
    ("ae_4h_breaches", "total"): ("A&E 4-hour breaches", 1.0),
    ("emergency_admissions", "total"): ("Emergency admissions", 1.0),
    ("beds_occupied", "mean"): ("Beds occupied (mean)", 1.0),
    ("cost", "total"): ("Cost, GBP m", 1e-6),
    ("cost", "per_head"): ("Cost per head, GBP", 1.0),
    ("provider_cost", "total"): ("Acute cost at trust, GBP m", 1e-6),
}
"""Each headline's short label (with its unit where the name does not say it) and its scale."""


def _decimals(e: Effect, scale: float, factor: float) -> int:
    """Decimals for a whole row: enough to show its interval, the same for all its numbers."""
    if scale != 1.0:
        return 2
    if e.headline.how == "per_head":
        return 1
    half = abs(e.high - e.low) / 2 if not np.isnan(e.low) else abs(e.difference)
    half = half * factor
    if np.isnan(half):
        return 0
    return 0 if half >= 10 or half == 0 else (1 if half >= 0.1 else 2)


def _n(x: float, decimals: int, signed: bool = False) -> str:
    if np.isnan(x):
        return "n/a"
    if signed and round(x, decimals) == 0:
        x = 0.0  # never "-0"
    return f"{x:+,.{decimals}f}" if signed else f"{x:,.{decimals}f}"


def _row(e: Effect, per_year: float, labels: dict = LABELS) -> tuple[str, ...]:
    label, scale = labels.get((e.headline.variable, e.headline.how), (e.headline.label, 1.0))
    factor = scale * (1.0 if e.headline.how == "mean" else per_year)
    d = _decimals(e, scale, factor)
    if np.isnan(e.difference):
        ci = "n/a"
    elif np.isnan(e.low):
        ci = "one run: none"
    else:
        ci = f"{_n(e.low * factor, d, True)} to {_n(e.high * factor, d, True)}"
    relative = 0.0 if round(e.relative, 3) == 0 else e.relative
    change = "n/a" if np.isnan(e.relative) else f"{relative:+.1%}"
    return (
        label,
        _n(e.baseline_mean * factor, 0 if abs(e.baseline_mean * factor) >= 1000 else d),
        _n(e.difference * factor, d, True),
        ci,
        change,
    )


def _any(e: Effect) -> bool:
    """Whether either run has any of the outcome (a service neither has is not shown)."""
    return bool(e.baseline_mean or e.scenario_mean)


HEAD = ("outcome, a year", "baseline", "difference", "95% CI", "change")


def _block(title: str, rows: list[tuple[str, ...]]) -> list[str]:
    rows = [HEAD, *rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEAD))]
    lines = [title]
    for i, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])]
        lines.append("  ".join(cells).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def headline_table(cube: xr.Dataset, baseline: str | None = None, by: str | None = None) -> str:
    """The comparison as plain text within :data:`WIDTH` columns (notes wrapped to it)."""
    found = effects(cube, baseline, by)
    names = [str(s) for s in cube.scenario.values]
    baseline = baseline or names[0]
    months = cube.sizes["month"]
    per_year = 12 / months
    start = str(cube.month.values[0])[:7]
    n = cube.attrs.get("replications", len(cube.replication))
    lines = [
        textwrap.fill(
            f"Against {baseline}, a year ({months} months from {start}; mean of {n} paired "
            "replications, with the 95% confidence interval of the difference):",
            WIDTH,
        )
    ]
    if by == "place":
        lines.append(textwrap.fill(f"{WORDS[basis(cube)].capitalize()}.", WIDTH))
    access = [e for e in effects(cube, baseline, by, ACCESS_HEADLINES) if _any(e)]
    blocks = dict.fromkeys((e.scenario, e.group) for e in found)
    for scenario, group in blocks:
        mine = [_row(e, per_year) for e in found if (e.scenario, e.group) == (scenario, group)]
        title = f"{scenario}" + (f", {by} {group}" if by else "")
        lines += ["", *_block(title, mine)]
        mine = [e for e in access if (e.scenario, e.group) == (scenario, group)]
        open_ = [_row(e, per_year, {}) for e in mine]
        if any(e.difference or e.low or e.high for e in mine):  # else nothing moved: not shown
            lines += ["", *_block(f"{title}: when care is open, and where need goes", open_)]
    notes = _ratio_lines(found, cube, baseline, by) + gridlock_notes(cube)
    if notes:
        lines.append("")
        lines += [textwrap.fill(note, WIDTH, subsequent_indent="  ") for note in notes]
    return "\n".join(lines)
