"""Headline rates of a baseline run next to the published figures they should reproduce.

Each :class:`Target` names a published figure (a row of ``shared/evidence/defaults.toml``) and how
to compute the same quantity from a cube. ``docs/calibration.md`` shows the table for the default
place and a test keeps every rate within ±10% of its target.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import xarray as xr

from simulate.inputs.toml import tomllib
from simulate.model.place import Place


@dataclass(frozen=True)
class Target:
    """A published figure and the same quantity measured on a baseline cube."""

    name: str
    units: str
    value: float
    source: str
    measure: Callable[[xr.Dataset, Place], np.ndarray]  # one value per replication


def _total(cube: xr.Dataset, name: str) -> np.ndarray:
    return cube[name].sum([d for d in cube[name].dims if d != "replication"]).values


def _registered(cube: xr.Dataset) -> int:
    """Registered persons: the cube's list sizes (the place's own, recorded with the run)."""
    return int(cube["list_size"].sum())


def _people(place: Place) -> float:
    """People who exist (registered less list inflation): the resident-style denominator.

    The one figure read from the place rather than the cube: the cube does not record the
    synthetic population, only the registered lists.
    """
    return float(place.population.demand_base.sum())


def _per_1000_people(name: str):
    def measure(cube, place):
        return _total(cube, name) / (cube.sizes["month"] / 12) / _people(place) * 1000

    return measure


def _gp_per_person(cube, place):
    months = cube.sizes["month"]
    seen = _total(cube, "gp_appointments") + _total(cube, "hub_appointments")
    return seen / (months / 12) / _registered(cube)


def _mean_los(cube, place):
    acute = _total(cube, "bed_days") - _total(cube, "delayed_discharge_days")
    return acute / _total(cube, "emergency_admissions")


def _occupancy(cube, place):
    return (cube["beds_occupied"] / cube["bed_capacity"]).mean("month").values


def _gp_cost_per_head(cube, place):
    months = cube.sizes["month"]
    return _total(cube, "gp_appointments") * _unit(cube) / (months / 12) / _registered(cube)


def _costs(cube) -> dict:
    """The unit costs of the (one) scenario of ``cube``, from its stored scenario text."""
    text = json.loads(cube.attrs["scenario_toml"])[str(cube.scenario.values)]
    return tomllib.loads(text)["costs"]


def _unit(cube) -> float:
    return _costs(cube)["practice_appointment"]


def _admission_cost_per_head(cube, place):
    c = _costs(cube)
    months = cube.sizes["month"]
    cost = (
        _total(cube, "emergency_admissions") * c["emergency_admission"]
        + _total(cube, "excess_bed_days") * c["excess_bed_day"]
        + _total(cube, "delayed_discharge_days") * c["delayed_discharge_day"]
    )
    return cost / (months / 12) / _people(place)


def _share(part: str, whole: str):
    def measure(cube, place):
        return _total(cube, part) / _total(cube, whole)

    return measure


TARGETS = (
    Target(
        "GP practice and hub appointments per registered person-year",
        "appointments",
        5.19,
        "demand.appointments_per_year_england (NHS Digital GPAD 2018-19: 307.4m / 59.2m)",
        _gp_per_person,
    ),
    Target(
        "A&E attendances per 1,000 residents a year",
        "attendances",
        425.0,
        "acute.ae_attendances_per_1000 (NHS Digital A&E 2017-18 / ONS)",
        _per_1000_people("ae_attendances"),
    ),
    Target(
        "Emergency admissions per 1,000 residents a year",
        "admissions",
        107.0,
        "acute.emergency_admissions_per_1000 (Health Foundation 2017-18 / ONS)",
        _per_1000_people("emergency_admissions"),
    ),
    Target(
        "Mean length of stay of emergency admissions",
        "days",
        7.9,
        "acute.emergency_los_mean_days (Health Foundation 2019)",
        _mean_los,
    ),
    Target(
        "General and acute bed occupancy",
        "share",
        0.90,
        "acute.ga_bed_occupancy (NHS England KH03 via HSJ, 2016-19)",
        _occupancy,
    ),
    Target(
        "Outpatient attendances per 1,000 residents a year",
        "attendances",
        1720.0,
        "acute.outpatient_attendances_per_1000 (NHS Digital HES 2018-19)",
        _per_1000_people("outpatient_attendances"),
    ),
    Target(
        "First outpatient attendances after a GP referral per 1,000 residents a year",
        "attendances",
        195.0,
        "acute.gp_referrals_per_1000 (HES 2008-09: 10.1m of 18.7m first attendances GP-referred)",
        _per_1000_people("outpatient_first_attendances"),
    ),
    Target(
        "GP practice cost per registered person-year",
        "GBP",
        152.04,
        "funding.gp_funding_per_registered_patient (NHS Payments to General Practice 2017-18)",
        _gp_cost_per_head,
    ),
    Target(
        "Emergency admission cost per resident a year",
        "GBP",
        304.0,
        "acute.emergency_admissions_england (Health Foundation: GBP 17.0bn in 2016-17) / 56.0m",
        _admission_cost_per_head,
    ),
    Target(
        "Share of A&E attendances while practices are shut (18:30-08:00, weekends, holidays)",
        "share",
        0.532,
        "HSCIC A&E HES 2012-13 by hour (58.5-60% 09:00-18:00) and NHS Digital A&E 2019-20 by "
        "weekday (Monday 16%), the profiles in scenarios/baseline.toml, over 2019-20's calendar",
        _share("ae_attendances_out_of_hours", "ae_attendances"),
    ),
    Target(
        "Share of A&E attendances that are minor (self-referred, discharged)",
        "share",
        0.30,
        "integration.minor_share_of_ae (itself an assumption: type 3 takes 8.6m of 24.8m)",
        _share("ae_minor_attendances", "ae_attendances"),
    ),
)


def table(cube: xr.Dataset, place: Place) -> list[tuple[Target, float, float]]:
    """``(target, model mean, relative difference)`` for the cube's first scenario."""
    baseline = cube.isel(scenario=0)
    rows = []
    for target in TARGETS:
        values = np.asarray(target.measure(baseline, place), dtype=float)
        mean = float(values.mean())
        rows.append((target, mean, mean / target.value - 1))
    return rows


