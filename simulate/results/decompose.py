"""How much of a combined scenario's change each lever explains: a waterfall from the cube.

The cube holds the scenario with subsets of its levers on (``icsim run --decompose``, named as
:mod:`simulate.inputs.decompose` names them). For each replication and headline, ``v(T)`` is the
subset ``T``'s value less the baseline's; then

- with every subset in the cube, a lever's *Shapley value* is its added value ``v(T+i) - v(T)``
  averaged over every order the levers could be added in (weights ``|T|! (n-|T|-1)! / n!``);
- with only the nested subsets of the levers' own order, its *sequential* contribution is
  ``v(first i levers) - v(first i-1)``, which depends on that order (stated with the table).

Either way ``v(no lever)`` (the file's other changes, such as a ``[hub]`` table) plus the
levers' contributions is exactly the scenario's change, replication by replication, and a lever
whose multipliers are all 1 adds nothing to any subset (common random numbers), so it gets 0.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import numpy as np
import xarray as xr

from simulate.errors import InputError
from simulate.inputs.decompose import ORDER, SEPARATOR
from simulate.results.compare import HEADLINES, Headline, interval

HEADS = (
    *(h for h in HEADLINES if h.variable in ("ae_attendances", "emergency_admissions")),
    Headline("bed_days", "Acute bed days", "days", "total"),
    *(h for h in HEADLINES if h.variable == "cost" and h.how == "total"),
)
OTHER = "other changes (not levers)"


@dataclass(frozen=True)
class Part:
    """One bar of a waterfall: a lever's (or the other changes') share of a headline's change."""

    scenario: str
    headline: Headline
    part: str
    mean: float
    low: float
    high: float
    per_replication: tuple[float, ...]


def levers_of(cube: xr.Dataset, scenario: str) -> list[str]:
    """The levers on in ``scenario``, read from its resolved text, in their acting order."""
    import tomllib

    text = json.loads(cube.attrs["scenario_toml"])[scenario]
    on = tomllib.loads(text).get("interventions", {})
    return [name for name in ORDER if name in on]


def _subsets(cube: xr.Dataset, scenario: str) -> dict[frozenset, str]:
    """The cube's subsets of ``scenario`` by their levers (the full set is the scenario)."""
    found = {}
    for name in map(str, cube.scenario.values):
        if name.startswith(scenario + SEPARATOR):
            tail = name[len(scenario + SEPARATOR) :]
            found[frozenset() if tail == "none" else frozenset(tail.split("."))] = name
    found[frozenset(levers_of(cube, scenario))] = scenario
    return found


def contributions(values: dict[frozenset, np.ndarray], levers: list[str]) -> dict[str, np.ndarray]:
    """Each lever's contribution from ``values`` (change from baseline by lever subset).

    Shapley values when every subset is there; otherwise the sequential contributions of
    ``levers``' order, which need the nested subsets. Raises when neither is there.
    """
    n = len(levers)
    if len(values) == 2**n:
        out = {}
        for lever in levers:
            rest = [x for x in levers if x != lever]
            total = 0.0
            for k in range(n):
                weight = math.factorial(k) * math.factorial(n - k - 1) / math.factorial(n)
                for others in _combinations(rest, k):
                    total = total + weight * (values[others | {lever}] - values[others])
            out[lever] = total
        return out
    chain = [frozenset(levers[:k]) for k in range(n + 1)]
    if not all(c in values for c in chain):
        raise InputError("the cube lacks the subsets to decompose (run with --decompose)")
    return {lever: values[chain[k + 1]] - values[chain[k]] for k, lever in enumerate(levers)}


def _combinations(items: list[str], k: int):
    import itertools

    return (frozenset(c) for c in itertools.combinations(items, k))


def decompose(cube: xr.Dataset, baseline: str | None = None) -> list[Part]:
    """The waterfall of every decomposed scenario in ``cube`` (none: an empty list)."""
    names = [str(s) for s in cube.scenario.values]
    baseline = baseline or names[0]
    parts = []
    for scenario in names:
        if scenario == baseline or SEPARATOR in scenario:
            continue
        found = _subsets(cube, scenario)
        levers = levers_of(cube, scenario)
        if len(found) < 2:
            continue
        for headline in HEADS:
            per = headline.per_replication(cube)
            base = per.sel(scenario=baseline).values
            values = {k: per.sel(scenario=v).values - base for k, v in found.items()}
            shares = {OTHER: values[frozenset()], **contributions(values, levers)}
            shares["total"] = values[frozenset(levers)]
            for part, each in shares.items():
                mean, low, high = interval(np.asarray(each, dtype=float))
                parts.append(Part(scenario, headline, part, mean, low, high, tuple(each)))
    return parts


def method(cube: xr.Dataset, scenario: str) -> str:
    """In words: Shapley values, or the sequential order (which the numbers depend on)."""
    levers = levers_of(cube, scenario)
    if len(_subsets(cube, scenario)) == 2 ** len(levers):
        return "Shapley values over the levers (every order of adding them, averaged)"
    return "sequential, adding levers in this order: " + ", ".join(levers)


def render(cube: xr.Dataset, baseline: str | None = None) -> str:
    """The waterfalls as text tables, one per decomposed scenario."""
    parts = decompose(cube, baseline)
    if not parts:
        raise InputError("no scenario in the cube was run with --decompose")
    out = []
    for scenario in dict.fromkeys(p.scenario for p in parts):
        mine = [p for p in parts if p.scenario == scenario]
        rows = [
            (
                p.headline.label,
                p.part,
                f"{p.mean:+,.0f}",
                "one run: none" if np.isnan(p.low) else f"{p.low:+,.0f} to {p.high:+,.0f}",
            )
            for p in mine
        ]
        months = cube.sizes.get("month", 0)
        out.append(
            f"{scenario}: {method(cube, scenario)}; changes from the baseline summed over the "
            f"{months} reported months, mean and 95% interval over replications"
        )
        out.append(_table(("outcome", "part", "change", "95% CI"), rows))
    return "\n\n".join(out)


def _table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """Text columns: the first two left-aligned, numbers right-aligned."""
    rows = [head, *rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = []
    for i, row in enumerate(rows):
        cells = [c.ljust(w) for c, w in zip(row[:2], widths)]
        cells += [c.rjust(w) for c, w in zip(row[2:], widths[2:])]
        lines.append("  ".join(cells).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
