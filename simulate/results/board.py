"""The report's opening as a board paper: a title, the headline answer, the annual table.

All of it is generated from the cube: the title from the scenarios and the place, the headline
paragraph from the paired effects a year (what changes, by how much, how sure, at what cost, over
what period), and the table from :func:`simulate.results.annual.annual_effect_rows`.
"""

from __future__ import annotations

import html

import numpy as np
import xarray as xr

from simulate.results.annual import annual_effect_rows, years
from simulate.results.compare import (
    HEADLINES,
    Effect,
    cost_per_admission_avoided,
    effects,
    ratio_words,
)
from simulate.results.gridlock import gridlock_notes

ANSWERS = ("Emergency admissions", "A&E attendances", "Mean beds occupied", "Cost")
"""The headlines the opening paragraph answers for, in the order a board asks them."""


def _n(x: float) -> str:
    if np.isnan(x):
        return "n/a"
    return f"{x:,.1f}" if abs(x) < 100 else f"{x:,.0f}"


def title(cube: xr.Dataset, place: str, baseline: str | None = None) -> str:
    """``A and B against baseline in Place, 2019-04 to 2020-03``."""
    names = [str(s) for s in cube.scenario.values]
    baseline = baseline or names[0]
    others = [n for n in names if n != baseline]
    listed = ", ".join(others[:-1]) + f" and {others[-1]}" if len(others) > 1 else others[0]
    if len(others) > 4:
        listed = f"{len(others)} scenarios"
    months = cube.month.values
    span = f"{str(months[0])[:7]} to {str(months[-1])[:7]}"
    return f"{listed} against {baseline} in {place}, {span}"


def _clause(e: Effect, per: float) -> str:
    """One headline's effect a year, in words, with its interval."""
    scale = 1.0 if e.headline.how == "mean" else 1 / per
    unit = e.headline.unit if e.headline.how == "mean" else f"{e.headline.unit} a year"
    d, low, high = e.difference * scale, e.low * scale, e.high * scale
    label = e.headline.label[0].lower() + e.headline.label[1:]
    if e.headline.label.startswith(("A&E", "GP")):
        label = e.headline.label
    if np.isnan(d):
        return f"{label}: not measurable in this run"
    if np.isnan(low):
        if round(d, 1) == 0:
            return f"{label} unchanged (one run: no interval)"
        return f"{label} {'up' if d > 0 else 'down'} {_n(abs(d))} {unit} (one run: no interval)"
    if not e.clear:
        return f"no clear change in {label} ({_n(d)} {unit}; 95% CI {_n(low)} to {_n(high)})"
    return f"{label} {_change(e, per)}"


def _change(e: Effect, per: float) -> str:
    """A clear effect a year without its outcome's name: ``down 12 admissions a year (…)``."""
    scale = 1.0 if e.headline.how == "mean" else 1 / per
    unit = e.headline.unit if e.headline.how == "mean" else f"{e.headline.unit} a year"
    d, low, high = e.difference * scale, e.low * scale, e.high * scale
    way = "up" if d > 0 else "down"
    return f"{way} {_n(abs(d))} {unit} ({abs(e.relative):.1%}; 95% CI {_n(low)} to {_n(high)})"


def headline(cube: xr.Dataset, place: str, baseline: str | None = None) -> str:
    """The one-paragraph answer: per scenario, what changes a year, how sure, at what cost."""
    found = effects(cube, baseline)
    per = years(cube)
    names = list(dict.fromkeys(e.scenario for e in found))
    sentences = []
    for name in names:
        mine = {e.headline.label: e for e in found if e.scenario == name}
        clauses = [_clause(mine[label], per) for label in ANSWERS if label in mine]
        sentences.append(f"<b>{html.escape(name)}</b>: " + html.escape("; ".join(clauses)) + ".")
    for r in cost_per_admission_avoided(found, cube, baseline):
        if not np.isnan(r.value):
            sentences.append(html.escape(ratio_words(r)) + ".")
    sentences += [html.escape(note) + "." for note in gridlock_notes(cube)]
    months = cube.sizes["month"]
    period = f"{months} months" if months % 12 else f"{months // 12} year{'s' * (months > 12)}"
    base = html.escape(baseline or str(cube.scenario.values[0]))
    lead = (
        f"Against <b>{base}</b> in {html.escape(place)}, over {period}, each figure a year "
        f"(the mean of {cube.attrs.get('replications', '?')} paired replications, with its 95% "
        "confidence interval; an interval that includes zero means no clear change):"
    )
    if len(names) <= FEW:
        return f'<p class="headline">{lead} ' + " ".join(sentences) + "</p>"
    overview = " ".join(_across(found, per, label) for label in ANSWERS)
    items = "".join(f"<li>{s}</li>" for s in sentences)
    return f'<p class="headline">{lead} {overview}</p><ul class="per-scenario">{items}</ul>'


FEW = 3
"""Up to this many scenarios the headline paragraph takes each in turn; beyond, it summarises
across them and lists each scenario's sentence below, so the paragraph stays one paragraph."""


def _across(found: list[Effect], per: float, label: str) -> str:
    """One headline across many scenarios: how many move clearly each way, and the largest."""
    mine = [e for e in found if e.headline.label == label and not np.isnan(e.difference)]
    if not mine:
        return ""
    down = [e for e in mine if e.clear and e.difference < 0]
    up = [e for e in mine if e.clear and e.difference > 0]
    unclear = len(mine) - len(down) - len(up)
    counts = (
        ", ".join(f"{n} {way}" for n, way in ((len(down), "down"), (len(up), "up")) if n)
        or "none clearly changed"
    )
    text = f"{label}: {counts}"
    if unclear and (down or up):
        text += f", {unclear} with no clear change"
    if down or up:
        largest = max(down + up, key=lambda e: abs(e.difference))
        text += f" (largest: {html.escape(largest.scenario)}, "
        text += html.escape(_change(largest, per)) + ")"
    return text + "."


def annual_table(
    cube: xr.Dataset,
    baseline: str | None = None,
    by: str | None = None,
    only: tuple[str, ...] = (),
    headlines: tuple = HEADLINES,
) -> str:
    """The effects a year as an HTML table, units beside each outcome (``only`` these outcomes)."""
    rows = annual_effect_rows(cube, baseline, by, headlines)
    if only:
        rows = [r for r in rows if r["outcome (unit)"].startswith(only)]
    if not rows:
        return ""
    show = [k for k in rows[0] if k not in ("clear (95% CI excludes 0)", "replications")]
    names = {
        "outcome (unit)": "outcome (unit, a year unless a mean)",
        "baseline, a year (outcome's unit)": "baseline",
        "scenario, a year (outcome's unit)": "scenario",
        "difference, a year (outcome's unit)": "difference",
        "95% CI low (outcome's unit)": "95% CI from",
        "95% CI high (outcome's unit)": "to",
        "change (% of baseline)": "change",
    }
    head = "".join(f"<th>{html.escape(names.get(k, k))}</th>" for k in show)
    body = []
    for row in rows:
        cells = []
        for k in show:
            v = row[k]
            if isinstance(v, float):
                text = "n/a" if np.isnan(v) else (f"{v:+.1f}%" if k.startswith("change") else _n(v))
                cells.append(f"<td class=num>{text}</td>")
            else:
                cells.append(f"<td>{html.escape(str(v))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
