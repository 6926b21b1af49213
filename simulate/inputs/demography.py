"""The demographic input files: a life table, and a place's projected net migration.

Both are small CSVs with ``#`` comment lines allowed before the header (so a file can carry its
source). Every problem is one line naming the file, the row and what is wrong (exit 2).

* **Life table** (``sex,age,mx,qx``): rows for both sexes and every age 0-100 (100 is open), as
  ONS publishes the National life tables; the model uses ``mx``, the deaths per person-year.
* **Net migration** (``year,sex,age_band,net_migration``): persons a year, by calendar year, sex
  and model age band, as a local authority's ONS subnational projection gives its components of
  change (internal plus international, in less out); negative is a net outflow. Every year listed
  needs all 16 sex × band rows; years after the last repeat it, years before the first use it.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from simulate.errors import InputError
from simulate.inputs.categories import AGE_BANDS, SEXES
from simulate.inputs.files import CSV_LIMIT, open_regular
from simulate.shipped import shipped_dir

LIFE_TABLE_COLUMNS = ("sex", "age", "mx", "qx")
MIGRATION_COLUMNS = ("year", "sex", "age_band", "net_migration")
TOP_AGE = 100
"""The life table's last, open age (100 and over)."""


def life_table_path(reference: str, relative_to: Path | None = None) -> Path:
    """A life table: a path ending in ``.csv`` (relative to ``relative_to``) or a shipped name."""
    if reference.endswith(".csv"):
        path = Path(reference)
        return path if path.is_absolute() or relative_to is None else relative_to / path
    return shipped_dir() / "data" / f"life-table-{reference}.csv"


def migration_path(reference: str, relative_to: Path | None = None) -> Path:
    """A net migration CSV, relative to ``relative_to`` (the scenario's folder) unless absolute."""
    path = Path(reference)
    return path if path.is_absolute() or relative_to is None else relative_to / path


def _rows(path: Path, columns: tuple[str, ...], what: str):
    """``(line, row)`` of a CSV whose header (after ``#`` comments) must be ``columns``."""
    binary = open_regular(path, CSV_LIMIT, what)
    try:
        with io.TextIOWrapper(binary, encoding="utf-8-sig", newline="") as handle:
            lines = [(n, text) for n, text in enumerate(handle.read().splitlines(), start=1)]
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text (byte {error.start})", file=path) from None
    body = [(n, text) for n, text in lines if text.strip() and not text.lstrip().startswith("#")]
    if not body:
        raise InputError(f"empty {what}: no header {','.join(columns)}", file=path)
    try:
        parsed = [(n, row) for (n, _), row in zip(body, csv.reader(t for _, t in body))]
    except csv.Error as error:
        raise InputError(f"not a readable CSV: {error}", file=path) from None
    (line, header), rows = parsed[0], parsed[1:]
    if tuple(h.strip().lower() for h in header) != columns:
        found = ",".join(h.strip() for h in header)
        raise InputError(
            f"columns must be {','.join(columns)}; found {found}", file=path, line=line
        )
    for line, row in rows:
        if len(row) != len(columns):
            raise InputError(f"{len(row)} fields, expected {len(columns)}", file=path, line=line)
        yield line, [cell.strip() for cell in row]


def _number(text: str, path: Path, line: int, key: str) -> float:
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        raise InputError(f"{text!r} is not a number", file=path, line=line, key=key) from None
    if not math.isfinite(value):
        raise InputError(f"{text!r} is not a finite number", file=path, line=line, key=key)
    return value


def _sex(text: str, path: Path, line: int) -> int:
    if text.lower() not in SEXES:
        raise InputError(f"{text!r} is not male or female", file=path, line=line, key="sex")
    return SEXES.index(text.lower())


