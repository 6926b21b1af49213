"""Reading the user's TOML files with errors a planner can act on.

Every problem becomes one :class:`~simulate.errors.InputError` line naming the file, the line, the
key and what is wrong. Loading never executes anything from a file: TOML is data only.
"""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from simulate.errors import InputError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-\.\"' ]+?)\s*=")
_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")


def read_toml(path: Path) -> tuple[dict[str, Any], str]:
    """The parsed table and the raw text of ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such file", file=path) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a TOML file", file=path) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read: {error}", file=path) from None
    try:
        return tomllib.loads(text), text
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


def validate(model: type[BaseModel], data: dict, path: Path, text: str) -> BaseModel:
    """``model`` built from ``data``; the first problem raised as a one-line InputError."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise as_input_error(error, path, text, model) from None


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


def as_input_error(
    error: ValidationError, path: Path, text: str, model: type[BaseModel] | None = None
) -> InputError:
    """The first problem of a pydantic error, located in the file."""
    first = error.errors()[0]
    # drop pydantic's union tags (e.g. 'lognormal') that are not keys in the file
    location = tuple(
        p for p in first["loc"] if not (isinstance(p, str) and p.startswith("function"))
    )
    message = first["msg"]
    if first["type"] == "extra_forbidden":
        message = "unknown key"
        known = _known_keys(model, location[:-1]) if model else []
        close = difflib.get_close_matches(str(location[-1]), known, n=1)
        if close:
            message += f"; did you mean {close[0]!r}?"
    elif first["type"] == "missing":
        message = "missing key"
    elif first["type"] == "value_error":  # our own checks: the message says it all
        message = message.removeprefix("Value error, ")
    elif "input" in first and first["type"] not in ("model_type", "dict_type"):
        message = f"{message} (got {first['input']!r})"
    return InputError(message, file=path, line=line_of(text, location), key=dotted(location))
