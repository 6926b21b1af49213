"""Paired comparisons of scenarios against a baseline, read from a cube alone.

Replication ``r`` of every scenario shares its random streams with replication ``r`` of the
baseline, so the effect of a scenario is estimated from the *paired* differences
``x[scenario, r] - x[baseline, r]``: their mean, and a 95% t-interval over replications. The same
comparison can be broken down by practice, federation or cohort (system-level outcomes such as
A&E breaches and beds have no such breakdown and are left out of it).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass

import numpy as np
import xarray as xr

from simulate.results.gridlock import departure_based, gridlock_notes
from simulate.safe_text import markdown_cell, spreadsheet_cell


def _reduce(data: xr.DataArray, how: str, by: str | None) -> xr.DataArray | None:
    """``data`` summed over everything but scenario, replication (and ``by``), then over months."""
    if by == "federation":
        if "practice" not in data.dims:
            return None
        data = data.groupby("federation").sum()
    elif by is not None and by not in data.dims:
        return None
    keep = ("scenario", "replication", "month", by)
    other = [d for d in data.dims if d not in keep]
    data = data.sum(other) if other else data
    return data.sum("month") if how == "total" else data.mean("month")


@dataclass(frozen=True)
class Headline:
    """A scalar per replication drawn from the cube: a total, a mean over months, or per head.

    ``per_head`` divides the total over months by the registered population (the mean over
    months of its sum over practices and cohorts), so it is GBP per registered person over the
    reported period.
    """

    variable: str
    label: str
    unit: str
    how: str  # "total" over months, practices and cohorts; "mean" over months; or "per_head"
    more: tuple[str, ...] = ()  # variables added to ``variable`` ("-name": subtracted)

    def data(self, cube: xr.Dataset) -> xr.DataArray | None:
        """The variable with ``more`` added or subtracted; None if the cube lacks one of them."""
        names = [self.variable, *(m.lstrip("-") for m in self.more)]
        if any(name not in cube for name in names):
            return None
        data = cube[self.variable]
        for m in self.more:
            data = data - cube[m[1:]] if m.startswith("-") else data + cube[m]
        return data

    def per_replication(self, cube: xr.Dataset, by: str | None = None) -> xr.DataArray | None:
        """One value per (scenario, replication[, group]); None when ``by`` does not apply."""
        data = self.data(cube)
        if data is None:
            return None
        if self.how != "per_head":
            return _reduce(data, self.how, by)
        total = _reduce(data, "total", by)
        heads = _reduce(cube["registered_population"], "mean", by)
        return None if total is None else total / heads


HEADLINES = (
    Headline("gp_appointments", "GP practice appointments", "appointments", "total"),
    Headline("hub_appointments", "Hub appointments", "appointments", "total"),
    Headline("ae_attendances", "A&E attendances", "attendances", "total"),
    Headline("ae_4h_breaches", "A&E 4-hour breaches", "attendances", "total"),
    Headline("emergency_admissions", "Emergency admissions", "admissions", "total"),
    Headline("beds_occupied", "Mean beds occupied", "beds", "mean"),
    Headline("cost", "Cost", "GBP", "total"),
    Headline("cost", "Cost per head", "GBP per person", "per_head"),
)


@dataclass(frozen=True)
class Effect:
    """A scenario's paired difference from the baseline on one headline (in one group)."""

    scenario: str
    headline: Headline
    baseline_mean: float
    scenario_mean: float
    difference: float
    low: float
    high: float
    replications: int
    group: str = ""

    @property
    def relative(self) -> float:
        """Difference as a fraction of the baseline mean."""
        return self.difference / self.baseline_mean if self.baseline_mean else float("nan")

    @property
    def clear(self) -> bool:
        """Whether the 95% interval excludes zero."""
        return bool(self.low > 0 or self.high < 0)


def interval(differences: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and t-interval of paired differences (NaN bounds with one replication)."""
    n = len(differences)
    mean = float(np.mean(differences))
    if n < 2:
        return mean, float("nan"), float("nan")
    from scipy import stats  # here: a run's summary with one scenario needs no interval

    half = stats.t.ppf(0.5 + level / 2, n - 1) * np.std(differences, ddof=1) / np.sqrt(n)
    return mean, mean - half, mean + half


def effects(
    cube: xr.Dataset,
    baseline: str | None = None,
    by: str | None = None,
    headlines: tuple[Headline, ...] = HEADLINES,
) -> list[Effect]:
    """Every scenario's effect on every headline, against ``baseline`` (default: the first)."""
    names = [str(s) for s in cube.scenario.values]
    baseline = baseline or names[0]
    found = []
    for headline in headlines:
        values = headline.per_replication(cube, by)
        if values is None:
            continue
        if headline.variable == "ae_4h_breaches":
            values = departure_based(values, cube)
        groups = [str(g) for g in values[by].values] if by else [""]
        for name in names:
            if name == baseline:
                continue
            for group in groups:
                pick = {by: group} if by else {}
                base = values.sel(scenario=baseline, **pick).values
                other = values.sel(scenario=name, **pick).values
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
                        group,
                    )
                )
    order = {name: i for i, name in enumerate(names)}
    return sorted(found, key=lambda e: order[e.scenario])


