"""Scenarios: what a planner asks, as a TOML file checked before anything runs.

A scenario names a place and gives every model parameter, each with its unit in the key's name and
its source in a comment in the shipped files. ``extends = "baseline.toml"`` inherits another file
and overrides some of its keys (tables merge key by key; ``name`` and ``description`` are never
inherited). ``--set key=value`` overrides any key from the command line. The resolved scenario is
written back as TOML text, hashed, and stored in every cube, so a run can be rebuilt from its cube.

Any real-valued parameter may be *uncertain*: written as a distribution table instead of a number
(:data:`simulate.inputs.distributions.Uncertain`), it is drawn once per replication from its own
stream ``param.<key>`` (:meth:`Scenario.sampled`). Any real-valued parameter may also *change in
time*: a ``[[changes]]`` table moves it linearly from its value to ``to`` over ``ramp_months``
reported months starting at ``start_month`` (:meth:`Scenario.spec_for_month`). Loading collects
every problem of a file, each located at its line, before giving up
(:class:`~simulate.errors.InputErrors`).
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import difflib
import hashlib
import math
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any, Literal

import tomli_w
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeFloat,
    PositiveFloat,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

from simulate.errors import InputError, InputErrors
from simulate.inputs.categories import AGE_BAND_COUNT, COHORTS
from simulate.inputs.distributions import Duration, Fixed, Uncertain
from simulate.inputs.levers import InterventionsSpec
from simulate.inputs.toml import dotted, explain, line_of, read_toml, tomllib

Share = Annotated[float, Field(ge=0, le=1)]
ByCohort = Annotated[
    list[NonNegativeFloat], Field(min_length=len(COHORTS), max_length=len(COHORTS))
]
SharesByCohort = Annotated[list[Share], Field(min_length=len(COHORTS), max_length=len(COHORTS))]
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
    """The system-dynamics layer (:mod:`simulate.model.stocks`): population, GP workforce, money.

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
    gp_fte_cost_GBP_per_year: PositiveFloat = 263_000.0
    funding_delay_months: PositiveFloat = 6.0
    bed_occupancy_trigger: Annotated[float, Field(gt=0, le=1)] = 0.95
    bed_investment_delay_months: PositiveFloat = 9.0
    occupancy_perception_months: PositiveFloat = 3.0

    @model_validator(mode="after")
    def _overload_ordered(self) -> DynamicsSpec:
        if self.gp_overload_full_requests_per_slot <= self.gp_overload_from_requests_per_slot:
            raise ValueError("gp_overload_full_requests_per_slot must exceed ..._from_...")
        return self


class ChangeSpec(_Spec):
    """One parameter changing in time: from its value to ``to``, in equal monthly steps.

    Months count reported months from 0 (the first reported month; the warm-up never sees a
    change). Months before ``start_month`` keep the scenario's value; in month ``start_month + k``
    the value has moved ``(k + 1) / ramp_months`` of the way to ``to``, so it reaches ``to`` in
    month ``start_month + ramp_months - 1`` and stays there. ``ramp_months = 0`` (or 1) is a step
    at ``start_month``. Changes of one key must not overlap; each starts from where the last ended.
    """

    key: str
    to: float
    start_month: int = Field(ge=0)
    ramp_months: int = Field(default=0, ge=0)

    @property
    def end_month(self) -> int:
        """The first month at which the value is ``to``."""
        return self.start_month + max(self.ramp_months, 1) - 1

    def fraction(self, month: int) -> float:
        """How far from the old value to ``to`` the key has moved in ``month`` (0 to 1)."""
        if month < self.start_month:
            return 0.0
        return min(1.0, (month - self.start_month + 1) / max(self.ramp_months, 1))


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
    interventions: InterventionsSpec = InterventionsSpec()  # effects: simulate/model/levers/
    changes: list[ChangeSpec] = []

    @field_validator("start")
    @classmethod
    def _first_of_month(cls, value: dt.date) -> dt.date:
        if value.day != 1:
            raise ValueError("start must be the first day of a month")
        return value


# --- Parameters: which keys are real numbers, and their bounds ----------------------------------


