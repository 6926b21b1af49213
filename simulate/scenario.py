"""Scenarios: what a planner asks, as a TOML file checked before anything runs.

A scenario names a place and gives every model parameter, each with its unit in the key's name and
its source in a comment in the shipped files. ``extends = "baseline.toml"`` inherits another file
and overrides some of its keys (tables merge key by key; ``name`` and ``description`` are never
inherited). ``--set key=value`` overrides any key from the command line. The resolved scenario is
written back as TOML text, hashed, and stored in every cube, so a run can be rebuilt from its cube.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

import tomli_w
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeFloat,
    PositiveFloat,
    ValidationError,
    field_validator,
    model_validator,
)

from simulate.distributions import Duration, Fixed
from simulate.errors import InputError
from simulate.inputs import as_input_error, read_toml, tomllib
from simulate.interventions import InterventionsSpec
from simulate.place import COHORTS

Share = Annotated[float, Field(ge=0, le=1)]
ByCohort = Annotated[
    list[NonNegativeFloat], Field(min_length=len(COHORTS), max_length=len(COHORTS))
]
SharesByCohort = Annotated[list[Share], Field(min_length=len(COHORTS), max_length=len(COHORTS))]
AGE_BAND_COUNT = 8  # simulate.population.AGE_BANDS
_EIGHT = Field(min_length=AGE_BAND_COUNT, max_length=AGE_BAND_COUNT)
ByAge = Annotated[list[NonNegativeFloat], _EIGHT]
SharesByAge = Annotated[list[Share], _EIGHT]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class DemandSpec(_Spec):
    """How often people ask for care: a rate by age band, times a ratio by number of LTCs.

    The ratios are age-adjusted: within each age band they are rescaled so that the band's mean
    (over the place's LTC mix at average deprivation) is the age rate, as published.
    """

    gp_requests_per_person_year_by_age: ByAge
    gp_requests_ratio_by_ltc: ByCohort
    gp_requests_growth: PositiveFloat = 1.0
    same_day_share: Share
    ae_attendances_per_person_year_by_age: ByAge
    ae_attendances_ratio_by_ltc: ByCohort
    ae_minor_share_by_age: SharesByAge
    emergency_admissions_per_person_year_by_age: ByAge
    emergency_admissions_ratio_by_ltc: ByCohort
    outpatient_attendances_per_person_year_by_age: ByAge
    outpatient_referrals_per_person_year_by_age: ByAge
    outpatient_ratio_by_ltc: ByCohort


class PracticeSpec(_Spec):
    """How practices turn GP time into appointments and how long patients will wait."""

    appointments_per_gp_fte_day: NonNegativeFloat
    same_day_tolerance_working_days: int = Field(ge=0)
    routine_tolerance_working_days: int = Field(ge=0, le=60)

    @model_validator(mode="after")
    def _ordered(self) -> PracticeSpec:
        if self.routine_tolerance_working_days < self.same_day_tolerance_working_days:
            raise ValueError("routine tolerance must be at least the same-day tolerance")
        return self


class LeaversSpec(_Spec):
    """Where requests go once their wait passes the patient's tolerance (the rest give up)."""

    to_hub_share: Share
    to_ae_share: Share

    @model_validator(mode="after")
    def _at_most_one(self) -> LeaversSpec:
        if self.to_hub_share + self.to_ae_share > 1 + 1e-12:
            raise ValueError("to_hub_share + to_ae_share must not exceed 1")
        return self


class HubSpec(_Spec):
    """The federation's extended-access hub: same-day appointments every day of the week."""

    minutes_per_1000_per_week: NonNegativeFloat
    minutes_per_appointment: PositiveFloat


class AcuteSpec(_Spec):
    """A&E treatment, admission and length of stay at the acute trust."""

    treatment_hours: Duration
    length_of_stay_days: Duration
    length_of_stay_ratio_by_age: ByAge = [1.0] * AGE_BAND_COUNT
    length_of_stay_growth_per_ltc: NonNegativeFloat = 0.0
    gp_origin_minor_share: Share = 0.0
    stepdown_share_by_age: SharesByAge = [0.0] * AGE_BAND_COUNT
    stepdown_stay_days: Duration = Fixed(dist="fixed", value=0.0)
    # admission by cohort alone: only for batches drawn by Arrivals.draw (queueing tests, bench);
    # the engine derives admission from the demand rates by age and cohort instead
    admission_probability: SharesByCohort = [0.0] * len(COHORTS)
    when_no_bed: Literal["board", "divert"] = "board"
    gp_arrival_window_hours: tuple[float, float] = (8.0, 22.0)

    @field_validator("gp_arrival_window_hours")
    @classmethod
    def _window(cls, value: tuple[float, float]) -> tuple[float, float]:
        if not 0 <= value[0] < value[1] <= 24:
            raise ValueError("window must satisfy 0 <= opens < closes <= 24")
        return value


class CommunityServiceSpec(_Spec):
    """Community nursing: who is referred, for how long, how often visited."""

    nursing_referrals_per_person_year_by_age: ByAge
    nursing_ratio_by_ltc: ByCohort
    nursing_episode_days: PositiveFloat
    nursing_visits_per_week: NonNegativeFloat


class CostSpec(_Spec):
    """Unit costs in GBP."""

    practice_appointment: NonNegativeFloat
    hub_offered_appointment: NonNegativeFloat
    ae_attendance: NonNegativeFloat
    emergency_admission: NonNegativeFloat
    excess_bed_day: NonNegativeFloat
    trim_point_days: NonNegativeFloat
    delayed_discharge_day: NonNegativeFloat
    outpatient_attendance: NonNegativeFloat
    community_nurse_contact: NonNegativeFloat
    stepdown_bed_day: NonNegativeFloat


class DynamicsSpec(_Spec):
    """The system-dynamics layer (:mod:`simulate.dynamics`): population, GP workforce, money.

    Every key has a default, so scenario files without a ``[dynamics]`` table still validate;
    sources are in the comments of ``scenarios/baseline.toml``.
    """

    mode: Literal["hybrid", "sd"] = "hybrid"  # event engine, or expected flows (mean field)
    coupled: bool = True  # False: capacities and demand stay as at the start (no dynamics)
    births_per_1000_per_year: NonNegativeFloat = 11.0
    deaths_per_1000_per_year_by_age: ByAge = [0.9, 0.1, 0.3, 0.9, 3.5, 13.0, 38.0, 150.0]
    deaths_ratio_by_ltc: ByCohort = [1.0, 1.3, 1.7, 2.3, 3.5]
    ltc_onset_per_person_year_by_age: ByAge = [0.01, 0.01, 0.01, 0.03, 0.06, 0.12, 0.12, 0.18]
    emigration_per_person_year: NonNegativeFloat = 0.0
    hold_age_structure: bool = True
    hold_ltc_mix: bool = True
    gp_leaving_rate_per_year: NonNegativeFloat = 0.09
    gp_overload_leaving_ratio: PositiveFloat = 1.5
    gp_overload_from_requests_per_slot: PositiveFloat = 1.1
    gp_overload_full_requests_per_slot: PositiveFloat = 1.3
    gp_recruitment_delay_months: PositiveFloat = 6.0
    gp_workforce_adjustment_months: PositiveFloat = 3.0
    gp_funding_GBP_per_head_per_year: PositiveFloat = 152.04
    extra_gp_funding_GBP_per_head_per_year: float = 0.0
    gp_fte_cost_GBP_per_year: PositiveFloat = 110_000.0
    funding_delay_months: PositiveFloat = 6.0
    bed_occupancy_trigger: Annotated[float, Field(gt=0, le=1)] = 0.95
    bed_investment_delay_months: PositiveFloat = 9.0
    occupancy_perception_months: PositiveFloat = 3.0

    @model_validator(mode="after")
    def _overload_ordered(self) -> DynamicsSpec:
        if self.gp_overload_full_requests_per_slot <= self.gp_overload_from_requests_per_slot:
            raise ValueError("gp_overload_full_requests_per_slot must exceed ..._from_...")
        return self


class ScenarioSpec(_Spec):
    """A whole scenario file, after ``extends`` is resolved."""

    name: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_.\-]+$")
    description: str = ""
    place: str
    start: dt.date
    demand: DemandSpec
    practice: PracticeSpec
    leavers: LeaversSpec
    hub: HubSpec
    acute: AcuteSpec
    community: CommunityServiceSpec
    costs: CostSpec
    dynamics: DynamicsSpec = DynamicsSpec()
    interventions: InterventionsSpec = InterventionsSpec()  # levers: simulate/interventions.py

    @field_validator("start")
    @classmethod
    def _first_of_month(cls, value: dt.date) -> dt.date:
        if value.day != 1:
            raise ValueError("start must be the first day of a month")
        return value


