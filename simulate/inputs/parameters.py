"""The real-valued parameters of a scenario: where they are, their bounds, and new values for them.

Any key of a scenario whose type is a real number (not a duration, not a list, not a switch) is a
*parameter*: it may be uncertain (drawn once per replication) and it may change in time. They are
found by walking the schema (:data:`PARAMETERS`), so a key added to a spec is a parameter with no
list to update, and each carries the bounds its type puts on it (:class:`Bounds`), which both the
checks and the error messages read. A parameter is addressed by its location, a tuple of keys
such as ``("hub", "minutes_per_1000_per_week")``; :func:`with_values` gives a spec with some
parameters replaced and validated again, which is how a replication gets its draws
(:meth:`simulate.inputs.scenario.Scenario.sampled`) and a month its changed values
(:func:`phased`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pydantic import BaseModel

from simulate.inputs.schema import ChangeSpec, ScenarioSpec


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


def put(data: dict, location: tuple, value) -> None:
    """Set the value at ``location`` in nested tables (every table on the way exists)."""
    for part in location[:-1]:
        data = data[part]
    data[location[-1]] = value


def with_values(spec: ScenarioSpec, values: dict[tuple, float]) -> ScenarioSpec:
    """``spec`` with some real-valued parameters replaced (validated again)."""
    data = spec.model_dump(by_alias=True)
    for location, value in values.items():
        put(data, location, value)
    return ScenarioSpec.model_validate(data)


def key_name(location: tuple) -> str:
    """A parameter's key as a planner writes it (``hub.minutes_per_1000_per_week``).

    Also names the parameter's random stream (``param.<key>``), so it must not change.
    """
    return ".".join(map(str, location))


def phased(spec: ScenarioSpec, month: int) -> dict[tuple, float]:
    """Values of the changed parameters in ``month``, each change starting where the last ended."""
    values: dict[tuple, float] = {}
    for change in sorted(spec.changes, key=lambda c: c.start_month):
        location = tuple(change.key.split("."))
        value = values[location] if location in values else _value(spec, location)
        values[location] = value + (change.to - value) * change.fraction(month)
    return values


def _value(spec: BaseModel, location: tuple) -> float:
    """The value of the parameter at ``location`` in ``spec``."""
    for part in location:
        spec = getattr(spec, part)
    return float(spec)
