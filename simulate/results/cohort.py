"""The enrolled cohort of a case-management scenario, year by year: paired and before/after.

A case-management lever's cube carries its enrolled patients' share of each cell's use
(``enrolled_hazard_share``) and the use attributed to them (``enrolled_*``). The baseline's use
by the *same* patients is the baseline's cells times that share, so the paired change of the
cohort is ``enrolled_x[scenario] - x[baseline] × share`` replication by replication. Beside it,
the naive before/after change an evaluation without controls would report: the cohort's
admissions in a year less their admissions in the year before go-live (the risk tool's data
year), which carries regression to the mean.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr

from simulate.results.compare import interval

OUTCOMES = (
    ("ae_attendances", "A&E attendances"),
    ("emergency_admissions", "Emergency admissions"),
    ("bed_days", "Acute bed days"),
)


@dataclass(frozen=True)
class CohortYear:
    """One scenario, year and outcome: the enrolled cohort's and the whole place's changes."""

    scenario: str
    year: int  # 1-based reported year
    outcome: str
    enrolled_baseline: float  # the cohort's use at baseline, mean over replications
    enrolled_change: tuple[float, float, float]  # paired: mean, 95% low, high
    before_after: float | None  # admissions only: this year less the year before go-live
    whole_baseline: float
    whole_change: tuple[float, float, float]


def _yearly(data: xr.DataArray) -> np.ndarray:
    """[replication, year] sums over practice, cohort and the months of each whole year."""
    summed = data.sum([d for d in data.dims if d not in ("replication", "month")])
    values = summed.transpose("replication", "month").values
    years = values.shape[1] // 12
    return values[:, : years * 12].reshape(values.shape[0], years, 12).sum(axis=2)


def enrolled_by_year(cube: xr.Dataset, baseline: str | None = None) -> list[CohortYear]:
    """Every scenario with an enrolled cohort, by year and outcome (none: an empty list)."""
    if "enrolled_hazard_share" not in cube:
        return []
    names = [str(s) for s in cube.scenario.values]
    baseline = baseline or names[0]
    base = cube.sel(scenario=baseline)
    found = []
    for name in names:
        run = cube.sel(scenario=name)
        share = run["enrolled_hazard_share"]
        if name == baseline or float(share.max()) == 0 or ".only." in name:
            continue
        before = run["enrolled_admissions_year_before"].max("month").sum(["practice", "cohort"])
        for variable, label in OUTCOMES:
            mine = _yearly(run[f"enrolled_{variable}"])
            theirs = _yearly(base[variable] * share)
            whole, whole_base = _yearly(run[variable]), _yearly(base[variable])
            for y in range(mine.shape[1]):
                naive = None
                if variable == "emergency_admissions":
                    naive = float((mine[:, y] - before.values).mean())
                found.append(
                    CohortYear(
                        name,
                        y + 1,
                        label,
                        float(theirs[:, y].mean()),
                        interval(mine[:, y] - theirs[:, y]),
                        naive,
                        float(whole_base[:, y].mean()),
                        interval(whole[:, y] - whole_base[:, y]),
                    )
                )
    return found


def _ci(triple: tuple[float, float, float]) -> str:
    mean, low, high = triple
    if np.isnan(low):
        return f"{mean:+,.0f}"
    return f"{mean:+,.0f} ({low:+,.0f} to {high:+,.0f})"


def render(rows: list[CohortYear]) -> str:
    """The rows as a text table (markdown pipes, so it reads in a terminal and in docs)."""
    head = (
        "| scenario | year | outcome | enrolled at baseline | enrolled, paired change (95% CI) "
        "| enrolled, before/after | whole place at baseline | whole place, paired change |\n"
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |"
    )
    lines = [head]
    for r in rows:
        naive = "" if r.before_after is None else f"{r.before_after:+,.0f}"
        lines.append(
            f"| {r.scenario} | {r.year} | {r.outcome} | {r.enrolled_baseline:,.0f} "
            f"| {_ci(r.enrolled_change)} | {naive} | {r.whole_baseline:,.0f} "
            f"| {_ci(r.whole_change)} |"
        )
    return "\n".join(lines)
