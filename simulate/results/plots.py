"""Stamped figures from a cube: what a board paper shows and what a reader can trace back.

Every figure carries a stamp (run id, short scenario hashes, icsim version, the date the cube was
made) so a figure lifted into a slide can still be traced to the cube behind it, and every axis
names its unit. Each function writes ``NAME.png`` and ``NAME.svg`` (text kept as text, so the
stamp is searchable) and returns their paths. Uses the Agg backend: no display needed.
"""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import xarray as xr  # noqa: E402

from simulate.results.compare import HEADLINES, Headline, effects  # noqa: E402

plt.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "icsim", "font.size": 9})
COLOURS = ("#005eb8", "#da291c", "#009639", "#ed8b00", "#330072", "#00a9ce")
"""NHS identity blue, red, green, orange, purple, light blue: one per scenario."""


def stamp(cube: xr.Dataset, run_id: str) -> str:
    """The provenance line printed on every figure."""
    hashes = json.loads(cube.attrs.get("scenario_sha256", "{}"))
    short = ", ".join(f"{name} {digest[:8]}" for name, digest in hashes.items()) or "unknown"
    created = str(cube.attrs.get("created", "unknown date"))[:10]
    version = cube.attrs.get("icsim_version", "unknown")
    return f"run {run_id} | scenario {short} | icsim {version} | {created}"


def _save(figure, cube: xr.Dataset, run_id: str, out: Path, name: str) -> list[Path]:
    figure.text(0.005, 0.005, stamp(cube, run_id), fontsize=6, color="#555555", va="bottom")
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / f"{name}.png", out / f"{name}.svg"]
    for path in paths:
        figure.savefig(path, dpi=110, metadata={"Date": None} if path.suffix == ".svg" else None)
    plt.close(figure)
    return paths


def _monthly(cube: xr.Dataset, headline: Headline) -> xr.DataArray:
    """A headline per (scenario, replication, month)."""
    data = cube[headline.variable]
    other = [d for d in data.dims if d not in ("scenario", "replication", "month")]
    data = data.sum(other) if other else data
    if headline.how == "per_head":
        heads = cube["registered_population"].sum(("practice", "cohort"))
        data = data / heads
    return data


