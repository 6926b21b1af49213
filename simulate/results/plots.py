"""Stamped figures from a cube: what a board paper shows and what a reader can trace back.

Every figure carries a stamp (run id, short scenario hashes, icsim version, the date the cube was
made) so a figure lifted into a slide can still be traced to the cube behind it, and every axis
names its unit. Each function writes ``NAME.png`` and ``NAME.svg`` (text kept as text, so the
stamp is searchable) and returns their paths. Uses the Agg backend: no display needed.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import xarray as xr  # noqa: E402
from matplotlib.ticker import Formatter  # noqa: E402

from simulate.results.compare import HEADLINES, Headline, effects  # noqa: E402

plt.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "icsim", "font.size": 9})
COLOURS = ("#005eb8", "#da291c", "#009639", "#ed8b00", "#330072", "#00a9ce")
"""NHS identity blue, red, green, orange, purple, light blue: one per scenario, up to six."""


def colours(n: int) -> list:
    """One distinct colour per scenario: the NHS six, or a 20-colour map for more.

    Past 20 the colours repeat, but every scenario is still drawn and named in the legend.
    """
    if n <= len(COLOURS):
        return list(COLOURS[:n])
    cmap = plt.get_cmap("tab20")
    return [cmap(i % 20) for i in range(n)]


class _Plain(Formatter):
    """Axis numbers as a reader writes them: thousands separated, millions as "m", no offset.

    The decimals follow the spacing of the ticks, so neighbouring labels never read the same.
    """

    def __call__(self, value, position=None) -> str:
        locs = self.axis.get_majorticklocs() if self.axis is not None else []
        ticks = [t for t in locs if np.isfinite(t)] or [value]
        step = min((abs(b - a) for a, b in zip(ticks, ticks[1:]) if b != a), default=abs(value))
        scale, suffix = (1e6, " m") if max(abs(t) for t in ticks) >= 1e6 else (1.0, "")
        step = step / scale or 1.0
        decimals = max(0, int(-np.floor(np.log10(step) + 1e-9)))
        return f"{value / scale:,.{decimals}f}{suffix}"


def readable(axis, which: str = "y") -> None:
    """Plain numbers on an axis: no ``1e6`` offset, thousands separated, millions as "m"."""
    target = axis.yaxis if which == "y" else axis.xaxis
    target.set_major_formatter(_Plain())


def stamp(cube: xr.Dataset, run_id: str) -> str:
    """The provenance line printed on every figure."""
    hashes = json.loads(cube.attrs.get("scenario_sha256", "{}"))
    short = ", ".join(f"{name} {digest[:8]}" for name, digest in hashes.items()) or "unknown"
    created = str(cube.attrs.get("created", "unknown date"))[:10]
    version = cube.attrs.get("icsim_version", "unknown")
    return f"run {run_id} | scenario {short} | icsim {version} | {created}"


def _save(figure, cube: xr.Dataset, run_id: str, out: Path, name: str) -> list[Path]:
    width = int(figure.get_figwidth() * 20)  # characters of 6-point text across the figure
    text = textwrap.fill(stamp(cube, run_id), width, break_long_words=False, break_on_hyphens=False)
    figure.text(0.005, 0.0, text, fontsize=6, color="#555555", va="top")  # below: never cut off
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / f"{name}.png", out / f"{name}.svg"]
    for path in paths:
        metadata = {"Date": None} if path.suffix == ".svg" else None
        figure.savefig(path, dpi=110, metadata=metadata, bbox_inches="tight", pad_inches=0.08)
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


def _legend_below(figure, handles, labels, title: str | None = None) -> None:
    """One legend for the whole figure, under it, naming every scenario."""
    columns = min(len(labels), 4)
    figure.legend(
        handles,
        labels,
        loc="lower center",
        ncol=columns,
        fontsize=7,
        title=title,
        title_fontsize=7,
        frameon=False,
        bbox_to_anchor=(0.5, 0.0),
    )


def _legend_rows(n: int) -> int:
    return -(-n // 4) + 1


def fan_chart(cube: xr.Dataset, out: Path, run_id: str) -> list[Path]:
    """Each headline over months: median and 50%/95% bands over replications, per scenario.

    Every scenario is drawn, each in its own colour; with more than three the 50% band is left
    out (the caption says so) so the lines stay readable.
    """
    shown = HEADLINES
    columns = 2
    rows = -(-len(shown) // columns)
    names = [str(s) for s in cube.scenario.values]
    palette = colours(len(names))
    legend_height = 0.18 * _legend_rows(len(names))
    figure, axes = plt.subplots(
        rows, columns, figsize=(10, 2.4 * rows + legend_height), sharex=True
    )
    months = cube.month.values
    for axis, headline in zip(axes.flat, shown):
        monthly = _monthly(cube, headline)
        for colour, scenario in zip(palette, names):
            values = monthly.sel(scenario=scenario).values
            q = np.nanquantile(values, [0.025, 0.25, 0.5, 0.75, 0.975], axis=0)
            axis.fill_between(months, q[0], q[4], color=colour, alpha=0.12, linewidth=0)
            if len(names) <= 3:
                axis.fill_between(months, q[1], q[3], color=colour, alpha=0.3, linewidth=0)
            axis.plot(months, q[2], color=colour, label=scenario)
        unit = headline.unit + ("" if headline.how == "mean" else " per month")
        axis.set_title(headline.label)
        axis.set_ylabel(unit)
        readable(axis)
    for axis in axes.flat[len(shown) :]:
        axis.set_visible(False)
    for axis in axes[-1]:
        axis.set_xlabel("month")
        month_ticks(axis, len(months))
        axis.tick_params(axis="x", rotation=30)
    bands = "median, 50% and 95% bands" if len(names) <= 3 else "median and 95% band"
    _legend_below(figure, *axes.flat[0].get_legend_handles_labels(), title=bands)
    figure.tight_layout(rect=(0, legend_height / figure.get_figheight(), 1, 1))
    return _save(figure, cube, run_id, out, "fan_chart")


def month_ticks(axis, months: int, most: int = 8) -> None:
    """Ticks on the first of a month, at most ``most`` of them, every 1, 2, 3, 6, 12... months.

    Matplotlib's automatic locator puts ticks on days for a run of a few months, which a
    month-and-year label then repeats ("Apr 2019, Apr 2019, ...").
    """
    step = next((s for s in (1, 2, 3, 6, 12, 24, 60) if months / s <= most), 120)
    axis.xaxis.set_major_locator(mdates.MonthLocator(interval=step))
    axis.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))


def forest_plot(
    cube: xr.Dataset, out: Path, run_id: str, baseline: str | None = None
) -> list[Path]:
    """Each scenario's effect on each headline as a % change from baseline, with its 95% CI.

    Small multiples: one panel per headline, one row per scenario in the same order and colour in
    every panel, so any number of scenarios fits and none is left out.
    """
    found = effects(cube, baseline)
    scenarios = list(dict.fromkeys(e.scenario for e in found))
    palette = colours(len(scenarios) + 1)[1:]  # the baseline keeps the first colour elsewhere
    shown = [h for h in HEADLINES if any(e.headline == h and e.baseline_mean for e in found)]
    columns = 2
    rows = -(-len(shown) // columns)
    height = rows * (0.22 * len(scenarios) + 0.9)
    figure, axes = plt.subplots(rows, columns, figsize=(10, height), squeeze=False)
    for axis, headline in zip(axes.flat, shown):
        mine = {e.scenario: e for e in found if e.headline == headline}
        for y, name in enumerate(scenarios):
            e = mine.get(name)
            if e is None or not e.baseline_mean:
                continue
            low, high = 100 * e.low / e.baseline_mean, 100 * e.high / e.baseline_mean
            axis.plot([low, high], [y, y], color=palette[y], linewidth=2)
            axis.plot(100 * e.relative, y, "o", color=palette[y])
        axis.axvline(0, color="#333333", linewidth=0.8)
        axis.set_yticks(range(len(scenarios)), scenarios, fontsize=7)
        axis.set_ylim(len(scenarios) - 0.5, -0.5)
        axis.set_title(headline.label, fontsize=9)
        axis.set_xlabel("% change from baseline (95% CI)", fontsize=7)
    for axis in axes.flat[len(shown) :]:
        axis.set_visible(False)
    figure.suptitle("Effects against the baseline")
    figure.tight_layout()
    return _save(figure, cube, run_id, out, "forest_plot")


def cost_effect_plane(
    cube: xr.Dataset, out: Path, run_id: str, baseline: str | None = None
) -> list[Path]:
    """Difference in cost a year against emergency admissions avoided a year, every scenario."""
    names = [str(s) for s in cube.scenario.values]
    baseline = baseline or names[0]
    years = cube.sizes["month"] / 12
    admissions = HEADLINES[4].per_replication(cube) / years
    cost = HEADLINES[6].per_replication(cube) / years
    others = [n for n in names if n != baseline]
    palette = colours(len(names))[1:]
    legend_height = 0.18 * _legend_rows(len(others))
    figure, axis = plt.subplots(figsize=(7, 5 + legend_height))
    found = {(e.scenario, e.headline.label): e for e in effects(cube, baseline)}
    for colour, name in zip(palette, others):
        avoided = (admissions.sel(scenario=baseline) - admissions.sel(scenario=name)).values
        extra = (cost.sel(scenario=name) - cost.sel(scenario=baseline)).values
        axis.scatter(avoided, extra, color=colour, alpha=0.35, s=14)
        a, c = found[(name, "Emergency admissions")], found[(name, "Cost")]
        axis.errorbar(
            -a.difference / years,
            c.difference / years,
            xerr=[[(a.high - a.difference) / years], [(a.difference - a.low) / years]],
            yerr=[[(c.difference - c.low) / years], [(c.high - c.difference) / years]],
            fmt="o",
            color=colour,
            capsize=3,
            label=name,
        )
    axis.axhline(0, color="#333333", linewidth=0.8)
    axis.axvline(0, color="#333333", linewidth=0.8)
    axis.set_xlabel("emergency admissions avoided a year (admissions)")
    axis.set_ylabel("difference in cost a year (GBP)")
    readable(axis)
    readable(axis, "x")
    axis.set_title("Cost-effect plane (dots: replications; bars: 95% CI)")
    _legend_below(figure, *axis.get_legend_handles_labels())
    figure.tight_layout(rect=(0, legend_height / figure.get_figheight(), 1, 1))
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
    readable(axis)
    readable(axis, "x")
    figure.tight_layout()
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
    palette = colours(cube.sizes["scenario"])
    for i, (colour, name) in enumerate(zip(palette, cube.scenario.values)):
        spend = cube["cost"].sel(scenario=name).sum(("month", "practice")).mean("replication")
        per_head = spend.values / people / years
        right.bar(x - 0.4 + width * (i + 0.5), per_head, width, color=colour, label=str(name))
    right.set_xticks(x, cohorts)
    right.set_xlabel("number of long-term conditions (cohort)")
    right.set_ylabel("cost per registered person a year (GBP)")
    right.set_title("Cost per head by cohort")
    readable(right)
    legend_height = 0.18 * _legend_rows(cube.sizes["scenario"])
    figure.set_figheight(4 + legend_height)
    _legend_below(figure, *right.get_legend_handles_labels())
    figure.tight_layout(rect=(0, legend_height / figure.get_figheight(), 1, 1))
    return _save(figure, cube, run_id, out, "cost_concentration")
