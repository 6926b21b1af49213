"""Catchments: which acute trust a practice's patients reach, by service line, and their checks.

A place with several acute trusts says, for each locality (and, where a practice differs from its
locality, for that practice), the share of its patients each trust sees, for each service line:
``emergency`` (A&E and the emergency admissions that follow) and ``outpatients``. District general
hospital and specialist catchments can therefore differ. A share table is resolved practice by
practice (:func:`catchment_shares`): the practice's own table for the line, else its locality's,
else (for outpatients) the emergency shares; a place with one trust needs no tables at all.

The checks (:func:`check_organisations`) are what the schema cannot see key by key, each one line
naming the file, the line and the key: a table naming a trust the place does not list, shares
that do not sum to 1, a practice no table reaches, and a practice listed in two places.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simulate.errors import InputError
from simulate.inputs.toml import dotted, line_of

if TYPE_CHECKING:
    from pathlib import Path

    from simulate.inputs.place import PlaceSpec

SERVICE_LINES = ("emergency", "outpatients")
"""Service lines a catchment is given for (:data:`simulate.inputs.place.ServiceLine`)."""
TOLERANCE = 1e-6
"""How far from 1 a table's shares may sum (rounding in a file written to six places)."""


def _table(spec: PlaceSpec, practice: int, line: str) -> dict[str, float] | None:
    """The share table that decides ``practice``'s trust for ``line``, or None if none does."""
    p = spec.practices[practice]
    locality = next(loc for loc in spec.localities if loc.code == p.locality)
    for owner in (p, locality):
        if line in owner.catchment:
            return owner.catchment[line]
    if line != "emergency":
        return _table(spec, practice, "emergency")
    return None


def catchment_shares(spec: PlaceSpec, line: str) -> np.ndarray:
    """Share of each practice's patients that each trust sees for ``line``: [practice, trust].

    Rows sum to 1 (a checked place); a place with one trust gives a column of ones.
    """
    trusts = [t.key for t in spec.acute_trusts]
    shares = np.zeros((len(spec.practices), len(trusts)))
    for i in range(len(spec.practices)):
        table = _table(spec, i, line)
        if table is None:
            shares[i, 0] = 1.0  # one trust (a checked place with several gives every table)
            continue
        for code, share in table.items():
            shares[i, trusts.index(code)] = share
        shares[i] /= shares[i].sum()
    return shares


def check_organisations(spec: PlaceSpec, path: Path, text: str) -> list[InputError]:
    """Every problem of the place's trusts, catchments and places, one located line each."""

    def problem(location: tuple, message: str) -> InputError:
        return InputError(message, file=path, line=line_of(text, location), key=dotted(location))

    problems = []
    trusts = [t.key for t in spec.acute_trusts]
    for i, code in enumerate(trusts):
        if code in trusts[:i]:
            problems.append(problem(("trusts", i, "code"), f"trust {code!r} is listed twice"))
    for kind, owners in (("localities", spec.localities), ("practices", spec.practices)):
        for i, owner in enumerate(owners):
            for line, table in owner.catchment.items():
                at = (kind, i, "catchment", line)
                problems += _check_table(table, trusts, at, problem)
    if len(trusts) > 1:
        for i, p in enumerate(spec.practices):
            if _table(spec, i, "emergency") is None:
                at = ("localities", [loc.code for loc in spec.localities].index(p.locality))
                problems.append(
                    problem(
                        (*at, "catchment", "emergency"),
                        f"missing key: the place has {len(trusts)} acute trusts, and practice "
                        f"{p.code} has no emergency catchment of its own",
                    )
                )
                break
    return problems + _check_places(spec, problem)


def _check_table(table: dict[str, float], trusts: list[str], at: tuple, problem) -> list:
    """A share table names only the place's trusts and its shares sum to 1."""
    found = [
        problem((*at, code), f"names provider {code!r}, not one of the trusts {', '.join(trusts)}")
        for code in table
        if code not in trusts
    ]
    total = sum(table.values())
    if abs(total - 1) > TOLERANCE:
        found.append(problem(at, f"shares sum to {total:g}, not 1"))
    return found


def _check_places(spec: PlaceSpec, problem) -> list[InputError]:
    """Each practice a place lists exists and is in no other place; every practice has a place."""
    found, seen = [], {}
    codes = {p.code for p in spec.practices}
    for i, place in enumerate(spec.places):
        for code in place.practices:
            at = ("places", i, "practices")
            if code not in codes:
                found.append(problem(at, f"names practice {code!r}, not listed in [[practices]]"))
            elif code in seen:
                found.append(
                    problem(at, f"practice {code} is in two places: {seen[code]} and {place.code}")
                )
            seen.setdefault(code, place.code)
    if spec.places and len(seen) < len(codes):
        i = next(i for i, p in enumerate(spec.practices) if p.code not in seen)
        found.append(
            problem(("practices", i, "code"), f"practice {spec.practices[i].code} is in no place")
        )
    return found