@dataclass(frozen=True)
class Bounds:
    """The limits a real-valued parameter's schema puts on it."""

    ge: float = -math.inf
    gt: float = -math.inf
    le: float = math.inf
    lt: float = math.inf

    def holds(self, value: float) -> bool:
        """Whether ``value`` is allowed."""
        return self.ge <= value <= self.le and self.gt < value < self.lt

    def holds_over(self, low: float, high: float, open_ends: bool) -> bool:
        """Whether every value from ``low`` to ``high`` is allowed (ends excluded if open)."""
        if open_ends:
            return self.ge <= low and self.gt <= low and high <= self.le and high <= self.lt
        return self.holds(low) and self.holds(high)

    def words(self) -> str:
        """The bounds as a planner reads them."""
        if self.ge == 0 and self.le == 1:
            return "a share, from 0 to 1"
        parts = []
        if self.ge > -math.inf:
            parts.append(f"at least {self.ge:g}")
        if self.gt > -math.inf:
            parts.append(f"greater than {self.gt:g}")
        if self.le < math.inf:
            parts.append(f"at most {self.le:g}")
        if self.lt < math.inf:
            parts.append(f"less than {self.lt:g}")
        return " and ".join(parts) or "any number"


def _bounds(metadata) -> Bounds:
    found = {}
    for item in metadata:
        for name in ("ge", "gt", "le", "lt"):
            if getattr(item, name, None) is not None:
                found[name] = float(getattr(item, name))
    return Bounds(**found)


def _scalar_fields(model: type[BaseModel] = ScenarioSpec, prefix: tuple = ()) -> dict:
    """``{("hub", "minutes_per_1000_per_week"): Bounds, ...}``: every real-valued parameter."""
    found = {}
    for name, info in model.model_fields.items():
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation is not ChangeSpec:
                found.update(_scalar_fields(annotation, (*prefix, info.alias or name)))
        elif annotation is float:
            found[(*prefix, info.alias or name)] = _bounds(info.metadata)
    return found


PARAMETERS = _scalar_fields()
"""Every real-valued scenario parameter: these may be uncertain and may change in time."""

_UNCERTAIN = TypeAdapter(Uncertain)


def _at(data, location: tuple):
    """The value at ``location`` in nested tables and arrays, or ``_ABSENT``."""
    for part in location:
        in_table = isinstance(data, dict) and isinstance(part, str) and part in data
        in_array = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if in_table or in_array:
            data = data[part]
        else:
            return _ABSENT
    return data


_ABSENT = object()


def _put(data: dict, location: tuple, value) -> None:
    for part in location[:-1]:
        data = data[part]
    data[location[-1]] = value


def with_values(spec: ScenarioSpec, values: dict[tuple, float]) -> ScenarioSpec:
    """``spec`` with some real-valued parameters replaced (validated again)."""
    data = spec.model_dump(by_alias=True)
    for location, value in values.items():
        _put(data, location, value)
    return ScenarioSpec.model_validate(data)


def _key(location: tuple) -> str:
    return ".".join(map(str, location))


