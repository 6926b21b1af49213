"""A scenario edited in the form: its data, its file, its problems and its difference from baseline.

A scenario starts as the resolved table of a shipped file (the baseline or an intervention, with
``extends`` merged in, exactly as ``icsim run`` reads it). The form's boxes are read as ``--set``
reads values (:func:`simulate.app.fields.parse`) and laid over it; a lever switched off is removed.
The result is written as a self-contained TOML file, and that file is checked by the very function
``icsim validate`` calls (:func:`simulate.cli.validate.check_file`), so the page shows the same
lines the command prints, and the file saved is the file run: ``icsim run`` on it gives the cube
the app made.
"""

from __future__ import annotations

import copy
from pathlib import Path

import tomli_w

from simulate.app.fields import Field, Section, literal, parse
from simulate.errors import InputError
from simulate.inputs.scenario import load_scenario
from simulate.inputs.toml import tomllib

NOT_COMPARED = ("name", "description")
"""Keys that name a scenario rather than describe it: left out of the difference from baseline."""

HEADER = (
    "# Made with the icsim app from {start}: every key resolved, so the file runs on its own.\n"
    "# Sources of the values are the comments of the shipped files (scenarios/baseline.toml).\n"
)


def start_data(path: Path) -> dict:
    """The resolved table of a scenario file (``extends`` merged), without its name."""
    data = tomllib.loads(load_scenario(path).toml)
    data.pop("name", None)
    return data


def value_of(data: dict, location: tuple):
    """The value at ``location``, or None where the table or key is absent."""
    for part in location:
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def shown(data: dict, field: Field) -> str:
    """What ``field``'s box shows for ``data`` (the schema's default where the key is absent)."""
    value = value_of(data, field.location)
    value = field.default if value is None else value
    if value is None:
        return ""
    if field.widget == "choice":
        return str(value)
    return literal(value)


def edited(base: dict, sections: tuple[Section, ...], boxes: dict, levers: set[str]) -> dict:
    """``base`` with every box that differs from it laid over it; levers not in ``levers`` off.

    ``boxes`` maps a field's key to its box: text (TOML), a choice or a bool. A box equal to what
    ``base`` shows (or empty, for a key ``base`` lacks) changes nothing, so an untouched form
    gives back ``base`` itself and an untouched lever its schema's defaults.
    """
    data = copy.deepcopy(base)
    for section in sections:
        if section.lever and section.name not in levers:
            _remove(data, tuple(section.name.split(".")))
            continue
        if section.lever:
            _table(data, tuple(section.name.split(".")))
        for field in section.fields:
            if field.key not in boxes:
                continue
            box = boxes[field.key]
            text = literal(bool(box)) if field.widget == "bool" else str(box).strip()
            if text == shown(base, field):
                continue
            if not text and field.optional:
                _remove(data, field.location)
                continue
            _table(data, field.location[:-1])[field.location[-1]] = parse(text) if text else text
    return data


def _table(data: dict, location: tuple) -> dict:
    for part in location:
        data = data.setdefault(part, {})
    return data


def _remove(data: dict, location: tuple) -> None:
    parent = value_of(data, location[:-1]) if location[:-1] else data
    if isinstance(parent, dict):
        parent.pop(location[-1], None)


def to_toml(data: dict, name: str, start: str) -> str:
    """The scenario file: a header saying how it was made, then every key."""
    named = {"name": name, **{k: v for k, v in data.items() if k != "name"}}
    return HEADER.format(start=start) + tomli_w.dumps(named)


def check(text: str, name: str, folder: Path) -> tuple[Path, list[str], list[str]]:
    """Write ``folder/<name>.toml`` and check it as ``icsim validate`` does.

    The path, the problems (one line each, naming the file by its name only, as it will be
    saved) and the warnings (an overloaded place).
    """
    from simulate.cli.validate import check_file

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    try:
        warnings = check_file(path)
    except InputError as error:
        return path, [_short(str(p), folder) for p in error.problems], []
    return path, [], warnings


def _short(line: str, folder: Path) -> str:
    return line.replace(f"{folder}/", "").replace(str(folder), ".")


def _flat(data, prefix: str = "") -> dict[str, object]:
    if isinstance(data, dict) and "dist" not in data:
        found: dict[str, object] = {}
        for key, value in data.items():
            found.update(_flat(value, f"{prefix}.{key}" if prefix else key))
        return found
    return {prefix: data}


def differences(baseline: dict, data: dict) -> list[tuple[str, str, str]]:
    """``(key, baseline, scenario)`` for every key whose value differs, in the scenario's order."""
    was, now = _flat(baseline), _flat(data)
    keys = [k for k in now if k not in NOT_COMPARED] + [k for k in was if k not in now]
    return [
        (k, "(absent)" if k not in was else literal(was[k]), literal(now[k]) if k in now else "-")
        for k in keys
        if k not in NOT_COMPARED and was.get(k, ...) != now.get(k, ...)
    ]