@dataclass(frozen=True)
class Scenario:
    """A validated scenario with its resolved TOML text (what cubes store) and that text's hash."""

    name: str
    spec: ScenarioSpec
    toml: str
    folder: Path

    @property
    def sha256(self) -> str:
        """SHA-256 of the resolved TOML text."""
        return hashlib.sha256(self.toml.encode("utf-8")).hexdigest()


_NOT_INHERITED = ("name", "description")


def _merge(base: dict, override: dict) -> dict:
    """``override`` laid over ``base``: tables merge key by key, anything else replaces."""
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict) and "dist" not in value:
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _resolve(path: Path, chain: tuple[Path, ...] = ()) -> tuple[dict, str]:
    """The merged table of ``path`` and its ``extends`` ancestors, and the file's own text."""
    data, text = read_toml(path)
    parent = data.pop("extends", None)
    if parent is None:
        return data, text
    if not isinstance(parent, str):
        raise InputError("must be a file name in quotes", file=path, key="extends")
    parent_path = (path.parent / parent).resolve()
    if parent_path in chain or parent_path == path.resolve():
        cycle = " -> ".join(p.name for p in (*chain, path.resolve(), parent_path))
        raise InputError(f"cycle of extends: {cycle}", file=path, key="extends")
    if not parent_path.is_file():
        raise InputError(f"extends {parent!r}, which does not exist", file=path, key="extends")
    base, _ = _resolve(parent_path, (*chain, path.resolve()))
    for key in _NOT_INHERITED:
        base.pop(key, None)
    return _merge(base, data), text