@dataclass(frozen=True)
class Scenario:
    """A validated scenario with its resolved TOML text (what cubes store) and that text's hash.

    ``spec`` holds concrete numbers: for an uncertain parameter, its distribution's mean (the
    nominal scenario), until :meth:`sampled` draws a value for one replication.
    """

    name: str
    spec: ScenarioSpec
    toml: str
    folder: Path
    uncertain: tuple[tuple[tuple, Any], ...] = ()
    """``((location, distribution), ...)`` of the uncertain parameters, in key order."""
    sampled_values: tuple[tuple[str, float], ...] = ()
    """``((dotted key, value), ...)`` drawn by :meth:`sampled` (empty before sampling)."""
    _months: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def sha256(self) -> str:
        """SHA-256 of the resolved TOML text."""
        return hashlib.sha256(self.toml.encode("utf-8")).hexdigest()

    def sampled(self, streams) -> Scenario:
        """The scenario of one replication: every uncertain parameter drawn once.

        Parameter ``a.b`` uses one uniform number of stream ``param.a.b`` (inversion), so the same
        replication of two scenarios that share a parameter draws the same value (common random
        numbers). A scenario without uncertain parameters is returned as it is.
        """
        if not self.uncertain:
            return self
        values = {
            loc: dist.draw(streams[f"param.{_key(loc)}"]) if dist.random else dist.mean
            for loc, dist in self.uncertain
        }
        try:
            spec = with_values(self.spec, values)
        except ValidationError as error:
            location, message = explain(error.errors()[0], ScenarioSpec)
            raise InputError(
                f"replication {streams.replication}: the sampled values break a rule: {message}",
                file=self.name,
                key=_key(location) or None,
            ) from None
        drawn = tuple((_key(loc), float(v)) for loc, v in values.items())
        return replace(self, spec=spec, uncertain=(), sampled_values=drawn, _months={})

    def spec_for_month(self, month: int) -> ScenarioSpec:
        """The parameters in force in reported ``month`` (0 = first; negative = warm-up).

        The same object is returned for months with the same values, and :attr:`spec` itself
        before any change starts, so a caller can tell a change by identity.
        """
        changes = self.spec.changes
        if not changes or month < min(c.start_month for c in changes):
            return self.spec
        values = _phased(self.spec, month)
        key = tuple(sorted(values.items()))
        spec = self._months.get(key)
        if spec is None:
            spec = self._months[key] = with_values(self.spec, values)
        return spec


def _phased(spec: ScenarioSpec, month: int) -> dict[tuple, float]:
    """Values of the changed parameters in ``month``, each change starting where the last ended."""
    values: dict[tuple, float] = {}
    for change in sorted(spec.changes, key=lambda c: c.start_month):
        location = tuple(change.key.split("."))
        value = values[location] if location in values else _value(spec, location)
        values[location] = value + (change.to - value) * change.fraction(month)
    return values


def _value(spec: BaseModel, location: tuple) -> float:
    for part in location:
        spec = getattr(spec, part)
    return float(spec)


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


@dataclass(frozen=True)
class _Source:
    """One file (or the ``--set`` options) that contributed keys, for locating problems."""

    path: Path | str
    data: dict
    text: str


def _resolve(path: Path, chain: tuple[Path, ...] = ()) -> tuple[dict, list[_Source]]:
    """The merged table of ``path`` and its ``extends`` ancestors, and their sources (own first)."""
    data, text = read_toml(path)
    source = _Source(path, copy.deepcopy(data), text)
    parent = data.pop("extends", None)
    if parent is None:
        return data, [source]
    if not isinstance(parent, str):
        raise InputError("must be a file name in quotes", file=path, key="extends")
    parent_path = (path.parent / parent).resolve()
    if parent_path in chain or parent_path == path.resolve():
        cycle = " -> ".join(p.name for p in (*chain, path.resolve(), parent_path))
        raise InputError(f"cycle of extends: {cycle}", file=path, key="extends")
    if not parent_path.is_file():
        raise InputError(f"extends {parent!r}, which does not exist", file=path, key="extends")
    base, sources = _resolve(parent_path, (*chain, path.resolve()))
    for key in _NOT_INHERITED:
        base.pop(key, None)
    return _merge(base, data), [source, *sources]


def _locate(sources: list[_Source], location: tuple, message: str) -> InputError:
    """A problem at ``location``, placed in the file that set the longest part of it."""
    key = dotted(location) or None
    for length in range(len(location), 0, -1):
        for source in sources:
            if _at(source.data, location[:length]) is not _ABSENT:
                line = line_of(source.text, location[:length]) if source.text else None
                return InputError(message, file=source.path, line=line, key=key)
    return InputError(message, file=sources[0].path, key=key)


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


