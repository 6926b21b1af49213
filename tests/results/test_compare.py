"""Paired comparisons from a cube built by hand, checked against a hand computation."""

import csv
import io
import json

import numpy as np
import pytest
import xarray as xr
from scipy import stats

from simulate.model.outcomes import OUTCOMES
from simulate.results.compare import cost_per_admission_avoided, effects
from simulate.results.formats import render

REPS = 4


def synthetic_cube() -> xr.Dataset:
    """Two practices in two federations, two months, four replications, known numbers."""
    months = np.array(["2019-04-01", "2019-05-01"], dtype="datetime64[ns]")
    shape = (2, REPS, 2, 2, 5)
    data = {}
    for name, outcome in OUTCOMES.items():
        dims = ("scenario", "replication", "month", *outcome.dims)
        size = shape[: len(dims)]
        data[name] = (dims, np.ones(size), {"units": outcome.units, "long_name": outcome.long_name})
    # emergency admissions: baseline 10 per cell; the scenario removes r+1 per cell in practice 0
    adm = np.full(shape, 10.0)
    for r in range(REPS):
        adm[1, r, :, 0, :] -= r + 1
    data["emergency_admissions"] = (data["emergency_admissions"][0], adm, {"units": "admissions"})
    cost = np.full(shape, 100.0)
    cost[1] += 3.0  # +3 GBP per cell in every replication: zero-width interval
    data["cost"] = (data["cost"][0], cost, {"units": "GBP"})
    # every A&E attendance (1 a cell a month, 10 cells) leaves A&E: no gridlock
    data["ae_departures"] = (
        data["ae_departures"][0],
        np.full(shape[:3], 10.0),
        {"units": "attendances"},
    )
    data["registered_population"] = (
        data["registered_population"][0],
        np.full(shape, 50.0),
        {"units": "persons"},
    )
    return xr.Dataset(
        data,
        coords={
            "scenario": ["base", "scen"],
            "replication": list(range(REPS)),
            "month": months,
            "practice": ["P1", "P2"],
            "cohort": ["0", "1", "2", "3", "4+"],
            "federation": ("practice", ["FA", "FB"]),
            "list_size": ("practice", [250, 250]),
        },
    )


def by_key(found):
    return {(e.headline.label, e.group): e for e in found}


def test_overall_mean_and_interval_equal_a_hand_computation():
    found = by_key(effects(synthetic_cube()))
    e = found[("Emergency admissions", "")]
    # per replication: 2 months x 5 cohorts x (r+1) fewer admissions in practice P1
    diffs = np.array([-10.0 * (r + 1) for r in range(REPS)])
    half = stats.t.ppf(0.975, REPS - 1) * diffs.std(ddof=1) / np.sqrt(REPS)
    assert e.baseline_mean == 200.0  # 2 months x 2 practices x 5 cohorts x 10
    assert e.difference == pytest.approx(-25.0)
    assert (e.low, e.high) == pytest.approx((-25.0 - half, -25.0 + half))
    assert half == pytest.approx(3.182446305 * 12.909944487 / 2)
    assert e.relative == pytest.approx(-0.125)
    cost = found[("Cost", "")]
    assert (cost.difference, cost.low, cost.high) == pytest.approx((60.0, 60.0, 60.0))
    per_head = found[("Cost per head", "")]
    # 2,000 GBP over 500 people (2 practices x 5 cohorts x 50, the same each month)
    assert per_head.baseline_mean == pytest.approx(2000.0 / 500.0)
    assert per_head.difference == pytest.approx(60.0 / 500.0)


def test_breakdown_by_federation_and_cohort():
    cube = synthetic_cube()
    fed = by_key(effects(cube, by="federation"))
    assert fed[("Emergency admissions", "FA")].difference == pytest.approx(-25.0)
    assert fed[("Emergency admissions", "FB")].difference == 0.0
    assert ("A&E 4-hour breaches", "FA") not in fed  # system-level: no breakdown
    cohort = by_key(effects(cube, by="cohort"))
    assert cohort[("Emergency admissions", "4+")].difference == pytest.approx(-5.0)
    practice = by_key(effects(cube, by="practice"))
    assert practice[("Cost per head", "P2")].difference == pytest.approx(30.0 / 250.0)


def test_cost_per_admission_avoided_only_when_admissions_clearly_fall():
    cube = synthetic_cube()
    (overall,) = cost_per_admission_avoided(effects(cube))
    assert overall.value == pytest.approx(60.0 / 25.0)
    by_fed = {r.group: r for r in cost_per_admission_avoided(effects(cube, by="federation"))}
    assert by_fed["FA"].value == pytest.approx(30.0 / 25.0)
    assert np.isnan(by_fed["FB"].value) and "no statement" in by_fed["FB"].note


def effect_of(cube, variable):
    """The baseline mean of a headline over the run, as :func:`effects` gives it."""
    return next(e for e in effects(cube) if e.headline.variable == variable).baseline_mean


def test_formats_parse():
    cube = synthetic_cube()
    rows = list(csv.DictReader(io.StringIO(render(cube, fmt="csv"))))
    admissions = next(r for r in rows if r["variable"] == "emergency_admissions")
    # -25 over the run's two months is -150 a year, as every format gives it (issue 18)
    assert float(admissions["difference"]) == pytest.approx(-150.0)
    assert (admissions["per"], admissions["months"]) == ("year", "2")
    beds = next(r for r in rows if r["variable"] == "beds_occupied")
    assert float(beds["baseline_mean"]) == pytest.approx(effect_of(cube, "beds_occupied"))
    document = json.loads(render(cube, by="cohort", fmt="json"))
    assert {e["group"] for e in document["effects"]} == {"0", "1", "2", "3", "4+"}
    markdown = render(cube, fmt="md").splitlines()
    assert markdown[0].startswith("A year (2 months from 2019-04")
    assert markdown[3].startswith("| --- | --- | ---: |")
    assert "-150.0 (" in next(line for line in markdown if "Emergency admissions" in line)
    assert "per emergency admission avoided" in render(cube)