def fan_chart(cube: xr.Dataset, out: Path, run_id: str) -> list[Path]:
    """Each headline over months: median and 50%/95% bands over replications, per scenario."""
    shown = HEADLINES
    columns = 2
    rows = -(-len(shown) // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(10, 2.6 * rows), sharex=True)
    months = cube.month.values
    for axis, headline in zip(axes.flat, shown):
        monthly = _monthly(cube, headline)
        for colour, scenario in zip(COLOURS, cube.scenario.values):
            values = monthly.sel(scenario=scenario).values
            q = np.nanquantile(values, [0.025, 0.25, 0.5, 0.75, 0.975], axis=0)
            axis.fill_between(months, q[0], q[4], color=colour, alpha=0.15, linewidth=0)
            axis.fill_between(months, q[1], q[3], color=colour, alpha=0.3, linewidth=0)
            axis.plot(months, q[2], color=colour, label=str(scenario))
        unit = headline.unit + ("" if headline.how == "mean" else " per month")
        axis.set_title(headline.label)
        axis.set_ylabel(unit)
    for axis in axes.flat[len(shown) :]:
        axis.set_visible(False)
    for axis in axes[-1]:
        axis.set_xlabel("month")
        axis.tick_params(axis="x", rotation=30)
    axes.flat[0].legend(loc="best", fontsize=7, title="median, 50% and 95% bands", title_fontsize=7)
    figure.tight_layout(rect=(0, 0.02, 1, 1))
    return _save(figure, cube, run_id, out, "fan_chart")


def forest_plot(
    cube: xr.Dataset, out: Path, run_id: str, baseline: str | None = None
) -> list[Path]:
    """Each scenario's effect on each headline as a % change from baseline, with its 95% CI."""
    found = [e for e in effects(cube, baseline) if e.baseline_mean]
    figure, axis = plt.subplots(figsize=(8, 0.35 * len(found) + 1.4))
    scenarios = list(dict.fromkeys(e.scenario for e in found))
    labels = []
    for y, e in enumerate(found):
        colour = COLOURS[(scenarios.index(e.scenario) + 1) % len(COLOURS)]
        low, high = 100 * e.low / e.baseline_mean, 100 * e.high / e.baseline_mean
        axis.plot([low, high], [y, y], color=colour, linewidth=2)
        axis.plot(100 * e.relative, y, "o", color=colour)
        labels.append(
            f"{e.headline.label} ({e.scenario})" if len(scenarios) > 1 else e.headline.label
        )
    axis.axvline(0, color="#333333", linewidth=0.8)
    axis.set_yticks(range(len(found)), labels)
    axis.invert_yaxis()
    axis.set_xlabel("change from baseline (% of the baseline mean), with 95% confidence interval")
    axis.set_title("Effects against the baseline")
    figure.tight_layout(rect=(0, 0.03, 1, 1))
    return _save(figure, cube, run_id, out, "forest_plot")


def cost_effect_plane(
    cube: xr.Dataset, out: Path, run_id: str, baseline: str | None = None
) -> list[Path]:
    """Difference in cost against emergency admissions avoided, per replication and on average."""
    names = [str(s) for s in cube.scenario.values]
    baseline = baseline or names[0]
    admissions = HEADLINES[4].per_replication(cube)
    cost = HEADLINES[6].per_replication(cube)
    figure, axis = plt.subplots(figsize=(7, 5))
    found = {(e.scenario, e.headline.label): e for e in effects(cube, baseline)}
    for colour, name in zip(COLOURS[1:], [n for n in names if n != baseline]):
        avoided = (admissions.sel(scenario=baseline) - admissions.sel(scenario=name)).values
        extra = (cost.sel(scenario=name) - cost.sel(scenario=baseline)).values
        axis.scatter(avoided, extra, color=colour, alpha=0.35, s=14)
        a, c = found[(name, "Emergency admissions")], found[(name, "Cost")]
        axis.errorbar(
            -a.difference,
            c.difference,
            xerr=[[a.high - a.difference], [a.difference - a.low]],
            yerr=[[c.difference - c.low], [c.high - c.difference]],
            fmt="o",
            color=colour,
            capsize=3,
            label=f"{name}: mean and 95% CI",
        )
    axis.axhline(0, color="#333333", linewidth=0.8)
    axis.axvline(0, color="#333333", linewidth=0.8)
    axis.set_xlabel("emergency admissions avoided over the period (admissions)")
    axis.set_ylabel("difference in cost over the period (GBP)")
    axis.set_title("Cost-effect plane (dots: replications)")
    axis.legend(fontsize=7)
    figure.tight_layout(rect=(0, 0.03, 1, 1))
    return _save(figure, cube, run_id, out, "cost_effect_plane")


def funnel_plot(
    cube: xr.Dataset,
    out: Path,
    run_id: str,
    scenario: str | None = None,
    variable: str = "emergency_admissions",
    named: bool = False,
) -> list[Path]:
    """Practice rates per 1,000 patients a year against list size, with Poisson control limits.

    Counts are the mean over replications; the limits are the overall rate plus or minus 1.96 and
    3.09 standard errors (95% and 99.8%) of a Poisson rate at each list size. Practices are
    unnamed unless ``named``.
    """
    scenario = scenario or str(cube.scenario.values[0])
    counts = cube[variable].sel(scenario=scenario).sum(("month", "cohort")).mean("replication")
    years = cube.sizes["month"] / 12
    sizes = cube["list_size"].values.astype(float)
    person_years = sizes * years
    rates = counts.values / person_years * 1000
    overall = counts.values.sum() / person_years.sum()
    grid = np.linspace(max(sizes.min() * 0.5, 1), sizes.max() * 1.3, 200)
    figure, axis = plt.subplots(figsize=(7, 5))
    for z, style, label in ((1.96, "--", "95% limits"), (3.09, ":", "99.8% limits")):
        half = z * np.sqrt(overall / (grid * years))
        axis.plot(grid, 1000 * (overall + half), "k" + style, linewidth=0.9, label=label)
        axis.plot(grid, 1000 * np.clip(overall - half, 0, None), "k" + style, linewidth=0.9)
    axis.axhline(1000 * overall, color="#333333", linewidth=0.8, label="overall rate")
    axis.scatter(sizes, rates, color=COLOURS[0], zorder=3, label="practice")
    if named:
        for code, x, y in zip(cube.practice.values, sizes, rates):
            axis.annotate(str(code), (x, y), fontsize=7, xytext=(3, 3), textcoords="offset points")
    unit = cube[variable].attrs.get("units", "")
    axis.set_xlabel("registered list size (persons)")
    label = variable.replace("_", " ")
    axis.set_ylabel(f"{label} rate ({unit} per 1,000 registered persons per year)")
    axis.set_title(f"Practice variation, {scenario}")
    axis.legend(fontsize=7)
    figure.tight_layout(rect=(0, 0.03, 1, 1))
    return _save(figure, cube, run_id, out, "funnel_plot")


def cost_concentration(cube: xr.Dataset, out: Path, run_id: str) -> list[Path]:
    """Share of people and of cost, and cost per head a year, by number of long-term conditions."""
    cohorts = [str(c) for c in cube.cohort.values]
    x = np.arange(len(cohorts))
    years = cube.sizes["month"] / 12
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    baseline = cube.scenario.values[0]
    people = cube["registered_population"].sel(scenario=baseline).mean(("replication", "month"))
    people = people.sum("practice").values
    cost = cube["cost"].sel(scenario=baseline).sum(("month", "practice")).mean("replication").values
    left.bar(x - 0.2, 100 * people / people.sum(), 0.4, color="#768692", label="registered people")
    left.bar(x + 0.2, 100 * cost / cost.sum(), 0.4, color=COLOURS[0], label="cost")
    left.set_xticks(x, cohorts)
    left.set_xlabel("number of long-term conditions (cohort)")
    left.set_ylabel("share of the total (%)")
    left.set_title(f"Where the cost falls ({baseline})")
    left.legend(fontsize=7)
    width = 0.8 / cube.sizes["scenario"]
    for i, (colour, name) in enumerate(zip(COLOURS, cube.scenario.values)):
        spend = cube["cost"].sel(scenario=name).sum(("month", "practice")).mean("replication")
        per_head = spend.values / people / years
        right.bar(x - 0.4 + width * (i + 0.5), per_head, width, color=colour, label=str(name))
    right.set_xticks(x, cohorts)
    right.set_xlabel("number of long-term conditions (cohort)")
    right.set_ylabel("cost per registered person a year (GBP)")
    right.set_title("Cost per head by cohort")
    right.legend(fontsize=7)
    figure.tight_layout(rect=(0, 0.03, 1, 1))
    return _save(figure, cube, run_id, out, "cost_concentration")


FIGURES = (fan_chart, forest_plot, cost_effect_plane, funnel_plot, cost_concentration)
