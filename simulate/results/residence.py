"""A place's outcomes by the registered list or by residence: the commissioning basis.

The cube attributes activity to the registered practice. A place answers either for the patients
registered with its practices (``registered``, the default) or for the people living in it
(``resident``): then each practice's outcomes are split over the places its patients live in, by
the place file's resident shares (the cube's ``resident_share`` [practice, residence], see
:mod:`simulate.inputs.residence`), in expectation. Both bases are the same split, by a table whose
rows sum to 1 (for the registered basis, each practice's own place), so the places' totals are
the system's under either, to rounding; and a place none of whose patients live elsewhere, and
where no other place's patients live, gets the same numbers, bit for bit, under both.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

BASES = ("registered", "resident")
WORDS = {
    "registered": "places by registered list: each practice's patients count in its own place",
    "resident": (
        "places by residence: each practice's patients count in the places they live in, "
        "by the place file's resident shares"
    ),
}


def basis(cube: xr.Dataset) -> str:
    """The basis ``cube`` reports places by (registered for a cube made before residence)."""
    if "resident_share" not in cube.coords:
        return "registered"
    return str(cube["resident_share"].attrs.get("commissioning", "registered"))


def with_basis(cube: xr.Dataset, chosen: str) -> xr.Dataset:
    """``cube`` (a shallow copy) reporting places on the ``chosen`` basis."""
    shares = cube["resident_share"]
    about = {**shares.attrs, "commissioning": chosen}
    return cube.assign_coords(resident_share=(shares.dims, shares.values, about))


def by_place(data: xr.DataArray, cube: xr.Dataset) -> xr.DataArray | None:
    """``data`` along ``practice`` as a sum along ``place``, on the cube's basis.

    None for data without practices (system-level outcomes have no place); a cube made before
    residence was recorded is grouped by its practices' place, as it always was.
    """
    table = next((cube[n] for n in ("resident_share", "place") if n in cube.coords), None)
    if "practice" not in data.dims or table is None:
        return None
    if "scenario" in table.dims:
        # scenarios whose place files split the same practices differently: each its own table
        names = cube["scenario"].values
        parts = [by_place(data.sel(scenario=s), cube.sel(scenario=s)) for s in names]
        return xr.concat(parts, dim="scenario")
    if "resident_share" not in cube.coords:
        return data.groupby("place").sum()
    codes = [str(c) for c in cube["residence"].values]
    if basis(cube) == "resident":
        shares = cube["resident_share"].transpose("practice", "residence").values
    else:
        own = np.asarray(cube["place"].values).astype(str)
        shares = (own[:, None] == np.array(codes)[None, :]).astype(float)
    return split(data, shares, codes)


def split(data: xr.DataArray, shares: np.ndarray, codes: list[str]) -> xr.DataArray:
    """Each place's share-weighted sum over the practices with a share in it.

    A place's sum runs over its practices only, in cube order, so a place whose column is its
    own practices' ones gets the very sum the registered basis gives.
    """
    parts = []
    for column in shares.T:
        rows = np.flatnonzero(column > 0)
        weight = xr.DataArray(column[rows], dims="practice")
        parts.append((data.isel(practice=rows) * weight).sum("practice"))
    return xr.concat(parts, dim="place", coords="minimal").assign_coords(
        place=("place", codes, {"long_name": "place"})
    )
