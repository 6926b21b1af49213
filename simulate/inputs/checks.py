"""Checks of a scenario that its schema cannot make key by key: distributions, changes, corners.

The schema (:mod:`simulate.inputs.schema`) says what one key may hold. Three things a planner may
write need more than that, and each is checked here with a message in the planner's words, located
in the file (or ``--set`` option) that wrote it:

- an *uncertain* parameter, a distribution table in place of a number: the table must be a known
  distribution, and every value it can give must be within the key's bounds
  (:func:`check_uncertain`, which also gives the nominal scenario, each distribution's mean);
- a *change in time* (``[[changes]]``): it must name a parameter the model reads every month, go
  to an allowed value and not overlap another change of the same key; and in every month the
  changed values together must keep the rules across keys (:func:`check_changes`);
- the *corners* of the uncertain ranges: the rules across keys (shares that must not sum past 1)
  must hold with every uncertain parameter at its lowest, and at its highest
  (:func:`check_corners`).

Each check returns its problems rather than raising, so loading reports every problem at once.
"""

from __future__ import annotations

import contextlib
import copy
import difflib
import re
from typing import Any

from pydantic import TypeAdapter, ValidationError

from simulate.errors import InputError
from simulate.inputs.parameters import PARAMETERS, key_name, phased, put, with_values
from simulate.inputs.schema import ChangeSpec, ScenarioSpec
from simulate.inputs.strict import strictly
from simulate.inputs.toml import ABSENT, Source, explain, locate, value_at
from simulate.inputs.uncertain import Uncertain

_UNCERTAIN = TypeAdapter(Uncertain)
_UNCERTAIN_MODELS = {
    model.model_fields["dist"].annotation.__args__[0]: model
    for model in Uncertain.__origin__.__args__
}
_DIST_NAMES = tuple(_UNCERTAIN_MODELS)


