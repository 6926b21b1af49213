"""What a run covered, read from the cube: the facts the report's Methods and Limitations state.

Nothing here is a claim about the model written by hand: each sentence is chosen by what the cube
holds (its variables, how they move over the months) and what its resolved scenario and place texts
say (the engine's mode, whether the stocks are coupled, which items are costed, whether parameters
were drawn, where the practice lists came from). A statement the cube cannot support is not made.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import numpy as np
import xarray as xr

from simulate.inputs.toml import tomllib

ENGINES = {
    "hybrid": "a discrete-event engine (patients in A&E, beds and community care as events in "
    "hours and days; general practice and the hub day by day on count arrays) coupled monthly "
    "to system-dynamics stocks",
    "sd": "expected flows (mean field): the same month loop over fluid tiers, deterministic, "
    "one replication",
}
"""The engine each ``dynamics.mode`` runs, as docs/explanation/model.md documents it."""


@dataclass(frozen=True)
class Scope:
    """The run's own configuration, as the report words it."""

    mode: str
    coupled: bool
    population_moves: bool  # the registered population changes over the reported months
    workforce_moves: bool  # GP FTE changes over the reported months
    costed: tuple[str, ...]  # the unit costs the cost variable prices
    community: bool  # community care is simulated (its variables are in the cube)
    uncertain: int  # parameters drawn from distributions, one draw per replication
    place_names: tuple[str, ...]
    own_place: bool  # a place not shipped with icsim
    practice_csv: tuple[str, ...]  # the practice lists' CSV files, if any


def _moves(cube: xr.Dataset, name: str) -> bool:
    if name not in cube or cube.sizes.get("month", 0) < 2:
        return False
    total = cube[name].isel(scenario=0, replication=0)
    total = total.sum([d for d in total.dims if d != "month"]).values
    return bool(np.nanmax(total) - np.nanmin(total) > 1e-9 * max(np.nanmax(np.abs(total)), 1))


def _shipped_place_texts() -> set[str]:
    from simulate.shipped import shipped_dir

    return {p.read_text(encoding="utf-8") for p in (shipped_dir() / "places").glob("*.toml")}


_STAMP = re.compile(r"^# \S+ sha256 [0-9a-f]{64}$", re.MULTILINE)


def _unstamped(text: str) -> str:
    """A place text without the practice CSV's hash line that reading it stamps in."""
    return _STAMP.sub("", text).strip()


def scope(cube: xr.Dataset) -> Scope:
    """The scope of the run in ``cube``."""
    texts = json.loads(cube.attrs["scenario_toml"])
    first = tomllib.loads(next(iter(texts.values())))
    dynamics = first.get("dynamics", {})
    places = json.loads(cube.attrs.get("place_toml", "{}"))
    parsed = [tomllib.loads(t) for t in dict.fromkeys(places.values())]
    shipped = {_unstamped(t) for t in _shipped_place_texts()}
    own = any(_unstamped(t) not in shipped for t in places.values())
    csvs = tuple(
        dict.fromkeys(
            p["population"]["practice_csv"]
            for p in parsed
            if p.get("population", {}).get("practice_csv")
        )
    )
    uncertain = int(cube.sizes.get("parameter", 0)) if "parameter_value" in cube else 0
    return Scope(
        mode=str(dynamics.get("mode", "hybrid")),
        coupled=bool(dynamics.get("coupled", True)),
        population_moves=_moves(cube, "registered_population"),
        workforce_moves=_moves(cube, "gp_fte"),
        costed=tuple(
            k.replace("_", " ") for k in first.get("costs", {}) if not k.endswith("_days")
        ),
        community=any(str(v).startswith("community_") for v in cube.data_vars),
        uncertain=uncertain,
        place_names=tuple(dict.fromkeys(str(p.get("name", "?")) for p in parsed)),
        own_place=own,
        practice_csv=csvs,
    )


def place_words(s: Scope) -> str:
    """Where the place came from, in words."""
    names = ", ".join(s.place_names)
    lists = f"; registered lists from {', '.join(s.practice_csv)}" if s.practice_csv else ""
    if s.own_place:
        return f"the planner's own place file ({names}){lists}"
    return f"a place shipped with icsim ({names}), made up to national averages{lists}"


def limitations(s: Scope, replications: int) -> list[str]:
    """The limitations this run has, each chosen by the run's own configuration."""
    out = []
    if not s.own_place:
        out.append(
            "The place is one shipped with icsim, made up to national averages: not a real "
            "health economy. Run your own place file for local answers."
        )
    if not s.coupled:
        out.append(
            "The system-dynamics stocks were not coupled (dynamics.coupled = false): capacities "
            "and demand were held as at the start."
        )
    if not s.population_moves:
        out.append("The registered population did not change over the reported months.")
    if s.uncertain:
        out.append(
            f"{s.uncertain} parameters were drawn from their ranges, once per replication, so the "
            "intervals include that parameter uncertainty; all other parameters are fixed."
        )
    else:
        out.append(
            "Every parameter was fixed at its point value: the intervals describe simulation "
            "noise only, not uncertainty in the parameters (icsim sensitivity explores that; "
            "it is not part of this report)."
        )
    out.append(
        "Cost prices only " + ", ".join(s.costed) + " (the scenario's [costs]) and the "
        "interventions' own costs; anything else (for example prescribing or social care) is not "
        "in it."
    )
    if replications < 10 and s.mode != "sd":
        out.append(
            f"Only {replications} replications per scenario: intervals are wide and can miss "
            "effects a longer run would find."
        )
    out.append(
        "Several parameters are assumptions without a published source (marked in the "
        "assumptions table)."
    )
    return out
