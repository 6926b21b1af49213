"""The HTML report: one self-contained file a board can read and an academic can check.

It holds a plain-English summary, the comparison tables, the figures (inline PNG, so the file
needs no network and no folder beside it), a methods section that fills the STRESS-DES
reporting checklist (Monks et al. 2019) from the cube's provenance, every parameter with the
evidence its shipped default cites, and the limitations. It reads the cube only.
"""

from __future__ import annotations

import base64
import html
import json
import re
from pathlib import Path

import numpy as np
import xarray as xr

from simulate.inputs.toml import tomllib
from simulate.results import figures, plots
from simulate.results.access import ACCESS_HEADLINES
from simulate.results.board import ANSWERS, annual_table, headline, title
from simulate.results.compare import (
    cost_per_admission_avoided,
    effects,
    ratio_words,
)
from simulate.results.gridlock import gridlock_notes
from simulate.results.report_text import STRESS_DES, plain
from simulate.results.residence import basis
from simulate.results.scenarios import command_overrides, flatten, scenario_cards, value_in_force
from simulate.results.scope import limitations, scope

TITLES = {"registered": "registered lists", "resident": "residents"}
"""What a place's numbers are of, on each commissioning basis (the by-place table's title)."""


def _esc(value) -> str:
    return html.escape(str(value))


def _fmt(x: float) -> str:
    if np.isnan(x):
        return "n/a"
    return f"{x:,.1f}" if abs(x) < 1000 else f"{x:,.0f}"


def summary(cube: xr.Dataset, baseline: str | None = None) -> list[str]:
    """Plain-English sentences, one per headline and scenario, with their uncertainty."""
    found = effects(cube, baseline)
    sentences = []
    for e in found:
        span = f"95% confidence interval {_fmt(e.low)} to {_fmt(e.high)}"
        if np.isnan(e.difference):
            continue  # a measure the run cannot support (gridlock): said once, below
        if np.isnan(e.low):
            sentences.append(
                f"{e.scenario}: {e.headline.label} {_fmt(e.difference)} {e.headline.unit} "
                "(one replication: no interval)."
            )
        elif e.clear:
            way = "rose" if e.difference > 0 else "fell"
            sentences.append(
                f"{e.scenario}: {e.headline.label} {way} by {_fmt(abs(e.difference))} "
                f"{e.headline.unit} ({abs(e.relative):.1%}; {span})."
            )
        else:
            sentences.append(
                f"{e.scenario}: no clear change in {e.headline.label} "
                f"({_fmt(e.difference)} {e.headline.unit}; {span}, which includes no change)."
            )
    for r in cost_per_admission_avoided(found, cube, baseline):
        sentences.append(ratio_words(r) + ".")
    sentences += [f"{note}." for note in gridlock_notes(cube)]
    return sentences


_EVIDENCE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)*\.[a-z0-9]+(?:_[a-z0-9]+)*\b")


def cited_sources(text: str) -> dict[str, tuple[list[str], bool]]:
    """Evidence ids and whether it says "assumption", per dotted key, from a scenario's comments."""
    found, comments, table, last = {}, [], "", ""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            comments.append(stripped)
            continue
        if stripped.startswith("["):
            table, comments, last = stripped.strip("[]").strip(), [], ""
            continue
        if "=" in stripped:
            key = stripped.split("=", 1)[0].strip()
            # a key right after another with no comment of its own shares that key's comment
            last = " ".join(comments) if comments else last
            note = last + (" " + line.split("#", 1)[1] if "#" in line else "")
            ids = [m for m in _EVIDENCE.findall(note) if not m.endswith(("toml", "md"))]
            dotted = f"{table}.{key}" if table else key
            found[dotted] = (ids if "evidence" in note else [], "assumption" in note.lower())
            comments = []
    return found


