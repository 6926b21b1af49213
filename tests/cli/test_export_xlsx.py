"""``icsim export``: no CSV text in an .xlsx file, a word on Excel's row limit, the workbook."""

import shutil
import subprocess

import pytest

from simulate.cli import main


def test_csv_into_an_xlsx_file_is_refused(tiny_run, tmp_path, capsys):
    """Defect 8: ``--out x.xlsx`` wrote CSV text into a .xlsx file."""
    out = tmp_path / "x.xlsx"
    assert main(["export", str(tiny_run), "--format", "csv", "--out", str(out)]) == 2
    assert not out.exists() and "--format xlsx" in capsys.readouterr().err


def test_a_table_longer_than_excel_opens_says_so(tiny_run, tmp_path, capsys, monkeypatch):
    """Defect 8: the quick start's export wrote 1.8 million rows without a word."""
    import simulate.cli.export as command

    monkeypatch.setattr(command, "EXCEL_ROWS", 1000)
    assert main(["export", str(tiny_run), "--out", str(tmp_path / "t.csv")]) == 0
    captured = capsys.readouterr()
    assert "Excel opens only the first 1,000" in captured.err and "--format xlsx" in captured.err
    rows = sum(1 for _ in (tmp_path / "t.csv").open()) - 1
    assert f"({rows:,} rows)" in captured.out


@pytest.fixture(scope="module")
def workbook(tiny_run, tmp_path_factory):
    out = tmp_path_factory.mktemp("xlsx") / "board.xlsx"
    assert main(["export", str(tiny_run), "--out", str(out)]) == 0  # the suffix picks xlsx
    return out


def test_workbook_holds_the_board_sheets_with_units(workbook):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(workbook, read_only=True)
    names = book.sheetnames
    assert names == [
        "Summary",
        "Annual",
        "By federation",
        "By practice",
        "Monthly",
        "Scenarios",
        "Assumptions",
        "About",
    ]
    rows = list(book["Summary"].values)
    head = rows[0]
    assert "95% CI low (outcome's unit)" in head and "baseline, a year (outcome's unit)" in head
    outcomes = {r[head.index("outcome (unit)")] for r in rows[1:]}
    assert "Emergency admissions (admissions per year)" in outcomes
    assert {r[0] for r in rows[1:]} == {"extended-access", "funding-per-head"}
    annual = list(book["Annual"].values)
    assert any(str(r[1]).startswith("year 1 (2019-04 to 2019-06), 3 months") for r in annual[1:])
    assumptions = list(book["Assumptions"].values)
    funding = next(
        r for r in assumptions if r[0] == "dynamics.extra_gp_funding_GBP_per_head_per_year"
    )
    assert "then 10" in funding[assumptions[0].index("funding-per-head")]


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_workbook_opens_in_libreoffice(workbook, tmp_path):
    result = subprocess.run(
        [SOFFICE, "--headless", "--convert-to", "csv", "--outdir", str(tmp_path), str(workbook)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0 and (tmp_path / "board.csv").stat().st_size > 100
