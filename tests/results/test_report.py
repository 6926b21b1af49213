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
    assert len(sources) == 5 and all(s.startswith("data:image/png;base64,") for s in sources)
    for heading in ("Summary", "Comparison", "Figures", "Methods (STRESS-DES)", "Limitations"):
        assert f"<h2>{heading}</h2>" in text
    assert "4.3 Estimation approach" in text and "2 replications per scenario" in text
    assert "evidence" not in text or "acute.emergency_los_mean_days" in text
    assert "Emergency admissions" in text and "extended-access" in text
    figures = sorted(p.name for p in (report.parent / "figures").iterdir())
    assert len(figures) == 10 and "funnel_plot.svg" in figures


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
    assert "<h2>Summary</h2>" in dom.stdout and dom.stdout.count("<img") == 5


def test_sources_follow_the_comments_of_the_shipped_baseline():
    from simulate.results.report import cited_sources
    from simulate.shipped import shipped_dir

    found = cited_sources((shipped_dir() / "baseline.toml").read_text())
    assert found["acute.length_of_stay_days"][0][0] == "acute.emergency_los_mean_days"
    assert found["leavers.to_ae_share"] == found["leavers.to_hub_share"]
    assert found["practice.same_day_tolerance_working_days"] == ([], True)
