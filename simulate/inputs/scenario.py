"""Scenarios: what a planner asks, as a TOML file checked before anything runs.

A scenario names a place and gives every model parameter, each with its unit in the key's name and
its source in a comment in the shipped files. ``extends = "baseline.toml"`` inherits another file
and overrides some of its keys (tables merge key by key; ``name`` and ``description`` are never
inherited). ``--set key=value`` overrides any key from the command line. The resolved scenario is
written back as TOML text, hashed, and stored in every cube, so a run can be rebuilt from its cube.

Any real-valued parameter may be *uncertain*: written as a distribution table instead of a number
(:data:`simulate.inputs.uncertain.Uncertain`), it is drawn once per replication from its own
stream ``param.<key>`` (:meth:`Scenario.sampled`). Any real-valued parameter may also *change in
time*: a ``[[changes]]`` table moves it linearly from its value to ``to`` over ``ramp_months``
reported months starting at ``start_month`` (:meth:`Scenario.spec_for_month`). Loading collects
every problem of a file, each located at its line, before giving up
(:class:`~simulate.errors.InputErrors`).

This module reads the files, resolves ``extends`` and ``--set`` and gives the :class:`Scenario` a
run uses. What each key may hold is :mod:`simulate.inputs.schema`; which keys are real-valued
parameters, :mod:`simulate.inputs.parameters`; the checks beyond one key (distributions, changes,
corners), :mod:`simulate.inputs.checks`.
"""

from __future__ import annotations

import copy
import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import ValidationError

from simulate.errors import InputError, InputErrors
from simulate.inputs.checks import (
    check_changes,
    check_corners,
    check_uncertain,
    without_misspelt_missing,
)
from simulate.inputs.demography import check_demography_files
from simulate.inputs.parameters import key_name, phased, with_values
from simulate.inputs.schema import ScenarioSpec
from simulate.inputs.strict import strictly
from simulate.inputs.toml import Source, explain, locate, read_toml, tomllib


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
            loc: dist.draw(streams[f"param.{key_name(loc)}"]) if dist.random else dist.mean
            for loc, dist in self.uncertain
        }
        try:
            spec = with_values(self.spec, values)
        except ValidationError as error:
            location, message = explain(error.errors()[0], ScenarioSpec)
            raise InputError(
                f"replication {streams.replication}: the sampled values break a rule: {message}",
                file=self.name,
                key=key_name(location) or None,
            ) from None
        drawn = tuple((key_name(loc), float(v)) for loc, v in values.items())
        return replace(self, spec=spec, uncertain=(), sampled_values=drawn, _months={})

    def spec_for_month(self, month: int) -> ScenarioSpec:
        """The parameters in force in reported ``month`` (0 = first; negative = warm-up).

        The same object is returned for months with the same values, and :attr:`spec` itself
        before any change starts, so a caller can tell a change by identity.
        """
        changes = self.spec.changes
        if not changes or month < min(c.start_month for c in changes):
            return self.spec
        values = phased(self.spec, month)
        key = tuple(sorted(values.items()))
        spec = self._months.get(key)
        if spec is None:
            spec = self._months[key] = with_values(self.spec, values)
        return spec


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


def _resolve(path: Path, chain: tuple[Path, ...] = ()) -> tuple[dict, list[Source]]:
    """The merged table of ``path`` and its ``extends`` ancestors, and their sources (own first)."""
    data, text = read_toml(path)
    source = Source(path, copy.deepcopy(data), text)
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
    """The resolved scenario as TOML text: what a cube stores and :attr:`Scenario.sha256` hashes."""
    return tomli_w.dumps(data)


def _build(data: dict, sources: list[Source], default_name: str, folder: Path) -> Scenario:
    """A scenario from resolved data, or every problem found in it at once."""
    if not isinstance(data, dict):  # pragma: no cover - TOML always gives a table
        raise InputError("not a table", file=sources[0].path)
    nominal, uncertain, problems, failed = check_uncertain(data, sources)
    spec = None
    try:
        spec = strictly(ScenarioSpec, nominal)
    except ValidationError as error:
        for problem in error.errors():
            location, message = explain(problem, ScenarioSpec)
            if any(location[: len(loc)] == loc for loc in failed):
                continue  # reported already, in the distribution's own words
            problems.append(locate(sources, location, message))
    problems += check_changes(nominal, spec, sources)
    if spec is not None and not problems and uncertain:
        problems += check_corners(spec, uncertain, sources)
    if spec is not None and not problems:
        problems += check_demography_files(spec.dynamics, folder)
    if problems:
        problems = without_misspelt_missing(problems)
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
        sources = [Source("--set", given, ""), *sources]
    # the file's stem names the scenario: made to fit the name pattern ("my scenario.toml" is
    # "my-scenario"), so that the cube's own provenance passes validation when reproduced
    name = re.sub(r"[^A-Za-z0-9_.\-]+", "-", path.stem).strip("-") or "scenario"
    return _build(data, sources, name, path.resolve().parent)


def scenario_from_toml(text: str, folder: Path) -> Scenario:
    """A scenario rebuilt from the resolved TOML text a cube stores."""
    data = tomllib.loads(text)
    return _build(data, [Source("cube", data, text)], data.get("name", "scenario"), folder)
