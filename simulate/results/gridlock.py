"""A&E gridlock: departure-based measures read near zero when few patients can leave A&E.

4-hour breaches are counted as patients leave, so an overloaded place shows almost none just when
things are worst.

These helpers find such scenarios in a cube and blank those measures (n/a, never zero), with a
line saying why.
"""

from __future__ import annotations

import xarray as xr

DEPARTED_ENOUGH = 0.5
"""Share of A&E attendances that must have left A&E for departure-based measures to mean much."""


def departed_share(cube: xr.Dataset) -> dict[str, float]:
    """Per scenario, the share of A&E attendances that left A&E (NaN when the cube lacks it).

    4-hour breaches are counted as patients leave; in a gridlocked A&E few leave, so a count or
    share of breaches read from departures would show (near) zero just when things are worst.
    """
    if "ae_departures" not in cube or "ae_attendances" not in cube:
        return {str(s): float("nan") for s in cube.scenario.values}
    left = cube["ae_departures"].sum([d for d in cube["ae_departures"].dims if d != "scenario"])
    came = cube["ae_attendances"].sum([d for d in cube["ae_attendances"].dims if d != "scenario"])
    return {
        str(s): float(left.sel(scenario=s) / came.sel(scenario=s))
        if came.sel(scenario=s)
        else float("nan")
        for s in cube.scenario.values
    }


def gridlocked(cube: xr.Dataset) -> list[str]:
    """Scenarios whose A&E let fewer than :data:`DEPARTED_ENOUGH` of its attendances leave."""
    return [s for s, share in departed_share(cube).items() if share < DEPARTED_ENOUGH]


def departure_based(values: xr.DataArray, cube: xr.Dataset) -> xr.DataArray:
    """Breaches of a gridlocked scenario as NaN: a count from (almost) no departures is not zero."""
    stuck = gridlocked(cube)
    if not stuck:
        return values
    mask = xr.DataArray(
        [str(s) in stuck for s in values.scenario.values],
        dims="scenario",
        coords={"scenario": values.scenario},
    )
    return values.where(~mask)


def gridlock_notes(cube: xr.Dataset) -> list[str]:
    """A line per gridlocked scenario: why its A&E breaches read n/a."""
    share = departed_share(cube)
    return [
        f"{name}: only {share[name]:.0%} of A&E attendances left A&E (gridlock: the place is "
        "overloaded), so 4-hour breaches are n/a, not zero; check its beds and A&E capacity"
        for name in gridlocked(cube)
    ]