def _uncertain(data: dict, sources: list[_Source]) -> tuple[dict, dict, list[InputError], set]:
    """Distribution tables of real-valued parameters: checked, and replaced by their means.

    Returns the nominal data (means in place of distributions), ``{location: distribution}``,
    the problems found and the locations of the distribution tables that have them.
    """
    nominal = copy.deepcopy(data)
    found: dict[tuple, Any] = {}
    problems: list[InputError] = []
    failed = set()
    for location, bounds in PARAMETERS.items():
        value = _at(nominal, location)
        if not isinstance(value, dict):
            continue
        failed.add(location)
        try:
            dist = _UNCERTAIN.validate_python(value)
        except ValidationError as error:
            for problem in error.errors():
                inner = tuple(problem["loc"])
                if inner and inner[0] == value.get("dist"):
                    inner = inner[1:]
                kind = problem["type"]
                if kind == "extra_forbidden":
                    model = _UNCERTAIN_MODELS.get(value.get("dist"))
                    known = [i.alias or n for n, i in (model.model_fields.items() if model else ())]
                    close = difflib.get_close_matches(str(inner[-1]), known, n=1)
                    message = "unknown key" + (f"; did you mean {close[0]!r}?" if close else "")
                elif kind == "union_tag_not_found":
                    message = f"a distribution needs dist = one of {', '.join(_DIST_NAMES)}"
                elif kind == "union_tag_invalid":
                    message = f"unknown distribution {value.get('dist')!r}; use one of "
                    message += ", ".join(_DIST_NAMES)
                else:
                    message = explain({**problem, "loc": inner}, None)[1]
                problems.append(_locate(sources, (*location, *inner), message))
            continue
        low, high = dist.support
        if not bounds.holds_over(low, high, dist.open_support):
            problems.append(
                _locate(
                    sources,
                    location,
                    f"must be {bounds.words()}, but this {value['dist']} distribution can give "
                    f"values from {low:g} to {high:g}"
                    + ("; truncate it with low and high" if value["dist"] == "normal" else ""),
                )
            )
            continue
        found[location] = dist
        failed.discard(location)
        _put(nominal, location, dist.mean)
    return nominal, found, problems, failed


_UNCERTAIN_MODELS = {
    model.model_fields["dist"].annotation.__args__[0]: model
    for model in Uncertain.__origin__.__args__
}
_DIST_NAMES = tuple(_UNCERTAIN_MODELS)


def _fixed_for_the_run(location: tuple) -> str:
    """Why a parameter cannot change in time (the model reads it once), or ``""``."""
    if location[0] == "interventions":
        return "an intervention phases in with its own start_month and ramp_months"
    if location[0] == "dynamics" and location[1] != "extra_gp_funding_GBP_per_head_per_year":
        return "the stocks read this once, at the start (only extra funding can change in time)"
    if location == ("costs", "trim_point_days"):
        return "the trust reads this once, at the start"
    return ""


def _check_changes(nominal: dict, spec: ScenarioSpec | None, sources) -> list[InputError]:
    """Each change names a real-valued parameter, stays within its bounds and overlaps none.

    Checked even when other keys are wrong (each change on its own); the months of the ramps are
    checked against the rules across parameters only when everything else is right.
    """
    problems = []
    valid = []
    names = [_key(loc) for loc in PARAMETERS]
    given = nominal.get("changes") if isinstance(nominal, dict) else None
    changes = {}
    for i, item in enumerate(given if isinstance(given, list) else []):
        with contextlib.suppress(ValidationError):  # if not, the scenario's schema says why
            changes[i] = ChangeSpec.model_validate(item)
    for i, change in changes.items():
        location = tuple(change.key.split("."))
        if location not in PARAMETERS:
            if _at(nominal, location) is not _ABSENT:
                message = "only a real-valued parameter can change in time"
            else:
                message = "no such parameter"
                close = difflib.get_close_matches(change.key, names, n=1)
                if close:
                    message += f"; did you mean {close[0]!r}?"
            problems.append(_locate(sources, ("changes", i, "key"), message))
            continue
        fixed = _fixed_for_the_run(location)
        if fixed:
            problems.append(_locate(sources, ("changes", i, "key"), fixed))
            continue
        bounds = PARAMETERS[location]
        if not bounds.holds(change.to):
            message = f"{change.key} must be {bounds.words()} (got {change.to!r})"
            problems.append(_locate(sources, ("changes", i, "to"), message))
            continue
        for j, other in valid:
            if other.key == change.key and not (
                change.start_month > other.end_month or other.start_month > change.end_month
            ):
                message = f"overlaps change {j + 1} of {change.key} (months "
                message += f"{other.start_month}-{other.end_month})"
                problems.append(_locate(sources, ("changes", i, "start_month"), message))
                break
        else:
            valid.append((i, change))
    if problems or spec is None or not spec.changes:
        return problems
    for month in range(max(c.end_month for c in spec.changes) + 1):
        try:
            with_values(spec, _phased(spec, month))
        except ValidationError as error:
            location, message = explain(error.errors()[0], ScenarioSpec)
            message = f"in month {month} the changes break a rule: {_key(location)}: {message}"
            latest = max(
                (i for i, c in changes.items() if c.start_month <= month),
                key=lambda i: changes[i].start_month,
            )
            return [_locate(sources, ("changes", latest, "to"), message)]
    return problems


