"""The scenario form, generated from the scenario schema: one field per key, with its facts.

Nothing here lists keys by hand. :func:`form` walks :class:`~simulate.inputs.schema.ScenarioSpec`
(and the lever specs it holds), so a key added to the schema is a field on the page with no edit
here. Each :class:`Field` carries what a planner needs beside the box: the unit (from the key's
name, as error messages give it), the allowed range (from the key's type, as validation checks
it), the source (the comment above the key in the shipped file that sets it) and, per table, the
evidence card's title. A field's value is shown and read as TOML, exactly as ``--set`` reads it,
so a number, a list by age band or a distribution table are all one text box.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import types
import typing
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, TypeAdapter

from simulate.inputs.parameters import PARAMETERS
from simulate.inputs.schema import ChangeSpec, ScenarioSpec
from simulate.inputs.toml import line_of, tomllib, unit_of

CARDS = {
    "hub": "extended-access",
    "interventions.symphony": "symphony",
    "interventions.mcp": "mcp",
    "interventions.at_scale": "gp-at-scale",
    "interventions.extended_access": "extended-access",
    "interventions.referral_management": "referral-pathway",
    "interventions.care_homes": "care-homes",
    "interventions.incentive_scheme": "incentive-scheme",
    "interventions.primary_care_home": "primary-care-home",
    "interventions.variation": "variation",
    "dynamics": "funding-per-head",
    "interventions": "population-vs-place",
}
"""The evidence card (``docs/interventions/<card>.md``) that speaks for each table's levers."""


@dataclass(frozen=True)
class Field:
    """One key of a scenario as a form field."""

    location: tuple[str, ...]
    widget: str
    """``bool`` (a tick box), ``choice`` (a list) or ``text`` (a TOML value)."""
    choices: tuple[str, ...] = ()
    unit: str = ""
    allowed: str = ""
    optional: bool = False
    """The key may be left out (empty box): the schema's default is used."""
    default: object = None
    """The schema's default, shown where a scenario leaves the key out (None: no default)."""

    @property
    def key(self) -> str:
        """The key as a scenario file and ``--set`` write it: ``hub.minutes_per_1000_per_week``."""
        return ".".join(self.location)

    @property
    def id(self) -> str:
        """An HTML-safe input id."""
        return "f_" + "__".join(self.location)

    @property
    def section(self) -> str:
        """The table the key belongs to (``scenario`` for the top-level keys)."""
        return ".".join(self.location[:-1]) or "scenario"


@dataclass(frozen=True)
class Section:
    """A table of the scenario; ``lever`` when it is an optional table that switches a lever on."""

    name: str
    lever: bool
    fields: tuple[Field, ...]


def _optional_model(annotation) -> type[BaseModel] | None:
    """The spec of ``X | None`` when X is a spec: an optional table, i.e. a lever."""
    if typing.get_origin(annotation) not in (typing.Union, types.UnionType):
        return None
    models = [a for a in typing.get_args(annotation) if isinstance(a, type) and a is not type(None)]
    models = [m for m in models if issubclass(m, BaseModel)]
    return models[0] if len(models) == 1 and type(None) in typing.get_args(annotation) else None


def _choices(annotation) -> tuple[str, ...]:
    """The values of a ``Literal``, else none."""
    if typing.get_origin(annotation) is typing.Literal:
        return tuple(str(a) for a in typing.get_args(annotation))
    return ()


def _default(info):
    if info.is_required():
        return None
    default = info.get_default(call_default_factory=True)
    return default.model_dump() if isinstance(default, BaseModel) else default


def _field(location: tuple, info) -> Field:
    annotation, default = info.annotation, _default(info)
    unit = unit_of(location) or ""
    optional = not info.is_required() and default is None
    if annotation is bool:
        return Field(location, "bool", unit=unit, allowed="true or false", default=default)
    if choices := _choices(annotation):
        words = "one of " + ", ".join(choices)
        return Field(location, "choice", choices, unit, words, default=default)
    words = allowed(location, info)
    return Field(location, "text", unit=unit, allowed=words, optional=optional, default=default)


