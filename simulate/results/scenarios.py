"""What each scenario of a cube is: its description, how it differs from the baseline, its card.

Read from the resolved scenario texts the cube stores (``scenario_toml``) and the command that made
it, never from the shipped files: a scenario is what ran. A difference is a key whose resolved
value differs from the baseline's, or a ``[[changes]]`` entry (a value that moves during the run,
e.g. new money from month 0 to month 36), or an intervention. ``--set`` options apply to every
scenario, so they are listed once, from the command.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass

import xarray as xr

from simulate.inputs.toml import tomllib

_SKIP = ("name", "description", "changes")


@dataclass(frozen=True)
class ScenarioCard:
    """One scenario as the report and the workbook describe it."""

    name: str
    description: str
    differences: tuple[tuple[str, str, str], ...]  # (key, baseline value, this scenario's value)
    changes: tuple[str, ...]  # each [[changes]] entry in words
    evidence_card: str  # docs/interventions/<name>.md, or "" when the scenario has none


def flatten(data: dict, prefix: str = "") -> dict[str, object]:
    """Nested tables as dotted keys (a distribution table, with ``dist``, stays one value)."""
    out: dict[str, object] = {}
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict) and "dist" not in value:
            out.update(flatten(value, dotted + "."))
        else:
            out[dotted] = value
    return out


def shown(value) -> str:
    """A value as the report prints it: numbers plainly, lists and tables compactly."""
    if isinstance(value, dict):
        return ", ".join(f"{k} {shown(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "[" + ", ".join(shown(v) for v in value) + "]"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def change_words(change: dict) -> str:
    """A ``[[changes]]`` entry in words: what moves, to what, from when, over how long."""
    ramp = change.get("ramp_months", 0)
    over = f" over {ramp} months" if ramp else " at once"
    return (
        f"{change.get('key', '?')} to {shown(change.get('to'))} from reported month "
        f"{change.get('start_month', 0)}{over}"
    )


def evidence_card(name: str, data: dict) -> str:
    """The intervention card a scenario cites: by its name, else by its first intervention."""
    from simulate.shipped import shipped_dir

    cards = shipped_dir().parent / "docs" / "interventions"
    for candidate in (name, *data.get("interventions", {})):
        for stem in (candidate, candidate.replace("_", "-")):
            if (cards / f"{stem}.md").is_file():
                return f"docs/interventions/{stem}.md"
    return ""


def scenario_cards(cube: xr.Dataset, baseline: str | None = None) -> list[ScenarioCard]:
    """Every scenario of the cube, in its order, described against the baseline."""
    texts = json.loads(cube.attrs["scenario_toml"])
    data = {name: tomllib.loads(text) for name, text in texts.items()}
    baseline = baseline or next(iter(texts))
    base = flatten(data[baseline])
    cards = []
    for name, parsed in data.items():
        flat = flatten(parsed)
        differences = tuple(
            (key, shown(base.get(key, "-")), shown(flat.get(key, "-")))
            for key in dict.fromkeys([*base, *flat])
            if not key.startswith(_SKIP) and base.get(key) != flat.get(key) and key != "place"
        )
        changes = tuple(change_words(c) for c in parsed.get("changes", []))
        cards.append(
            ScenarioCard(
                name,
                str(parsed.get("description", "")),
                differences if name != baseline else (),
                changes,
                evidence_card(name, parsed),
            )
        )
    return cards


def command_overrides(cube: xr.Dataset) -> list[str]:
    """The ``--set`` and ``--place`` options of the command that made the cube (all scenarios)."""
    try:
        words = shlex.split(str(cube.attrs.get("command", "")))
    except ValueError:
        return []
    found = []
    for i, word in enumerate(words[:-1]):
        if word in ("--set", "--place", "--mode"):
            found.append(f"{word} {words[i + 1]}")
    found += [w for w in words if w.startswith(("--set=", "--place=", "--mode="))]
    return found


def value_in_force(card_text: str, key: str) -> str:
    """A key's value in a scenario text, with the changes that move it during the run."""
    parsed = tomllib.loads(card_text)
    value = shown(flatten(parsed).get(key, "-"))
    moves = [change_words(c) for c in parsed.get("changes", []) if c.get("key") == key]
    return value + "".join(f"; then {m.split(' to ', 1)[1]}" for m in moves)