_RARE = 1e-6
"""Quantile taken as the end of a distribution without ends when checking rules across parameters
(a draw beyond it, once in a million replications, stops the run with a one-line error)."""


def _check_corners(spec: ScenarioSpec, uncertain: dict, sources) -> list[InputError]:
    """Rules across parameters (e.g. shares that must not sum past 1) at the ranges' ends."""
    for end in (0, 1):
        values = {}
        for location, dist in uncertain.items():
            value = dist.support[end]
            if dist.open_support:  # never reached: the 1-in-a-million value instead
                value = dist.ppf(_RARE if end == 0 else 1 - _RARE)
            values[location] = value
        try:
            with_values(spec, values)
        except ValidationError as error:
            location, message = explain(error.errors()[0], ScenarioSpec)
            ends = "lowest" if end == 0 else "highest"
            message = f"with the uncertain parameters at their {ends} values: {message}"
            return [_locate(sources, location, message)]
    return []


_SUGGESTED = re.compile(r"did you mean '([^']+)'\?$")


def _without_misspelt_missing(problems: list[InputError]) -> list[InputError]:
    """Drop "missing key" for a key that an unknown key beside it is a misspelling of."""
    suggested = set()
    for problem in problems:
        match = _SUGGESTED.search(problem.message)
        if match and problem.key:
            suggested.add(problem.key.rpartition(".")[0] + "." + match.group(1))
    return [p for p in problems if not (p.message == "missing key" and p.key in suggested)]


def _build(data: dict, sources: list[_Source], default_name: str, folder: Path) -> Scenario:
    """A scenario from resolved data, or every problem found in it at once."""
    if not isinstance(data, dict):  # pragma: no cover - TOML always gives a table
        raise InputError("not a table", file=sources[0].path)
    nominal, uncertain, problems, failed = _uncertain(data, sources)
    spec = None
    try:
        spec = ScenarioSpec.model_validate(nominal)
    except ValidationError as error:
        for problem in error.errors():
            location, message = explain(problem, ScenarioSpec)
            if any(location[: len(loc)] == loc for loc in failed):
                continue  # reported already, in the distribution's own words
            problems.append(_locate(sources, location, message))
    problems += _check_changes(nominal, spec, sources)
    if spec is not None and not problems and uncertain:
        problems += _check_corners(spec, uncertain, sources)
    if problems:
        problems = _without_misspelt_missing(problems)
        main = sources[0].path
        problems.sort(key=lambda p: (p.file != str(main), p.file or "", p.line or 10**9))
        raise InputErrors(problems)
    data = copy.deepcopy(data)
    data.setdefault("name", spec.name or default_name)
    return Scenario(
        name=data["name"],
        spec=spec,
        toml=_to_toml(data),
        folder=folder,
        uncertain=tuple(sorted(uncertain.items())),
    )


def load_scenario(path: str | Path, overrides: tuple[str, ...] = ()) -> Scenario:
    """Read, resolve and validate a scenario file; every problem is reported at once."""
    path = Path(path)
    data, sources = _resolve(path)
    given: dict = {}
    for assignment in overrides:
        data = apply_set(data, assignment)
        given = apply_set(given, assignment)
    if given:
        sources = [_Source("--set", given, ""), *sources]
    return _build(data, sources, path.stem, path.resolve().parent)


def scenario_from_toml(text: str, folder: Path) -> Scenario:
    """A scenario rebuilt from the resolved TOML text a cube stores."""
    data = tomllib.loads(text)
    return _build(data, [_Source("cube", data, text)], data.get("name", "scenario"), folder)
