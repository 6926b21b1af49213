"""The comparison in the formats it is read in: a terminal's table, Markdown, CSV and JSON.

Every format gives the effects a year (:meth:`simulate.results.compare.Effect.a_year`), with the
months they came from, so no format's numbers contradict another's; text from the run passes
through :mod:`simulate.safe_text` (Markdown cells, spreadsheet cells that could be formulas).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict

import numpy as np
import xarray as xr

from simulate.results.compare import (
    Effect,
    _number,
    _ratio_lines,
    _signed,
    cost_per_admission_avoided,
    effects,
    effects_a_year,
)
from simulate.results.gridlock import gridlock_notes
from simulate.results.residence import WORDS, basis
from simulate.safe_text import markdown_cell, spreadsheet_cell


def _period(cube: xr.Dataset) -> str:
    """What the figures cover, in words (as the terminal's table says it)."""
    months = cube.sizes["month"]
    start = str(cube.month.values[0])[:7]
    n = cube.attrs.get("replications", len(cube.replication))
    return (
        f"A year ({months} months from {start}; mean of {n} paired replications, with the 95% "
        "confidence interval of the difference)."
    )


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


def headline_table(cube: xr.Dataset, baseline: str | None = None, by: str | None = None) -> str:
    """The comparison as plain text for a terminal: see :mod:`simulate.results.table`."""
    from simulate.results.table import headline_table as table

    return table(cube, baseline, by)


def markdown_table(cube: xr.Dataset, baseline: str | None = None, by: str | None = None) -> str:
    """The headline table as GitHub-flavoured Markdown, a year (as the terminal's table)."""
    found = effects_a_year(cube, baseline, by)
    rows = _rows(found, by)
    text_columns = 3 if by else 2
    align = ["---"] * text_columns + ["---:"] * (len(rows[0]) - text_columns)
    lines = ["| " + " | ".join(markdown_cell(c) for c in row) + " |" for row in rows]
    lines.insert(1, "| " + " | ".join(align) + " |")
    lines.insert(0, f"{_period(cube)}\n")
    if by == "place":
        lines.insert(1, f"{WORDS[basis(cube)].capitalize()}.\n")
    ratios = _ratio_lines(effects(cube, baseline, by), cube, baseline, by) + gridlock_notes(cube)
    return "\n".join(lines + ([""] + [f"- {r}" for r in ratios] if ratios else []))


def records(cube: xr.Dataset, baseline: str | None = None, by: str | None = None) -> list[dict]:
    """One flat dict per effect a year, full precision: what CSV and JSON carry.

    ``months`` says how long the run was, so a run's total is a year's value x months / 12.
    """
    out = []
    months = cube.sizes["month"]
    for e in effects_a_year(cube, baseline, by):
        out.append(
            {
                "scenario": e.scenario,
                "baseline": baseline or str(cube.scenario.values[0]),
                "by": by or "",
                **({"basis": basis(cube)} if by == "place" else {}),
                "group": e.group,
                "variable": e.headline.variable,
                "outcome": e.headline.label,
                "units": e.headline.unit,
                "how": e.headline.how,
                "per": "year",
                "months": months,
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