_SET = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)=(.+)$", re.S)


def apply_set(data: dict, assignment: str) -> dict:
    """``data`` with one ``key.path=value`` override (the value written as in TOML)."""
    match = _SET.match(assignment.strip())
    if not match:
        raise InputError(
            f"--set {assignment!r}: expected key=value, e.g. hub.minutes_per_1000_per_week=45"
        )
    key, raw = match.groups()
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw  # a bare word is a string
    table = data
    *parents, leaf = key.split(".")
    for part in parents:
        table = table.setdefault(part, {})
        if not isinstance(table, dict):
            raise InputError(f"--set {key}: {part} is not a table")
    table[leaf] = value
    return data


def _to_toml(data: dict) -> str:
    return tomli_w.dumps(data)


def load_scenario(path: str | Path, overrides: tuple[str, ...] = ()) -> Scenario:
    """Read, resolve and validate a scenario file."""
    path = Path(path)
    data, text = _resolve(path)
    for assignment in overrides:
        data = apply_set(data, assignment)
    try:
        spec = ScenarioSpec.model_validate(data)
    except ValidationError as error:
        raise as_input_error(error, path, text, ScenarioSpec) from None
    data.setdefault("name", spec.name or path.stem)
    name = data["name"]
    return Scenario(name=name, spec=spec, toml=_to_toml(data), folder=path.resolve().parent)


def scenario_from_toml(text: str, folder: Path) -> Scenario:
    """A scenario rebuilt from the resolved TOML text a cube stores."""
    data = tomllib.loads(text)
    spec = ScenarioSpec.model_validate(data)
    return Scenario(name=data["name"], spec=spec, toml=_to_toml(data), folder=folder)