def assumptions(cube: xr.Dataset) -> str:
    """Every resolved parameter per scenario, with the changes that move it, and its sources."""
    from simulate.shipped import shipped_dir

    texts = json.loads(cube.attrs["scenario_toml"])
    flat = {name: flatten(tomllib.loads(text)) for name, text in texts.items()}
    shipped = shipped_dir() / "baseline.toml"
    sources = cited_sources(shipped.read_text()) if shipped.is_file() else {}
    names = list(flat)
    head = "".join(f"<th>{_esc(n)}</th>" for n in names)
    rows = []
    keys = dict.fromkeys(k for n in names for k in flat[n])
    for key in keys:
        if key in ("name", "description", "changes"):
            continue
        ids, assumed = sources.get(key, ([], False))
        cited = "; ".join(filter(None, [", ".join(ids), "assumption" if assumed else ""]))
        cells = "".join(f"<td>{_esc(value_in_force(texts[n], key))}</td>" for n in names)
        rows.append(f"<tr><td><code>{_esc(key)}</code></td>{cells}<td>{_esc(cited)}</td></tr>")
    return (
        f"<table><thead><tr><th>parameter</th>{head}<th>sources cited by the shipped "
        f"baseline</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def scenario_section(cube: xr.Dataset, baseline: str | None = None) -> str:
    """What each scenario is: its description, its differences from the baseline, its card."""
    parts = []
    for card in scenario_cards(cube, baseline):
        link = (
            f" Evidence card: <code>{_esc(card.evidence_card)}</code>."
            if card.evidence_card
            else ""
        )
        items = [
            f"<li><code>{_esc(k)}</code>: {_esc(b)} in the baseline, {_esc(v)} here</li>"
            for k, b, v in card.differences
        ] + [f"<li>changes during the run: {_esc(c)}</li>" for c in card.changes]
        is_base = card.name == (baseline or str(cube.scenario.values[0]))
        lead = "Differs from the baseline in:" if items else "Does not differ from the baseline."
        lead = "This is the baseline." if is_base else lead
        body = f"<ul>{''.join(items)}</ul>" if items else ""
        parts.append(
            f"<h3>{_esc(card.name)}</h3><p>{_esc(card.description)}{link} "
            f"<i>{_esc(lead)}</i></p>{body}"
        )
    overrides = command_overrides(cube)
    if overrides:
        parts.append(
            "<p>Set on the command line for every scenario: "
            + ", ".join(f"<code>{_esc(o)}</code>" for o in overrides)
            + ".</p>"
        )
    return "".join(parts)


def _figure(path: Path, caption: str) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return (
        f'<figure><img alt="{_esc(caption)}" src="data:image/png;base64,{data}">'
        f"<figcaption>{_esc(caption)} (also <code>figures/{_esc(path.stem)}.svg</code>)"
        "</figcaption></figure>"
    )


QUESTIONS = {
    "forest_plot": (
        "What changes, and how sure is it?",
        "Each effect as a % change from the baseline, with its 95% interval; one panel per "
        "outcome, one row per scenario.",
    ),
    "cost_effect_plane": (
        "At what cost?",
        "Difference in cost a year against emergency admissions avoided a year: dots are "
        "replications, bars the 95% intervals.",
    ),
    "fan_chart": (
        "How does it unfold month by month?",
        "Each outcome month by month: the median over replications and its bands.",
    ),
    "cost_concentration": (
        "Where does the cost fall?",
        "Share of people and of cost, and cost per head a year, by number of long-term conditions.",
    ),
    "provider_plot": (
        "How does each acute trust fare?",
        "Each trust's 4-hour breaches, time in A&E, bed occupancy and emergency admissions, "
        "by scenario (means of the replications over the reported months).",
    ),
    "funnel_plot": (
        "Which practices stand out?",
        "Practice emergency admission rates against list size, with control limits "
        "(the baseline scenario).",
    ),
    "years_figure": (
        "What changes over the years?",
        "The population's share aged 65+ and with 4+ conditions, and demand per head, by month "
        "(replication means): demographic change by default, a steady state if held.",
    ),
}
"""The question each figure answers, and its caption, in the order the report asks them."""


def _sentences(cube: xr.Dataset, baseline: str | None) -> str:
    """Every effect over the whole reported period, in words."""
    items = "".join(f"<li>{_esc(x)}</li>" for x in summary(cube, baseline))
    return f"<p>Over the whole reported period:</p><ul>{items}</ul>"


def _integration(cube: xr.Dataset, baseline: str | None) -> list[tuple[str, str]]:
    """The enrolled cohort's changes and each combined scenario's waterfall, where there are any."""
    from simulate.results import cohort, decompose

    found = []
    rows = cohort.enrolled_by_year(cube, baseline)
    if rows:
        note = (
            "<p>Paired: the enrolled patients' use less the baseline's use by the same patients "
            "(common random numbers). Before/after: their admissions in the year less those in "
            "the year before go-live, the risk tool's data year; the gap between the two is "
            "regression to the mean, not the programme.</p>"
        )
        found.append(("Enrolled cohort, a year", note + f"<pre>{_esc(cohort.render(rows))}</pre>"))
    if decompose.decompose(cube, baseline):
        text = decompose.render(cube, baseline)
        found.append(("Which lever explains what", f"<pre>{_esc(text)}</pre>"))
    return found


def _context(cube: xr.Dataset, run_id: str, baseline: str | None) -> dict:
    """What the report's words are filled from: the run's names, sizes, provenance and scope."""
    attrs = cube.attrs
    place_names = {
        tomllib.loads(t).get("name", "?") for t in json.loads(attrs["place_toml"]).values()
    }
    return {
        "run_id": run_id,
        "stamp": plots.stamp(cube, run_id),
        "baseline": baseline or str(cube.scenario.values[0]),
        "scenarios": [str(s) for s in cube.scenario.values],
        "place": ", ".join(sorted(place_names)),
        "practices": cube.sizes["practice"],
        "population": float(
            cube["registered_population"].isel(scenario=0, replication=0, month=0).sum()
        ),
        "attrs": attrs,
        "scope": scope(cube),
    }


def _figures(cube: xr.Dataset, out: Path, run_id: str, name_practices: bool) -> dict:
    """Every figure written into ``out``, by name."""
    written = {
        f.__name__: f(cube, out, run_id) for f in figures.FIGURES if f.__name__ != "funnel_plot"
    }
    written["funnel_plot"] = plots.funnel_plot(cube, out, run_id, named=name_practices)
    return written


def _by_organisation(cube: xr.Dataset, baseline: str | None) -> list[tuple[str, str]]:
    """Sections by place and by acute trust, where the cube has several of either."""
    sections = []
    if "place" in cube.coords and len(set(cube["place"].values.tolist())) > 1:
        heading = f"By place ({TITLES[basis(cube)]}), a year"
        sections.append((heading, annual_table(cube, baseline, "place", ANSWERS)))
    if "provider" in cube.dims and cube.sizes["provider"] > 1:
        sections.append(("By acute trust, a year", annual_table(cube, baseline, "provider")))
    return sections


def write_report(
    cube: xr.Dataset,
    folder: Path,
    run_id: str,
    baseline: str | None = None,
    name_practices: bool = False,
) -> Path:
    """Write ``folder/report.html`` and ``folder/figures/``; the report's path."""
    written = _figures(cube, folder / "figures", run_id, name_practices)
    context = _context(cube, run_id, baseline)
    limits = limitations(context["scope"], int(cube.attrs["replications"]))
    heading = title(cube, context["place"], baseline)
    figures = "".join(
        f"<h3>{_esc(QUESTIONS[name][0])}</h3>" + _figure(written[name][0], QUESTIONS[name][1])
        for name in QUESTIONS
        if written[name]  # the providers' figure needs a cube with provider_* variables
    )
    sections = [
        ("Headline", headline(cube, context["place"], baseline)),
        ("Scenarios", scenario_section(cube, baseline)),
        ("Figures", figures),
        ("Effects a year", annual_table(cube, baseline)),
        (
            "When care is open, and where need goes, a year",
            annual_table(cube, baseline, headlines=ACCESS_HEADLINES),
        ),
        ("By federation, a year", annual_table(cube, baseline, "federation", ANSWERS)),
        *_by_organisation(cube, baseline),
        (
            "By number of long-term conditions, a year",
            annual_table(cube, baseline, "cohort", ANSWERS),
        ),
        *_integration(cube, baseline),
        ("How to read these numbers", plain(context) + _sentences(cube, baseline)),
        ("Methods (STRESS-DES)", STRESS_DES(context)),
        ("Assumptions and their sources", assumptions(cube)),
        ("Limitations", "<ul>" + "".join(f"<li>{_esc(x)}</li>" for x in limits) + "</ul>"),
    ]
    body = "".join(
        f'<section id="s{i}"><h2>{_esc(name)}</h2>{content}</section>'
        for i, (name, content) in enumerate(sections)
    )
    page = _PAGE.format(
        title=_esc(heading),
        stamp=_esc(context["stamp"]),
        body=body,
    )
    path = folder / "report.html"
    path.write_text(page, encoding="utf-8")
    return path


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: Arial, Helvetica, sans-serif; max-width: 1100px; margin: 2em auto;
  padding: 0 1em; color: #212b32; line-height: 1.45; }}
h1 {{ color: #005eb8; font-size: 1.6em; }}
h2 {{ color: #005eb8; border-bottom: 2px solid #005eb8; }} h3 {{ color: #003087; }}
p.headline {{ font-size: 1.05em; background: #e8edee; padding: 0.8em 1em;
  border-left: 5px solid #005eb8; }}
table {{ border-collapse: collapse; margin: 1em 0; font-size: 0.85em; }}
th, td {{ border: 1px solid #d8dde0; padding: 0.25em 0.5em; vertical-align: top;
  overflow-wrap: anywhere; }}
th {{ background: #f0f4f5; text-align: left; }}
td.num {{ text-align: right; white-space: nowrap; }}
table.stress td:first-child {{ width: 11em; overflow-wrap: normal; }}
figure {{ margin: 1em 0; }} img {{ max-width: 100%; border: 1px solid #d8dde0; }}
figcaption, .stamp, .note {{ font-size: 0.85em; color: #4c6272; }}
code {{ font-size: 0.95em; }}
@page {{ size: A4; margin: 14mm 12mm 16mm 12mm; }}
@media print {{
  body {{ max-width: none; margin: 0; padding: 0; font-size: 9.5pt; }}
  h1 {{ font-size: 16pt; margin-top: 0; }} h2 {{ font-size: 13pt; break-after: avoid; }}
  h3 {{ break-after: avoid; }}
  section {{ break-before: auto; }} #s2, #s7, #s8 {{ break-before: page; }}
  figure, tr, p.headline {{ break-inside: avoid; }}
  img {{ max-height: 235mm; width: auto; max-width: 100%; }}
  table {{ font-size: 7.5pt; width: 100%; }} thead {{ display: table-header-group; }}
  td.num {{ white-space: normal; }}
}}
</style></head>
<body><h1>{title}</h1><p class="stamp">{stamp}</p>{body}</body></html>
"""