def read_life_table(path: Path) -> np.ndarray:
    """Deaths per person-year ``mx`` as ``[sex, age 0-100]`` from a life-table CSV."""
    mx = np.full((len(SEXES), TOP_AGE + 1), np.nan)
    for line, (sex, age, m, q) in _rows(path, LIFE_TABLE_COLUMNS, "life table"):
        s = _sex(sex, path, line)
        a = _number(age, path, line, "age")
        if a != int(a) or not 0 <= a <= TOP_AGE:
            raise InputError(f"{age} is not an age 0-{TOP_AGE}", file=path, line=line, key="age")
        rate, chance = _number(m, path, line, "mx"), _number(q, path, line, "qx")
        if rate < 0:
            raise InputError(f"{m} is negative", file=path, line=line, key="mx")
        if not 0 <= chance <= 1:
            raise InputError(f"{q} is not a probability 0-1", file=path, line=line, key="qx")
        if not np.isnan(mx[s, int(a)]):
            raise InputError(f"{sex} age {int(a)} given twice", file=path, line=line)
        mx[s, int(a)] = rate
    missing = [(SEXES[s], a) for s, a in zip(*np.nonzero(np.isnan(mx)))]
    if missing:
        sex, age = missing[0]
        raise InputError(f"no row for {sex} age {age} ({len(missing)} rows missing)", file=path)
    return mx


@dataclass(frozen=True)
class NetMigration:
    """Projected net migration, persons a year ``[sex, age band]`` for each listed year."""

    years: tuple[int, ...]
    persons: np.ndarray  # [year, sex, age band]

    def of_year(self, year: int) -> np.ndarray:
        """Net migration ``[sex, age band]`` in ``year`` (the nearest listed year outside them)."""
        index = int(np.clip(np.searchsorted(self.years, year, side="right") - 1, 0, None))
        return self.persons[index]


def read_net_migration(path: Path) -> NetMigration:
    """A place's projected net migration (see the module docstring for the layout)."""
    cells: dict[int, np.ndarray] = {}
    for line, (year, sex, band, persons) in _rows(path, MIGRATION_COLUMNS, "net migration CSV"):
        y = _number(year, path, line, "year")
        if y != int(y) or not 1900 <= y <= 2200:
            raise InputError(f"{year} is not a year 1900-2200", file=path, line=line, key="year")
        s = _sex(sex, path, line)
        if band not in AGE_BANDS:
            raise InputError(
                f"{band!r} is not one of {', '.join(AGE_BANDS)}",
                file=path,
                line=line,
                key="age_band",
            )
        grid = cells.setdefault(int(y), np.full((len(SEXES), len(AGE_BANDS)), np.nan))
        if not np.isnan(grid[s, AGE_BANDS.index(band)]):
            raise InputError(f"{int(y)} {sex} {band} given twice", file=path, line=line)
        grid[s, AGE_BANDS.index(band)] = _number(persons, path, line, "net_migration")
    if not cells:
        raise InputError("no rows after the header", file=path)
    for year, grid in cells.items():
        if np.isnan(grid).any():
            s, a = (int(i[0]) for i in np.nonzero(np.isnan(grid)))
            raise InputError(f"year {year} has no row for {SEXES[s]} {AGE_BANDS[a]}", file=path)
    years = tuple(sorted(cells))
    return NetMigration(years, np.stack([cells[y] for y in years]))


def check_demography_files(dynamics, folder: Path | None) -> list[InputError]:
    """The problem (at most one each) with the life table and net migration CSV a scenario names.

    Read when the scenario is, so a bad file stops ``icsim run`` before any replication starts.
    Only for the changing population: the steady state (``hold_age_structure``) reads neither.
    """
    if dynamics.hold_age_structure or not dynamics.coupled:
        return []
    problems = []
    for reference, read in (
        (dynamics.life_table, read_life_table),
        (dynamics.net_migration_csv, read_net_migration),
    ):
        if reference is None:
            continue
        path = (life_table_path if read is read_life_table else migration_path)(reference, folder)
        try:
            read(path)
        except InputError as error:
            problems.append(error)
    return problems