def by_place(cube: xr.Dataset, place: Place) -> dict[str, list[tuple[Target, float, float]]]:
    """The table for each place of a system, and bed occupancy for each acute trust.

    Places are the cube's ``place`` coordinate; their tables leave out the system-wide row (bed
    occupancy), which follows as one row per acute trust, keyed ``trust CODE``.

    A place's rates are its practices' activity over its own people (registered less list
    inflation), as :func:`table` does for the whole.
    """
    baseline = cube.isel(scenario=0)
    codes = baseline["place"].values
    people = place.population.demand_base.sum(axis=(1, 2))  # [practice]
    found = {}
    for code in dict.fromkeys(codes.tolist()):
        mine = baseline.isel(practice=np.flatnonzero(codes == code))
        view = _Counted(float(people[codes == code].sum()))
        rows = []
        for target in TARGETS:
            if target.measure is _occupancy:
                continue
            mean = float(np.asarray(target.measure(mine, view), dtype=float).mean())
            rows.append((target, mean, mean / target.value - 1))
        found[str(code)] = rows
    occupancy = next(t for t in TARGETS if t.measure is _occupancy)
    share = baseline["provider_beds_occupied"] / baseline["provider_bed_capacity"]
    for provider in baseline.provider.values:
        mean = float(share.sel(provider=provider).mean(("month", "replication")))
        found[f"trust {provider}"] = [(occupancy, mean, mean / occupancy.value - 1)]
    return found


class _Counted:
    """A place's stand-in that knows only how many people exist: what the measures divide by."""

    def __init__(self, people: float):
        self.population = self
        self.demand_base = np.array([people])


def markdown(rows: list[tuple[Target, float, float]]) -> str:
    """The calibration table as Markdown."""
    lines = [
        "| headline rate | units | model | published | difference | source (shared/evidence) |",
        "| --- | --- | ---: | ---: | ---: | --- |",
    ]
    for target, mean, relative in rows:
        lines.append(
            f"| {target.name} | {target.units} | {mean:,.3g} | {target.value:,.4g} | "
            f"{relative:+.1%} | {target.source} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":  # python -m simulate.results.calibration RUN_DIR [PLACE]
    import sys

    from simulate.model.place import load_place
    from simulate.results.cube import load

    cube = load(f"{sys.argv[1]}/cube.nc")
    place = load_place(sys.argv[2] if len(sys.argv) > 2 else "default")
    print(markdown(table(cube, place)))
    if "place" in cube.coords:
        for code, rows in by_place(cube, place).items():
            print(f"\n{code}\n\n{markdown(rows)}")
