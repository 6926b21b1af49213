"""Headlines per year and per month, the way a board paper states them.

A run's totals are over its whole reported period; a board reads "a year". Years are blocks of
twelve reported months from the run's start (``year 1`` = the first twelve); a last block of fewer
months is labelled with its length and not scaled up. Per year, each headline is summed over its
months (totals), averaged (means such as beds occupied), or summed and divided by the mean
registered population (per head). Bands are the 2.5% and 97.5% quantiles over replications;
differences from the baseline are paired, with a 95% t-interval, as in :mod:`compare`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from simulate.results.compare import HEADLINES, Headline, effects, interval
from simulate.results.gridlock import departure_based


def year_labels(cube: xr.Dataset) -> list[str]:
    """One label per reported month: ``year 1 (2019-04 to 2020-03)``, the last maybe partial."""
    months = pd.to_datetime(cube.month.values)
    labels = []
    for start in range(0, len(months), 12):
        block = months[start : start + 12]
        text = f"year {start // 12 + 1} ({block[0]:%Y-%m} to {block[-1]:%Y-%m})"
        if len(block) < 12:
            text += f", {len(block)} months"
        labels += [text] * len(block)
    return labels


def _by_month(cube: xr.Dataset, variable: str) -> xr.DataArray:
    data = cube[variable]
    return data.sum([d for d in data.dims if d not in ("scenario", "replication", "month")])


def per_year(cube: xr.Dataset, headline: Headline) -> xr.DataArray:
    """The headline per (scenario, replication, year); breaches of a gridlocked A&E are NaN."""
    data = _by_month(cube, headline.variable).assign_coords(year=("month", year_labels(cube)))
    if headline.variable == "ae_4h_breaches":
        data = departure_based(data, cube)
    if headline.how == "mean":
        return data.groupby("year").mean()
    total = data.groupby("year").sum()
    if headline.how == "per_head":
        heads = _by_month(cube, "registered_population")
        heads = heads.assign_coords(year=("month", year_labels(cube))).groupby("year").mean()
        total = total / heads
    return total


def annual_rows(cube: xr.Dataset, baseline: str | None = None) -> list[dict]:
    """Per scenario, year and headline: mean, band, and the paired difference from baseline."""
    names = [str(s) for s in cube.scenario.values]
    baseline = baseline or names[0]
    rows = []
    for headline in HEADLINES:
        values = per_year(cube, headline)
        for year in values.year.values:
            base = values.sel(scenario=baseline, year=year).values
            for name in names:
                mine = values.sel(scenario=name, year=year).values
                difference, low, high = interval(mine - base)
                rows.append(
                    {
                        "scenario": name,
                        "year": str(year),
                        "outcome (unit)": f"{headline.label} ({annual_unit(headline)})",
                        "mean over replications (outcome's unit)": float(np.mean(mine)),
                        "band 2.5% (outcome's unit)": float(np.quantile(mine, 0.025)),
                        "band 97.5% (outcome's unit)": float(np.quantile(mine, 0.975)),
                        "difference from baseline (outcome's unit)": difference,
                        "95% CI low (outcome's unit)": low,
                        "95% CI high (outcome's unit)": high,
                    }
                )
    return rows


def annual_unit(headline: Headline) -> str:
    """The unit of a headline per year."""
    if headline.how == "mean":
        return f"{headline.unit} (mean over the year)"
    return f"{headline.unit} per year"


def monthly_rows(cube: xr.Dataset) -> list[dict]:
    """Per scenario, month and headline: the mean over replications and its 95% band."""
    rows = []
    months = pd.to_datetime(cube.month.values)
    for headline in HEADLINES:
        data = _by_month(cube, headline.variable)
        if headline.how == "per_head":
            data = data / _by_month(cube, "registered_population")
        unit = headline.unit if headline.how == "mean" else f"{headline.unit} per month"
        for name in cube.scenario.values:
            values = data.sel(scenario=name).values  # [replication, month]
            q = np.nanquantile(values, [0.025, 0.975], axis=0)
            for m, month in enumerate(months):
                rows.append(
                    {
                        "scenario": str(name),
                        "month": f"{month:%Y-%m}",
                        "outcome (unit)": f"{headline.label} ({unit})",
                        "mean over replications (outcome's unit)": float(np.nanmean(values[:, m])),
                        "band 2.5% (outcome's unit)": float(q[0, m]),
                        "band 97.5% (outcome's unit)": float(q[1, m]),
                    }
                )
    return rows


def years(cube: xr.Dataset) -> float:
    """The reported period in years (months / 12)."""
    return cube.sizes["month"] / 12


def annual_effect_rows(
    cube: xr.Dataset, baseline: str | None, by: str | None, headlines=HEADLINES
) -> list[dict]:
    """Each effect as a row, totals a year (means as they are), each header with its unit."""
    per = years(cube)
    rows = []
    for e in effects(cube, baseline, by, headlines):
        if headlines is not HEADLINES and not (e.baseline_mean or e.scenario_mean):
            continue  # a service neither run has
        scale = 1.0 if e.headline.how == "mean" else 1 / per
        unit = annual_unit(e.headline)
        row = {"scenario": e.scenario}
        if by:
            row[by] = e.group
        row |= {
            "outcome (unit)": f"{e.headline.label} ({unit})",
            "baseline, a year (outcome's unit)": e.baseline_mean * scale,
            "scenario, a year (outcome's unit)": e.scenario_mean * scale,
            "difference, a year (outcome's unit)": e.difference * scale,
            "95% CI low (outcome's unit)": e.low * scale,
            "95% CI high (outcome's unit)": e.high * scale,
            "change (% of baseline)": 100 * e.relative,
            "clear (95% CI excludes 0)": "yes" if e.clear else "no",
            "replications": e.replications,
        }
        rows.append(row)
    return rows
