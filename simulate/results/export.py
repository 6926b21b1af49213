"""The cube as one tidy long table, for spreadsheets and BI tools that do not read netCDF.

One row per scenario × replication × month × practice × cohort × variable, with the value and its
units. System-level variables leave ``practice`` and ``cohort`` empty; per-practice ones leave
``cohort`` empty. A variable with a dimension of its own (``provider`` for each acute trust, ``sex``
and ``age_band`` for the population) has a column for it, empty in every other row. Values are
written at full precision, so the table round-trips to the cube.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import xarray as xr

from simulate.errors import InputError
from simulate.results.atomic import atomic_path

COLUMNS = ("scenario", "replication", "month", "practice", "cohort", "variable", "value", "units")


def tidy(cube: xr.Dataset) -> pd.DataFrame:
    """The long table of every data variable."""
    frames = []
    for name, variable in cube.data_vars.items():
        frame = variable.reset_coords(drop=True).to_series().rename("value").reset_index()
        frame["variable"] = name
        if "parameter" in frame:  # parameter_value: one variable per uncertain parameter
            frame["variable"] = name + "." + frame.pop("parameter").astype(str)
        frame["units"] = variable.attrs.get("units", "")
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True)
    table["month"] = pd.to_datetime(table["month"]).dt.strftime("%Y-%m-%d").fillna("")
    for column in ("practice", "cohort", *other_dimensions(cube)):
        table[column] = table[column].astype("string").fillna("") if column in table else ""
    return table[list(columns(cube))]


def other_dimensions(cube: xr.Dataset) -> tuple[str, ...]:
    """Dimensions beyond the five of :data:`COLUMNS` (``provider``, ``sex``, ``age_band`` ...)."""
    known = set(COLUMNS) | {"parameter"}
    found = dict.fromkeys(d for v in cube.data_vars.values() for d in v.dims if d not in known)
    return tuple(found)


def columns(cube: xr.Dataset) -> tuple[str, ...]:
    """The long table's columns: :data:`COLUMNS`, with any other dimension before ``variable``."""
    at = COLUMNS.index("variable")
    return (*COLUMNS[:at], *other_dimensions(cube), *COLUMNS[at:])


def row_count(cube: xr.Dataset) -> int:
    """Rows the long table will have (one per number of every data variable)."""
    return int(sum(variable.size for variable in cube.data_vars.values()))


def export(cube: xr.Dataset, path: Path, fmt: str) -> Path:
    """Write the long table to ``path`` as CSV or Parquet."""
    table = tidy(cube)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        with atomic_path(path) as temporary:  # an interrupted export leaves no truncated file
            table.to_csv(temporary, index=False)
        return path
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise InputError(
            "parquet needs pyarrow: pip install 'icsim[parquet]'", key="--format"
        ) from None
    with atomic_path(path) as temporary:
        table.to_parquet(temporary, index=False)
    return path
