"""The board's Excel workbook: what a finance or performance team needs, one sheet a question.

Sheets: ``Summary`` (each scenario's effect per year with its 95% interval), ``Annual`` (each
headline per year by scenario, with bands), ``By federation`` and ``By practice`` (the effects
broken down), ``Monthly`` (means with 95% bands), ``Scenarios`` (what each is and how it differs
from the baseline), ``Assumptions`` (every parameter in force) and ``About`` (the provenance).
Every numeric header names its unit. Written with XlsxWriter, which makes files Excel and
LibreOffice open without repair; a sheet never exceeds Excel's 1,048,576 rows (a breakdown that
would is cut, and the sheet says so).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import xarray as xr

from simulate.errors import InputError
from simulate.inputs.toml import tomllib
from simulate.results.annual import annual_effect_rows, annual_rows, monthly_rows
from simulate.results.scenarios import command_overrides, flatten, scenario_cards, value_in_force

EXCEL_ROWS = 1_048_576
"""Rows in one Excel sheet (the header is one of them)."""


def _scenario_rows(cube: xr.Dataset, baseline: str | None) -> list[dict]:
    rows = []
    for card in scenario_cards(cube, baseline):
        base = {
            "scenario": card.name,
            "description": card.description,
            "evidence card": card.evidence_card,
        }
        rows.append(
            base | {"difference from the baseline": "", "baseline value": "", "this scenario": ""}
        )
        for key, was, now in card.differences:
            rows.append(
                {
                    "scenario": card.name,
                    "difference from the baseline": key,
                    "baseline value": was,
                    "this scenario": now,
                }
            )
        for change in card.changes:
            rows.append(
                {
                    "scenario": card.name,
                    "difference from the baseline": "change during the run",
                    "this scenario": change,
                }
            )
    for option in command_overrides(cube):
        rows.append(
            {
                "scenario": "(all)",
                "difference from the baseline": "command line",
                "this scenario": option,
            }
        )
    return rows


def _assumption_rows(cube: xr.Dataset) -> list[dict]:
    texts = json.loads(cube.attrs["scenario_toml"])
    keys = dict.fromkeys(k for t in texts.values() for k in flatten(tomllib.loads(t)))
    return [
        {"parameter (unit in its name)": key}
        | {n: value_in_force(t, key) for n, t in texts.items()}
        for key in keys
        if key not in ("name", "description", "changes")
    ]


def _about_rows(cube: xr.Dataset) -> list[dict]:
    keep = (
        "icsim_version",
        "command",
        "created",
        "root_seed",
        "replications",
        "months",
        "warmup_months",
        "start",
        "scenario_sha256",
        "versions",
    )
    return [{"attribute": k, "value": str(cube.attrs.get(k, ""))} for k in keep]


def sheets(cube: xr.Dataset, baseline: str | None = None) -> dict[str, list[dict]]:
    """Every sheet's rows, by sheet name, in the order the workbook shows them."""
    return {
        "Summary": annual_effect_rows(cube, baseline, None),
        "Annual": annual_rows(cube, baseline),
        "By federation": annual_effect_rows(cube, baseline, "federation"),
        "By practice": annual_effect_rows(cube, baseline, "practice"),
        "Monthly": monthly_rows(cube),
        "Scenarios": _scenario_rows(cube, baseline),
        "Assumptions": _assumption_rows(cube),
        "About": _about_rows(cube),
    }


def write_workbook(cube: xr.Dataset, path: Path, baseline: str | None = None) -> Path:
    """Write the workbook to ``path`` (a ``.xlsx`` file)."""
    try:
        import xlsxwriter
    except ImportError:
        raise InputError("xlsx needs XlsxWriter: pip install XlsxWriter", key="--format") from None
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path), {"nan_inf_to_errors": True})
    formats = {
        "head": book.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#f0f4f5", "border": 1}
        ),
        "number": book.add_format({"num_format": "#,##0.0"}),
    }
    for name, rows in sheets(cube, baseline).items():
        _sheet(book, name, rows, formats)
    book.set_properties({"title": "icsim results", "comments": str(cube.attrs.get("command", ""))})
    book.close()
    return path


def _sheet(book, name: str, rows: list[dict], formats: dict) -> None:
    sheet = book.add_worksheet(name)
    columns = list(dict.fromkeys(k for row in rows for k in row)) or ["(empty)"]
    for c, column in enumerate(columns):
        sheet.write(0, c, column, formats["head"])
        sheet.set_column(c, c, min(max(12, len(column) * 0.6), 60))
    kept = rows[: EXCEL_ROWS - 2]
    for r, row in enumerate(kept, start=1):
        for c, column in enumerate(columns):
            value = row.get(column, "")
            if isinstance(value, (float, np.floating)):
                if np.isnan(value):
                    sheet.write_string(r, c, "n/a")
                else:
                    sheet.write_number(r, c, float(value), formats["number"])
            elif isinstance(value, (int, np.integer)):
                sheet.write_number(r, c, int(value))
            else:
                sheet.write_string(r, c, str(value))
    if len(rows) > len(kept):
        sheet.write_string(len(kept) + 1, 0, f"cut at Excel's row limit: {len(rows)} rows")
    sheet.freeze_panes(1, 1)
    if kept:
        sheet.autofilter(0, 0, len(kept), len(columns) - 1)