def check_uncertain(data: dict, sources: list[Source]) -> tuple[dict, dict, list[InputError], set]:
    """Distribution tables of real-valued parameters: checked, and replaced by their means.

    Returns the nominal data (means in place of distributions), ``{location: distribution}``,
    the problems found and the locations of the distribution tables that have them.
    """
    nominal = copy.deepcopy(data)
    found: dict[tuple, Any] = {}
    problems: list[InputError] = []
    failed = set()
    for location, bounds in PARAMETERS.items():
        value = value_at(nominal, location)
        if not isinstance(value, dict):
            continue
        failed.add(location)
        try:
            dist = _UNCERTAIN.validate_python(value)
        except ValidationError as error:
            for inner, message in _distribution_problems(value, error):
                problems.append(locate(sources, (*location, *inner), message))
            continue
        low, high = dist.support
        if not bounds.holds_over(low, high, dist.open_support):
            problems.append(
                locate(
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
        put(nominal, location, dist.mean)
    return nominal, found, problems, failed


def _distribution_problems(value: dict, error: ValidationError) -> list[tuple[tuple, str]]:
    """``(location within the table, message)`` for each problem of one distribution table.

    Pydantic's words for a tagged union name its tags; a planner wrote ``dist = "..."``, so the
    messages say which distributions there are and which keys the chosen one takes.
    """
    found = []
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
        found.append((inner, message))
    return found


def _fixed_for_the_run(location: tuple) -> str:
    """Why a parameter cannot change in time (the model reads it once), or ``""``."""
    if location[0] == "interventions":
        return "an intervention phases in with its own start_month and ramp_months"
    if location[0] == "dynamics" and location[1] != "extra_gp_funding_GBP_per_head_per_year":
        return "the stocks read this once, at the start (only extra funding can change in time)"
    if location == ("costs", "trim_point_days"):
        return "the trust reads this once, at the start"
    return ""


def check_changes(nominal: dict, spec: ScenarioSpec | None, sources) -> list[InputError]:
    """Each change names a real-valued parameter, stays within its bounds and overlaps none.

    Checked even when other keys are wrong (each change on its own); the months of the ramps are
    checked against the rules across parameters only when everything else is right.
    """
    given = nominal.get("changes") if isinstance(nominal, dict) else None
    changes = {}
    for i, item in enumerate(given if isinstance(given, list) else []):
        with contextlib.suppress(ValidationError):  # if not, the scenario's schema says why
            changes[i] = strictly(ChangeSpec, item)
    problems = []
    valid: list[tuple[int, ChangeSpec]] = []
    for i, change in changes.items():
        problem = _change_problem(nominal, change, valid)
        if problem:
            where, message = problem
            problems.append(locate(sources, ("changes", i, where), message))
        else:
            valid.append((i, change))
    if problems or spec is None or not spec.changes:
        return problems
    return _check_months(spec, changes, sources)


def _change_problem(
    nominal: dict, change: ChangeSpec, valid: list[tuple[int, ChangeSpec]]
) -> tuple[str, str] | None:
    """What is wrong with one change, as ``(its key at fault, message)``, or ``None``.

    ``valid`` holds the changes before it that had nothing wrong: the ones it may overlap.
    """
    location = tuple(change.key.split("."))
    if location not in PARAMETERS:
        if value_at(nominal, location) is not ABSENT:
            return "key", "only a real-valued parameter can change in time"
        message = "no such parameter"
        names = [key_name(loc) for loc in PARAMETERS]
        close = difflib.get_close_matches(change.key, names, n=1)
        if close:
            message += f"; did you mean {close[0]!r}?"
        return "key", message
    fixed = _fixed_for_the_run(location)
    if fixed:
        return "key", fixed
    bounds = PARAMETERS[location]
    if not bounds.holds(change.to):
        return "to", f"{change.key} must be {bounds.words()} (got {change.to!r})"
    for j, other in valid:
        if other.key == change.key and not (
            change.start_month > other.end_month or other.start_month > change.end_month
        ):
            message = f"overlaps change {j + 1} of {change.key} (months "
            message += f"{other.start_month}-{other.end_month})"
            return "start_month", message
    return None


def _check_months(spec: ScenarioSpec, changes: dict[int, ChangeSpec], sources) -> list[InputError]:
    """The rules across parameters in the months of the ramps (the first month that breaks one).

    Every changed value is linear in the month between the changes' start and end months, and
    the rules across parameters are linear (sums, orderings), so a rule that holds at those
    corners holds between them: checking the corners is exact and costs nothing however long the
    ramps are. The problem is placed at the change that started last by then: the one that tipped
    it over.
    """
    corners = {0} | {m for c in spec.changes for m in (c.start_month, c.end_month)}
    for month in sorted(corners):
        try:
            with_values(spec, phased(spec, month))
        except ValidationError as error:
            location, message = explain(error.errors()[0], ScenarioSpec)
            message = f"in month {month} the changes break a rule: {key_name(location)}: {message}"
            latest = max(
                (i for i, c in changes.items() if c.start_month <= month),
                key=lambda i: changes[i].start_month,
            )
            return [locate(sources, ("changes", latest, "to"), message)]
    return []


_RARE = 1e-6
"""Quantile taken as the end of a distribution without ends when checking rules across parameters
(a draw beyond it, once in a million replications, stops the run with a one-line error)."""


def check_corners(spec: ScenarioSpec, uncertain: dict, sources) -> list[InputError]:
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
            return [locate(sources, location, message)]
    return []


_SUGGESTED = re.compile(r"did you mean '([^']+)'\?$")


def without_misspelt_missing(problems: list[InputError]) -> list[InputError]:
    """Drop "missing key" for a key that an unknown key beside it is a misspelling of.

    One slip of the keyboard would otherwise be two problems, the second one misleading.
    """
    suggested = set()
    for problem in problems:
        match = _SUGGESTED.search(problem.message)
        if match and problem.key:
            suggested.add(problem.key.rpartition(".")[0] + "." + match.group(1))
    return [p for p in problems if not (p.message == "missing key" and p.key in suggested)]