def _sections(model: type[BaseModel], prefix: tuple = ()) -> list[Section]:
    """Every table of ``model`` as a section, its own keys first, then its sub-tables."""
    own: list[Field] = []
    subs: list[Section] = []
    for name, info in model.model_fields.items():
        location, annotation = (*prefix, info.alias or name), info.annotation
        lever = _optional_model(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            subs += _sections(annotation, location)
        elif lever is not None and lever is not ChangeSpec:
            inner = _sections(lever, location)
            subs += [Section(inner[0].name, True, inner[0].fields), *inner[1:]]
        else:
            own.append(_field(location, info))
    return [Section(".".join(prefix) or "scenario", False, tuple(own)), *subs]


@lru_cache(maxsize=1)
def form() -> tuple[Section, ...]:
    """The whole scenario form, in the schema's order (cached: the schema does not change)."""
    return tuple(s for s in _sections(ScenarioSpec) if s.fields)


def allowed(location: tuple, info) -> str:
    """The values a key accepts, in words, read from its type."""
    if location in PARAMETERS:
        return PARAMETERS[location].words() + "; or a distribution table"
    try:
        kind = info.annotation
        if info.metadata:
            kind = typing.Annotated[(kind, *info.metadata)]
        schema = TypeAdapter(kind).json_schema()
    except Exception:  # noqa: BLE001 - a type with no JSON schema: say nothing rather than fail
        return ""
    return _words(schema)


def _words(schema: dict) -> str:
    """A JSON schema's constraints as a planner reads them."""
    if "anyOf" in schema:
        return " or ".join(w for w in map(_words, schema["anyOf"]) if w)
    if "$ref" in schema or schema.get("type") == "object":
        return "a distribution table ({dist = ...})"
    kind = schema.get("type", "")
    limits = [
        f"{word} {schema[k]:g}"
        for k, word in (("minimum", "at least"), ("maximum", "at most"), ("exclusiveMinimum", ">"))
        if k in schema
    ]
    if kind == "array":
        n = schema.get("minItems")
        size = f"{n} values" if n is not None and n == schema.get("maxItems") else "a list"
        each = _words(schema.get("items", {}))
        return f"{size}, each {each}" if each else size
    if "enum" in schema:
        return "one of " + ", ".join(map(str, schema["enum"]))
    if "pattern" in schema:
        return "letters, digits, . _ -"
    return {"integer": "a whole number", "number": "a number", "string": "text"}.get(kind, kind) + (
        " " + " and ".join(limits) if limits else ""
    )


def literal(value) -> str:
    """``value`` written as a TOML value (inline tables for tables), as a form box shows it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    return str(value)


def parse(text: str):
    """A form box's text as a value, read as ``--set`` reads one (a bare word is text)."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text.strip()


def source(texts: list[str], location: tuple) -> str:
    """The comment that documents ``location`` in the first of ``texts`` (TOML files) setting it.

    Shipped files say where each value comes from in the comment lines just above the key and
    beside it; those lines are the key's source.
    """
    leaf = re.compile(rf"^\s*{re.escape(location[-1])}\s*=")
    for text in texts:
        number = line_of(text, location)
        lines = text.splitlines()
        if number is None or not leaf.match(lines[number - 1]):
            continue
        above = []
        for line in reversed(lines[: number - 1]):
            if not line.lstrip().startswith("#"):
                break
            above.insert(0, line.strip().lstrip("#").strip())
        beside = lines[number - 1].partition("#")[2].strip() if "#" in lines[number - 1] else ""
        return " ".join([*above, beside]).strip()
    return ""


def card_title(section: str, docs: Path) -> str:
    """The evidence card's one-line summary (its title) for a table's levers, if there is one."""
    card = CARDS.get(section)
    path = docs / "interventions" / f"{card}.md" if card else None
    if path is None or not path.is_file():
        return ""
    first = path.read_text(encoding="utf-8").splitlines()[:1]
    return first[0].lstrip("# ").strip() if first else ""
