"""Scenarios that decompose a combined one: the same file with only some of its levers on.

To say how much of a combined scenario's change each lever explains, the experiment also runs
the scenario with subsets of its ``[interventions]`` levers (everything else in the file, such as
a ``[hub]`` change, stays in every subset). ``"shapley"`` runs every subset (2^n scenarios; the
Shapley value averages a lever's contribution over every order it could be added in, so no order
is privileged); ``"sequential"`` runs the n+1 nested subsets of one documented order, the order
levers act in (:data:`ORDER`), which is cheaper and order-dependent. Subsets are named
``<scenario>.only.<lever>.<lever>`` (``.only.none`` for no lever), which
:mod:`simulate.results.decompose` reads back.
"""

from __future__ import annotations

import itertools

import tomli_w

from simulate.errors import InputError
from simulate.inputs.scenario import Scenario, scenario_from_toml, tomllib

ORDER = ("symphony", "mcp", "at_scale", "primary_care_home", "variation")
"""The levers in the order they act on a month's tables (``simulate.model.levers.KINDS``)."""
SEPARATOR = ".only."
MAX_SHAPLEY_LEVERS = 6
"""2^6 = 64 scenarios: beyond that, ask for the sequential order."""


def levers_of(scenario: Scenario) -> list[str]:
    """The levers that are on in ``scenario``, in :data:`ORDER`."""
    spec = scenario.spec.interventions
    return [name for name in ORDER if getattr(spec, name, None) is not None]


def subset_name(scenario: str, levers) -> str:
    """The name of ``scenario`` with only ``levers`` on."""
    return scenario + SEPARATOR + (".".join(levers) or "none")


def subsets(levers: list[str], how: str) -> list[tuple[str, ...]]:
    """The lever subsets a decomposition needs, the full set excluded (it is the scenario)."""
    if how == "sequential":
        chain = [tuple(levers[:k]) for k in range(len(levers))]
        return chain
    if len(levers) > MAX_SHAPLEY_LEVERS:
        raise InputError(
            f"--decompose shapley: {len(levers)} levers need {2 ** len(levers)} scenarios; "
            "use --decompose sequential"
        )
    every = itertools.chain.from_iterable(
        itertools.combinations(levers, k) for k in range(len(levers))
    )
    return list(every)


def decomposition(scenario: Scenario, how: str) -> list[Scenario]:
    """The subset scenarios of ``scenario`` (none when it has fewer than two levers)."""
    levers = levers_of(scenario)
    if len(levers) < 2:
        return []
    data = tomllib.loads(scenario.toml)
    found = []
    for subset in subsets(levers, how):
        part = {**data, "name": subset_name(scenario.name, subset)}
        interventions = dict(part.get("interventions", {}))
        for lever in levers:
            if lever not in subset:
                interventions.pop(lever, None)
        part["interventions"] = interventions
        found.append(scenario_from_toml(tomli_w.dumps(part), scenario.folder))
    return found
