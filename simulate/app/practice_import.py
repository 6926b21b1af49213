"""A place file from an NHS Digital practice-list CSV and the few facts the CSV does not hold.

NHS Digital's "Patients Registered at a GP Practice" quinary-age file gives each practice's list
by sex and five-year age band (:mod:`simulate.inputs.practice_list`), but no federations, GP
workforce, trust or community capacity. The Place page's form asks for those; this module writes
them, with the CSV, as a place file in the layout ``docs/how-to/import-practice-lists.md``
describes, and :func:`simulate.app.files.accept_place` reads that file exactly as ``icsim place``
would. Nothing here models anything: it only arranges what the planner typed, so the file it
writes (offered for download) runs from the command line as well.

Each federation gets one locality of the same code (the place's residents are planned by
federation); the population synthesis keys are the shipped default place's, sources in its
comments. GP and nurse FTE come from a rate per 100,000 registered times each practice's list in
the CSV, as ``scenarios/places/default.toml`` sizes its practices; the saved file can be edited
practice by practice.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import tomli_w

from simulate.errors import InputError
from simulate.inputs.practice_list import CODE_COLUMNS, read_practice_csv
from simulate.inputs.toml import tomllib
from simulate.shipped import shipped_dir

LISTED_AT_MOST = 200
"""Practices the form offers to fill in from a CSV: more is a national file, to be picked from."""

_LINE = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*:\s*(.*)$")
_CODE = re.compile(r"^[A-Za-z0-9]+$")


@dataclass(frozen=True)
class Form:
    """What the planner typed: every number as the box gave it (None when left empty)."""

    name: str
    federations: str
    """One line per federation: ``F1: A81001 A81002`` (its code, a colon, its practices)."""
    deprivation_quintile: float | None
    gp_fte_per_100k: float | None
    nurse_fte_per_100k: float | None
    trust: str
    ae_cubicles: float | None
    beds: float | None
    nursing_caseload: float | None
    stepdown_beds: float | None


def codes_in(data: bytes) -> list[str]:
    """The practice codes of a practice-list CSV in file order (none if it has no code column)."""
    rows = csv.reader(io.StringIO(data.decode("utf-8-sig", errors="replace"), newline=""))
    header = [h.strip().upper() for h in next(rows, [])]
    column = next((header.index(c) for c in CODE_COLUMNS if c in header), None)
    if column is None:
        return []
    found = dict.fromkeys(row[column].strip() for row in rows if len(row) > column)
    found.pop("", None)
    return list(found)


def federation_lines(codes: list[str]) -> str:
    """The federations box filled for a CSV: every practice in one federation, F1."""
    return "F1: " + " ".join(codes) if 0 < len(codes) <= LISTED_AT_MOST else ""


def parse_federations(text: str) -> dict[str, list[str]]:
    """``{federation code: [practice codes]}`` from the box, or one line saying what is wrong."""
    found: dict[str, list[str]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _LINE.match(line)
        codes = match.group(2).replace(",", " ").split() if match else []
        if not match or not codes or not all(_CODE.match(c) for c in codes):
            raise InputError(
                f"line {number}: {line.strip()[:60]!r} is not a federation code, a colon and "
                "its practices' codes (F1: A81001 A81002)",
                key="federations",
            )
        found.setdefault(match.group(1), []).extend(codes)
    if not found:
        raise InputError("list at least one federation and its practices", key="federations")
    return found


def place_text(form: Form, csv_name: str, csv_path: Path) -> str:
    """The place file for ``form``, its lists from the CSV at ``csv_path`` (named ``csv_name``)."""
    federations = parse_federations(form.federations)
    wanted = {code for codes in federations.values() for code in codes}
    lists = {code: int(t.sum()) for code, t in read_practice_csv(csv_path, wanted).items()}
    default = tomllib.loads((shipped_dir() / "places" / "default.toml").read_text("utf-8"))
    population = {k: v for k, v in default["population"].items() if k != "practice_csv"}
    place = {
        "name": form.name.strip() or Path(csv_name).stem,
        "description": f"Practices of {csv_name} in {len(federations)} federation(s).",
        "population": {"practice_csv": csv_name, **population},
        "localities": [{"code": f, "name": f"Federation {f}"} for f in federations],
        "federations": [{"code": f, "name": f"Federation {f}", "hub": ""} for f in federations],
        "community": _given(
            name="Community services",
            nursing_caseload=form.nursing_caseload,
            stepdown_beds=form.stepdown_beds,
        ),
        "trust": _given(
            name=form.trust.strip() or "Acute trust", ae_cubicles=form.ae_cubicles, beds=form.beds
        ),
        "practices": [
            _practice(code, federation, lists.get(code, 0), form)
            for federation, codes in federations.items()
            for code in codes
        ],
    }
    return _header(form, csv_name) + tomli_w.dumps(place)


def _practice(code: str, federation: str, persons: int, form: Form) -> dict:
    def fte(rate: float | None) -> float | None:
        return None if rate is None else round(persons * rate / 100_000, 2)

    return _given(
        code=code,
        name=code,
        federation=federation,
        locality=federation,
        deprivation_quintile=form.deprivation_quintile,
        gp_fte=fte(form.gp_fte_per_100k),
        nurse_fte=fte(form.nurse_fte_per_100k),
    )


def _given(**values) -> dict:
    """The keys given, whole numbers as integers: an empty box is a missing key to the reader."""
    return {k: _number(v) for k, v in values.items() if v is not None}


def _number(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _header(form: Form, csv_name: str) -> str:
    return (
        f"# Made with the icsim app from the practice list {csv_name} (NHS Digital's Patients\n"
        "# Registered at a GP Practice layout) and the Place page's form. Each federation has a\n"
        "# locality of its own code. GP FTE is each practice's list times "
        f"{form.gp_fte_per_100k} per 100,000\n"
        f"# (evidence workforce.gp_fte_per_100k: 57.8, range 52-62), nurse FTE times "
        f"{form.nurse_fte_per_100k}\n"
        "# (evidence workforce.nurse_fte_per_100k: 27, range 23-30); edit them practice by\n"
        "# practice with NHS Digital's General Practice Workforce figures. [population] is the\n"
        "# shipped default place's (scenarios/places/default.toml gives the sources). Trust and\n"
        "# community capacities are as typed (see docs/how-to/import-practice-lists.md).\n\n"
    )
