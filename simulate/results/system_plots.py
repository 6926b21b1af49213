"""Figures of the system as a whole: the acute trusts side by side, and what changes over years.

Drawn with the helpers of :mod:`simulate.results.plots` (palette, stamp, legend, readable axes);
every figure of the report is listed in :data:`simulate.results.figures.FIGURES`.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.dates as mdates
import numpy as np
import xarray as xr

from simulate.results.plots import _legend_below, _legend_rows, _save, colours, plt, readable

PROVIDER_PANELS = (
    (
        "A&E 4-hour breaches (% of those who left)",
        "provider_ae_4h_breaches",
        "provider_ae_departures",
    ),
    ("Mean time in A&E (hours)", "provider_ae_wait_hours", None),
    ("Bed occupancy (% of beds)", "provider_beds_occupied", "provider_bed_capacity"),
    ("Emergency admissions a month", "provider_emergency_admissions", None),
)
"""Each provider panel: title, the variable, and what it is a percentage of (None: as it is)."""


def provider_plot(cube: xr.Dataset, out: Path, run_id: str) -> list[Path]:
    """The acute trusts side by side: breaches, time in A&E, occupancy, admissions by scenario.

    Replication means over the reported months; none when the cube has no ``provider_*``
    variables (a mean-field cube, or one made before them).
    """
    if "provider_beds_occupied" not in cube:
        return []
    if "provider_kind" in cube.coords:  # a mental-health trust has no A&E or acute beds
        cube = cube.isel(provider=(cube["provider_kind"] == "acute").values)
    providers = [str(p) for p in cube.provider.values]
    scenarios = [str(s) for s in cube.scenario.values]
    x, width = np.arange(len(providers)), 0.8 / len(scenarios)
    palette = colours(len(scenarios))
    figure, axes = plt.subplots(2, 2, figsize=(10, 6.5))
    for axis, (title, name, per) in zip(axes.flat, PROVIDER_PANELS):
        value = cube[name].mean(("replication", "month"))
        if per is not None:
            value = 100 * cube[name].sum("month") / cube[per].sum("month")
            value = value.mean("replication")
        for i, scenario in enumerate(scenarios):
            bars = value.sel(scenario=scenario).values
            axis.bar(x - 0.4 + width * (i + 0.5), bars, width, color=palette[i], label=scenario)
        axis.set_xticks(x, providers, fontsize=8)
        axis.set_title(title, fontsize=9)
        readable(axis)
    legend_height = 0.18 * _legend_rows(len(scenarios))
    figure.set_figheight(6.5 + legend_height)
    _legend_below(figure, *axes.flat[0].get_legend_handles_labels())
    figure.suptitle("The acute trusts side by side")
    figure.tight_layout(rect=(0, legend_height / figure.get_figheight(), 1, 1))
    return _save(figure, cube, run_id, out, "provider_plot")


def years_figure(cube: xr.Dataset, out: Path, run_id: str) -> list[Path]:
    """What changes over the years: the population's age and conditions, and demand per head.

    Replication means by month, per scenario: the shares aged 65+ and with 4+ conditions, and
    GP requests, A&E attendances and emergency admissions per head a year (a month's count times
    12 over the month's registered population), so ageing's pull on each service shows.
    """
    names = [str(s) for s in cube.scenario.values]
    palette = colours(len(names))
    heads = cube["registered_population"].sum(("practice", "cohort"))
    panels = (
        ("population_share_65_plus", "aged 65 or over", "% of registered", 100.0),
        (
            "population_share_4plus_conditions",
            "with 4+ long-term conditions",
            "% of registered",
            100.0,
        ),
        ("gp_requests", "GP requests", "per head a year", None),
        ("ae_attendances", "A&E attendances", "per head a year", None),
        ("emergency_admissions", "emergency admissions", "per head a year", None),
        ("ae_left_without_being_seen", "A&E left without being seen", "per 1,000 a year", None),
    )
    legend_height = 0.18 * _legend_rows(len(names))
    figure, axes = plt.subplots(3, 2, figsize=(10, 7.2 + legend_height), sharex=True)
    months = cube.month.values
    for axis, (name, title, unit, scale) in zip(axes.flat, panels):
        data = cube[name]
        data = data.sum([d for d in data.dims if d not in ("scenario", "replication", "month")])
        if scale is None:
            data = data * 12 / heads * (1000 if unit.startswith("per 1,000") else 1)
        else:
            data = data * scale
        for colour, scenario in zip(palette, names):
            axis.plot(
                months,
                data.sel(scenario=scenario).mean("replication"),
                color=colour,
                label=scenario,
            )
        axis.set_title(title)
        axis.set_ylabel(unit)
        readable(axis)
    for axis in axes[-1]:
        axis.set_xlabel("month")
        axis.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    _legend_below(figure, *axes.flat[0].get_legend_handles_labels(), title="replication means")
    figure.tight_layout(rect=(0, legend_height / figure.get_figheight(), 1, 1))
    return _save(figure, cube, run_id, out, "years_figure")
