"""Practice lists from NHS Digital's "Patients Registered at a GP Practice" quinary-age CSV.

The published file has one row per practice × sex × five-year age band with (among others) the
columns ``ORG_CODE`` (``CODE`` in some months), ``SEX`` (``MALE``, ``FEMALE`` or ``ALL``),
``AGE_GROUP_5`` (``0_4`` … ``90_94``, ``95+`` or ``ALL``) and ``NUMBER_OF_PATIENTS``. Rows for
``ALL`` are totals and are skipped; other columns are ignored, so a planner can point a place file
at the national file and keep only the practices the place lists (codes match in any case; rows of
other practices are not read, so they cannot stop the import). Counts may carry thousands
separators (``8,627``), as a spreadsheet saves them. A bad row is one line naming the file, the
row and the problem.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np

from simulate.errors import InputError
from simulate.inputs.files import CSV_LIMIT, open_regular

CODE_COLUMNS = ("ORG_CODE", "CODE", "PRACTICE_CODE")
AGE_COLUMNS = ("AGE_GROUP_5", "AGE")
_COUNT_SEPARATORS = re.compile(r"(?<=\d)[,\s](?=\d{3}\b)")
_AGE = re.compile(r"^([0-9]+)\s*(?:[_\-]\s*([0-9]+)|\+)$")
_COUNT = re.compile(r"[0-9]+")


def age5_index(label: str) -> int:
    """Index of a five-year band label (``0_4``, ``0-4``, ``95+``) among AGE5 (90+ pooled)."""
    match = _AGE.match(label.strip())
    if not match:
        raise ValueError(f"age band {label!r} is not like 0_4, 5-9 or 95+")
    low = int(match.group(1))
    high = match.group(2)
    if low % 5 or (high is not None and int(high) != low + 4):
        raise ValueError(f"age band {label!r} is not a five-year band")
    return min(low // 5, 18)


def _column(header: list[str], names: tuple[str, ...], path: Path) -> int:
    upper = [h.strip().upper() for h in header]
    for name in names:
        if name in upper:
            return upper.index(name)
    raise InputError(f"no {' or '.join(names)} column in the header", file=path, line=1)


def read_practice_csv(path: Path, wanted: set[str]) -> dict[str, np.ndarray]:
    """Registered persons ``[sex (0 male, 1 female), AGE5]`` of each wanted practice in the file."""
    binary = open_regular(path, CSV_LIMIT, "practice CSV")
    try:
        with io.TextIOWrapper(binary, encoding="utf-8-sig", newline="") as handle:
            return _read(handle, path, wanted)
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text (byte {error.start})", file=path) from None
    except csv.Error as error:  # e.g. a field over the csv module's 128 KB limit
        raise InputError(f"not a readable CSV: {error}", file=path) from None


def _read(handle, path: Path, wanted: set[str]) -> dict[str, np.ndarray]:
    """The wanted practices' rows (codes in any case); other practices' rows are never read."""
    found: dict[str, np.ndarray] = {}
    wanted_by_upper = {code.upper(): code for code in wanted}
    rows = csv.reader(handle)
    header = next(rows, None)
    if header is None:
        raise InputError("empty practice CSV", file=path)
    code_at = _column(header, CODE_COLUMNS, path)
    sex_at = _column(header, ("SEX",), path)
    age_at = _column(header, AGE_COLUMNS, path)
    count_at = _column(header, ("NUMBER_OF_PATIENTS",), path)
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        try:
            code, sex, age, count = (row[i].strip() for i in (code_at, sex_at, age_at, count_at))
        except IndexError:
            raise InputError(
                f"row {line}: has {len(row)} columns, the header has {len(header)}",
                file=path,
                line=line,
            ) from None
        where = {"file": path, "line": line}
        if not code:
            raise InputError(f"row {line}: empty practice code", **where)
        code = wanted_by_upper.get(code.upper())
        if code is None or sex.upper() == "ALL" or age.upper() == "ALL":
            continue  # another practice's row, or a total: never read, so never a problem
        if sex.upper() not in ("MALE", "FEMALE"):
            raise InputError(f"row {line}: SEX {sex!r} is not MALE, FEMALE or ALL", **where)
        count = _COUNT_SEPARATORS.sub("", count)  # "8,627" as spreadsheets write it
        if not _COUNT.fullmatch(count):  # ASCII digits: '²'.isdigit() is True
            raise InputError(f"row {line}: NUMBER_OF_PATIENTS {count!r} is not a count", **where)
        try:
            band = age5_index(age)
        except ValueError as error:
            raise InputError(f"row {line}: {error}", **where) from None
        table = found.setdefault(code, np.zeros((2, 19), dtype=np.int64))
        table[int(sex.upper() == "FEMALE"), band] += int(count)
    for code, table in found.items():
        if table.sum() == 0:
            raise InputError(f"practice {code} has no patients in the CSV", file=path)
    return found
