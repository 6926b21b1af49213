"""Reading the user's TOML files with errors a planner can act on.

Every problem becomes one :class:`~simulate.errors.InputError` line naming the file, the line, the
key and what is wrong. Loading never executes anything from a file: TOML is data only. A scenario
is merged from several sources (its file, the files it ``extends``, the ``--set`` options), so a
problem is placed in the source that set the key (:func:`locate`).
"""

from __future__ import annotations

import difflib
import re
import reprlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from simulate.errors import InputError, InputErrors
from simulate.inputs.files import TOML_LIMIT, read_text
from simulate.inputs.strict import strictly

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-\.\"' ]+?)\s*=")
_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")


def read_toml(path: Path) -> tuple[dict[str, Any], str]:
    """The parsed table and the raw text of ``path``."""
    text = read_text(path, TOML_LIMIT, "TOML file")
    try:
        return tomllib.loads(text), text
    except RecursionError:
        raise InputError("invalid TOML: nested too deeply", file=path) from None
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = _TOML_LINE.search(message)
        line = int(match.group(1)) if match else None
        message = _TOML_LINE.sub("", message).strip()
        raise InputError(f"invalid TOML: {message}", file=path, line=line) from None


def _key_lines(text: str) -> list[tuple[tuple, int]]:
    """``(path, line)`` for every key assignment and table header in a TOML text."""
    found: list[tuple[tuple, int]] = []
    header: tuple = ()
    counts: dict[tuple, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if match := _HEADER.match(line):
            names = tuple(part.strip().strip("\"'") for part in match.group(2).split("."))
            if match.group(1) == "[[":
                counts[names] = counts.get(names, -1) + 1
                header = (*names, counts[names])
            else:
                header = names
            found.append((header, number))
        elif match := _KEY.match(line):
            parts = tuple(p.strip().strip("\"'") for p in match.group(1).split("."))
            found.append(((*header, *parts), number))
    return found


def line_of(text: str, location: tuple) -> int | None:
    """Line of the key that best matches a validation error's location (longest prefix)."""
    best, best_length = None, 0
    for path, number in _key_lines(text):
        length = 0
        for want, have in zip(location, path):
            if want != have:
                break
            length += 1
        if length == len(path) and length > best_length:
            best, best_length = number, length
    return best


def dotted(location: tuple) -> str:
    """``('practices', 2, 'list_size')`` as ``practices[2].list_size``."""
    out = ""
    for part in location:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass(frozen=True)
class Source:
    """One file (or the ``--set`` options) that contributed keys, for locating problems."""

    path: Path | str
    data: dict
    text: str


ABSENT = object()
"""What :func:`value_at` gives for a location the data does not have (``None`` could be a value)."""


def value_at(data, location: tuple):
    """The value at ``location`` in nested tables and arrays, or :data:`ABSENT`."""
    for part in location:
        in_table = isinstance(data, dict) and isinstance(part, str) and part in data
        in_array = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if in_table or in_array:
            data = data[part]
        else:
            return ABSENT
    return data


def locate(sources: list[Source], location: tuple, message: str) -> InputError:
    """A problem at ``location``, placed in the source that set the longest part of it.

    On a tie the earlier source wins: sources come as ``--set``, then the file, then the files it
    extends, so a problem is shown where the planner last wrote the key.
    """
    key = dotted(location) or None
    for length in range(len(location), 0, -1):
        for source in sources:
            if value_at(source.data, location[:length]) is not ABSENT:
                line = line_of(source.text, location[:length]) if source.text else None
                return InputError(message, file=source.path, line=line, key=key)
    return InputError(message, file=sources[0].path, key=key)


def validate(model: type[BaseModel], data: dict, path: Path, text: str) -> BaseModel:
    """``model`` built from ``data``; every problem raised at once, one line each."""
    try:
        return strictly(model, data)
    except ValidationError as error:
        raise as_input_errors(error, path, text, model) from None


def _known_keys(model: type[BaseModel], location: tuple) -> list[str]:
    """Keys the schema allows at ``location`` (the parent of the offending key)."""
    for part in location:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        inner = getattr(field, "annotation", None)
        inner = next((a for a in getattr(inner, "__args__", ()) if isinstance(a, type)), inner)
        if not (isinstance(inner, type) and issubclass(inner, BaseModel)):
            return []
        model = inner
    return [info.alias or name for name, info in model.model_fields.items()]


_TIME_UNITS = r"(?:minute|hour|day|working_day|week|month|year)s?"
_UNIT_WORD = re.compile(rf"(?<![a-z]){_TIME_UNITS}(?![a-z])")
_UNITS = (  # (what a key's name ends with, the unit in words), most specific first
    ("minutes_per_1000_per_week", "minutes per 1,000 registered patients per week"),
    ("_per_person_year_by_age", "events per person-year"),
    ("_per_person_year", "events per person-year"),
    ("_per_gp_fte_day", "per GP FTE per working day"),
    ("_per_week", "per week"),
    ("_working_days", "working days"),
    ("_hours", "hours"),
    ("_days", "days"),
    ("_share", "a share from 0 to 1"),
    ("_growth", "a ratio (1 = no growth)"),
    ("_per_ltc", "a proportion per long-term condition"),
    ("minutes_per_appointment", "minutes"),
)


def unit_of(location: tuple) -> str | None:
    """The unit a key's name (or its table, for ``costs``) gives, in words."""
    names = [p for p in location if isinstance(p, str)]
    if not names:
        return None
    if names[0] == "costs":
        return "GBP"
    key = names[-1]
    return next((words for end, words in _UNITS if key.endswith(end)), None)


def _unit_mismatch(key: str, known: list[str]) -> str | None:
    """The known key that differs from ``key`` only in its unit of time (e.g. days for hours)."""
    if not _UNIT_WORD.search(key):
        return None
    pattern = _UNIT_WORD.sub("<unit>", key)

    def units(name: str) -> list[str]:
        return [word.rstrip("s") for word in _UNIT_WORD.findall(name)]

    return next(
        (k for k in known if _UNIT_WORD.sub("<unit>", k) == pattern and units(k) != units(key)),
        None,
    )


_NUMBER_TYPES = ("float_parsing", "int_parsing", "float_type", "int_type", "int_from_float")


def explain(problem: dict, model: type[BaseModel] | None = None) -> tuple[tuple, str]:
    """``(location, message)`` in a planner's words for one item of a pydantic error."""
    # drop pydantic's union tags (e.g. 'function-after[...]') that are not keys in the file
    location = tuple(
        p for p in problem["loc"] if not (isinstance(p, str) and p.startswith("function"))
    )
    message = problem["msg"].removeprefix("Value error, ")
    kind = problem["type"]
    given = problem.get("input")
    if kind == "extra_forbidden":
        known = _known_keys(model, location[:-1]) if model else []
        other = _unit_mismatch(str(location[-1]), known)
        if other:
            unit = unit_of((*location[:-1], other)) or "another unit"
            return location, f"unknown key; wrong unit? this is given in {unit}, as {other!r}"
        message = "unknown key"
        close = difflib.get_close_matches(str(location[-1]), known, n=1)
        if close:
            message += f"; did you mean {close[0]!r}?"
    elif kind == "missing":
        message = "missing key"
    elif kind in _NUMBER_TYPES and isinstance(given, str):
        unit = unit_of(location)
        try:
            float(given)
            message = f"expected a number, got the text {_shown(given)}: remove the quotes"
        except ValueError:
            message = f"expected a number, got {_shown(given)}: write the number alone"
            message += f", in {unit}" if unit else ", in the unit the key's name gives"
    elif "input" in problem and not isinstance(given, dict) and kind != "model_type":
        message = f"{message} (got {_shown(given)})"
    return location, message


_SHOWN = reprlib.Repr()  # keyword arguments need Python 3.12
_SHOWN.maxstring, _SHOWN.maxother, _SHOWN.maxlist, _SHOWN.maxdict, _SHOWN.maxlevel = 60, 60, 8, 4, 2


def _shown(given) -> str:
    """A given value as the message quotes it: short, however long or deep the value is."""
    return _SHOWN.repr(given)


def as_input_errors(
    error: ValidationError, path: Path, text: str, model: type[BaseModel] | None = None
) -> InputErrors:
    """Every problem of a pydantic error, each located in the file."""
    problems = []
    for problem in error.errors():
        location, message = explain(problem, model)
        line = line_of(text, location)
        problems.append(InputError(message, file=path, line=line, key=dotted(location) or None))
    return InputErrors(problems)


def as_input_error(
    error: ValidationError, path: Path, text: str, model: type[BaseModel] | None = None
) -> InputError:
    """The first problem of a pydantic error, located in the file."""
    return as_input_errors(error, path, text, model).problems[0]
