"""The HTML report: self-contained, complete, and rendered by a real browser without errors."""

import re
import shutil
import subprocess

import pytest
from helpers import icsim

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def report(tiny_run):
    result = icsim("report", tiny_run)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"report: {tiny_run / 'report.html'}"
    return tiny_run / "report.html"


def test_report_is_self_contained_and_complete(report):
    text = report.read_text()
    assert "http://" not in text and "https://" not in text
    sources = re.findall(r'src="([^"]*)"', text)
    assert len(sources) == 7 and all(s.startswith("data:image/png;base64,") for s in sources)
    headings = ("Headline", "Scenarios", "Figures", "Effects a year", "Methods (STRESS-DES)")
    for heading in (*headings, "Limitations"):
        assert f"<h2>{heading}</h2>" in text
    assert "4.3 Estimation approach" in text and "2 replications per scenario" in text
    assert "evidence" not in text or "acute.emergency_los_mean_days" in text
    assert "Emergency admissions" in text and "extended-access" in text
    figures = sorted(p.name for p in (report.parent / "figures").iterdir())
    assert len(figures) == 14 and "provider_plot.svg" in figures and "years_figure.svg" in figures


def _chromium(tmp_path, *extra):
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *extra],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_report_renders_in_headless_chromium(report, tmp_path):
    shot = tmp_path / "report.png"
    result = _chromium(
        tmp_path,
        "--enable-logging=stderr",
        "--v=0",
        f"--screenshot={shot}",
        "--window-size=1200,3000",
        report.as_uri(),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    for bad in ("Uncaught", "ERROR:CONSOLE", "Failed to load resource", "Not allowed to load"):
        assert bad not in result.stderr, result.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 100_000
    dom = _chromium(tmp_path, "--dump-dom", report.as_uri())
    assert dom.returncode == 0
    assert "<h2>Headline</h2>" in dom.stdout and dom.stdout.count("<img") == 7


def test_sources_follow_the_comments_of_the_shipped_baseline():
    from simulate.results.report import cited_sources
    from simulate.shipped import shipped_dir

    found = cited_sources((shipped_dir() / "baseline.toml").read_text())
    assert found["acute.length_of_stay_days"][0][0] == "acute.emergency_los_mean_days"
    assert found["leavers.to_ae_share"] == found["leavers.to_hub_share"]
    assert found["practice.same_day_tolerance_working_days"] == ([], True)


def test_report_reads_as_a_board_paper(report):
    """Raise the outputs: a title from the scenarios and place, the headline answer first, then
    one figure per question, then the detail; figures a year."""
    text = report.read_text()
    title = re.search(r"<h1>(.*?)</h1>", text).group(1)
    assert (
        title == "extended-access and funding-per-head against baseline in Tiny place "
        "(tests), 2019-04 to 2019-06"
    )
    order = [text.index(f"<h2>{h}</h2>") for h in ("Headline", "Figures", "Effects a year")]
    assert order == sorted(order)
    opening = re.search(r'<p class="headline">(.*?)</p>', text).group(1)
    assert "over 3 months" in opening and "a year" in opening and "95% CI" in opening
    assert "emergency admissions" in opening and "cost" in opening
    assert "What changes, and how sure is it?" in text and "At what cost?" in text
    assert "(admissions per year)" in text


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_report_prints_to_a4_pdf(report, tmp_path):
    pdf = tmp_path / "report.pdf"
    result = _chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", report.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    data = pdf.read_bytes()
    assert data[:5] == b"%PDF-"
    boxes = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([0-9.]+) ([0-9.]+)\s*\]", data))
    assert boxes and all(abs(float(w) - 595) < 2 and abs(float(h) - 842) < 2 for w, h in boxes)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    assert 6 <= pages <= 30


def test_the_headline_of_nine_scenarios_stays_one_paragraph(tiny_run):
    """With many scenarios the paragraph counts across them and names the largest clear change;
    each scenario's own sentence follows as a list item, none left out (issue 18)."""
    from many import many_scenarios

    from simulate.results.board import headline
    from simulate.results.compare import effects
    from simulate.results.cube import load

    many = many_scenarios(load(tiny_run / "cube.nc"), 9)
    text = headline(many, "Tiny place")
    paragraph = re.search(r'<p class="headline">(.*?)</p>', text).group(1)
    assert len(paragraph) < 1500, len(paragraph)
    items = re.findall(r"<li>(.*?)</li>", text)
    names = [str(s) for s in many.scenario.values[1:]]
    assert [re.search(r"<b>(.*?)</b>", i).group(1) for i in items[: len(names)]] == names
    admissions = [e for e in effects(many) if e.headline.label == "Emergency admissions"]
    down = sum(e.clear and e.difference < 0 for e in admissions)
    up = sum(e.clear and e.difference > 0 for e in admissions)
    said = re.search(r"Emergency admissions: ([^.(]*)", paragraph).group(1)
    assert (f"{down} down" in said) == bool(down) and (f"{up} up" in said) == bool(up), said