@dataclass(frozen=True)
class CostPerAdmissionAvoided:
    """Extra cost per emergency admission avoided, with a 95% interval (Fieller's method).

    Stated only when both intervals support it: admissions fall and cost changes, each with a 95%
    interval that excludes zero; otherwise ``value`` is NaN and ``note`` says why. A negative
    value means the scenario saves money while avoiding admissions. The interval comes from the
    replications' joint distribution of the two paired differences (Fieller 1954), so it reflects
    their correlation; it is NaN when admissions avoided are too uncertain for a bounded ratio.
    """

    scenario: str
    group: str
    value: float
    cost_difference: float
    admissions_avoided: float
    note: str
    low: float = float("nan")
    high: float = float("nan")


def fieller(cost: np.ndarray, avoided: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """95% interval of mean(cost) / mean(avoided) from paired replications (Fieller's theorem)."""
    from scipy import stats  # lazily: importing scipy.stats costs seconds (issue 19)

    n = len(cost)
    if n < 2:
        return float("nan"), float("nan")
    t2 = stats.t.ppf(0.5 + level / 2, n - 1) ** 2
    y, x = float(np.mean(cost)), float(np.mean(avoided))
    covariance = np.cov(cost, avoided, ddof=1) / n
    syy, sxx, sxy = covariance[0, 0], covariance[1, 1], covariance[0, 1]
    a = x * x - t2 * sxx
    b = y * x - t2 * sxy
    disc = b * b - a * (y * y - t2 * syy)
    if a <= 0 or disc < 0:
        return float("nan"), float("nan")
    root = float(np.sqrt(disc))
    return (b - root) / a, (b + root) / a


def cost_per_admission_avoided(
    found: list[Effect],
    cube: xr.Dataset | None = None,
    baseline: str | None = None,
    by: str | None = None,
) -> list[CostPerAdmissionAvoided]:
    """One ratio per scenario (and group) from the effects on cost and on admissions."""
    pick = {(e.scenario, e.group, e.headline.variable, e.headline.how): e for e in found}
    per_rep = {}
    if cube is not None:
        per_rep = {h.variable: h.per_replication(cube, by) for h in HEADLINES[4:7:2]}
    out = []
    for (scenario, group, variable, _how), admissions in pick.items():
        if variable != "emergency_admissions" or (scenario, group, "cost", "total") not in pick:
            continue
        cost = pick[(scenario, group, "cost", "total")]
        avoided = -admissions.difference
        value, low, high = float("nan"), float("nan"), float("nan")
        if not admissions.high < 0:
            note = "no statement: admissions did not fall with a 95% interval excluding zero"
        elif not cost.clear:
            note = "no statement: the 95% interval of the cost difference includes no change"
        else:
            value, note = cost.difference / avoided, "ratio of mean differences, Fieller 95% CI"
            if per_rep:
                low, high = _fieller_of(per_rep, scenario, group, by, baseline, cube)
        out.append(
            CostPerAdmissionAvoided(
                scenario, group, value, cost.difference, avoided, note, low, high
            )
        )
    return out


def _fieller_of(per_rep, scenario, group, by, baseline, cube) -> tuple[float, float]:
    baseline = baseline or str(cube.scenario.values[0])
    pick = {by: group} if by else {}
    adm, cost = per_rep["emergency_admissions"], per_rep["cost"]
    avoided = (adm.sel(scenario=baseline, **pick) - adm.sel(scenario=scenario, **pick)).values
    extra = (cost.sel(scenario=scenario, **pick) - cost.sel(scenario=baseline, **pick)).values
    return fieller(extra, avoided)


def _number(x: float) -> str:
    if np.isnan(x):
        return "n/a"
    return f"{x:,.1f}" if abs(x) < 1000 else f"{x:,.0f}"


def _signed(x: float) -> str:
    return "n/a" if np.isnan(x) else ("+" if x >= 0 else "") + _number(x)


def _rows(found: list[Effect], by: str | None) -> list[tuple[str, ...]]:
    head = ("scenario", *((by,) if by else ()), "outcome", "baseline", "scenario mean")
    rows = [(*head, "difference (95% CI)", "change")]
    for e in found:
        ci = f"{_signed(e.difference)} ({_signed(e.low)} to {_signed(e.high)})"
        rows.append(
            (
                e.scenario,
                *((e.group,) if by else ()),
                f"{e.headline.label} ({e.headline.unit})",
                _number(e.baseline_mean),
                _number(e.scenario_mean),
                ci,
                f"{e.relative:+.1%}" if not np.isnan(e.relative) else "n/a",
            )
        )
    return rows


def ratio_words(r: CostPerAdmissionAvoided) -> str:
    """One ratio in words, with its interval; or why no statement is made."""
    where = f" ({r.group})" if r.group else ""
    if np.isnan(r.value):
        return f"{r.scenario}{where}: cost per emergency admission avoided: {r.note}"
    low, high = (-r.high, -r.low) if r.value < 0 else (r.low, r.high)
    ci = f"95% CI GBP {_signed(low) if low < 0 else _number(low)} to {_number(high)}"
    if np.isnan(low):
        ci = "95% CI unbounded: admissions avoided are too uncertain"
    if r.value < 0:
        return (
            f"{r.scenario}{where}: saves about GBP {_number(-r.value)} per emergency admission "
            f"avoided ({ci}; cost {_signed(r.cost_difference)} GBP, "
            f"{_number(r.admissions_avoided)} admissions avoided)"
        )
    return (
        f"{r.scenario}{where}: costs about GBP {_number(r.value)} more per emergency admission "
        f"avoided ({ci}; cost {_signed(r.cost_difference)} GBP, "
        f"{_number(r.admissions_avoided)} admissions avoided)"
    )


def _ratio_lines(found: list[Effect], cube=None, baseline=None, by=None) -> list[str]:
    return [ratio_words(r) for r in cost_per_admission_avoided(found, cube, baseline, by)]


def headline_table(cube: xr.Dataset, baseline: str | None = None, by: str | None = None) -> str:
    """The comparison as plain text for a terminal: see :mod:`simulate.results.table`."""
    from simulate.results.table import headline_table as table

    return table(cube, baseline, by)


def markdown_table(cube: xr.Dataset, baseline: str | None = None, by: str | None = None) -> str:
    """The headline table as GitHub-flavoured Markdown."""
    found = effects(cube, baseline, by)
    rows = _rows(found, by)
    text_columns = 3 if by else 2
    align = ["---"] * text_columns + ["---:"] * (len(rows[0]) - text_columns)
    lines = ["| " + " | ".join(markdown_cell(c) for c in row) + " |" for row in rows]
    lines.insert(1, "| " + " | ".join(align) + " |")
    ratios = _ratio_lines(found, cube, baseline, by) + gridlock_notes(cube)
    return "\n".join(lines + ([""] + [f"- {r}" for r in ratios] if ratios else []))


def records(cube: xr.Dataset, baseline: str | None = None, by: str | None = None) -> list[dict]:
    """One flat dict per effect, full precision: what CSV and JSON carry."""
    out = []
    for e in effects(cube, baseline, by):
        out.append(
            {
                "scenario": e.scenario,
                "baseline": baseline or str(cube.scenario.values[0]),
                "by": by or "",
                "group": e.group,
                "variable": e.headline.variable,
                "outcome": e.headline.label,
                "units": e.headline.unit,
                "how": e.headline.how,
                "baseline_mean": e.baseline_mean,
                "scenario_mean": e.scenario_mean,
                "difference": e.difference,
                "ci_low": e.low,
                "ci_high": e.high,
                "relative_change": e.relative,
                "replications": e.replications,
            }
        )
    return out


def render(
    cube: xr.Dataset, baseline: str | None = None, by: str | None = None, fmt: str = "table"
) -> str:
    """The comparison as a plain-text ``table``, ``md`` (Markdown), ``json`` or ``csv``."""
    if fmt == "table":
        return headline_table(cube, baseline, by)
    if fmt == "md":
        return markdown_table(cube, baseline, by)
    rows = records(cube, baseline, by)
    if fmt == "json":
        found = effects(cube, baseline, by)
        ratios = [asdict(r) for r in cost_per_admission_avoided(found, cube, baseline, by)]
        document = {"effects": rows, "cost_per_admission_avoided": ratios}
        return json.dumps(_nan_to_none(document), indent=2)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: spreadsheet_cell(v) for k, v in row.items()} for row in rows)
    return buffer.getvalue().rstrip("\n")


def _nan_to_none(value):
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _nan_to_none(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nan_to_none(v) for v in value]
    return value
