"""The app in a real browser (Debian's Chromium driven by Playwright): the planner's whole path.

From the baseline, one lever changed, checked, run (2 replications on the tiny place), read and
downloaded; the saved scenario file then runs from the command line to the identical cube. The
tutorial's headline: a place made from an NHS Digital practice-list CSV in two federations, extended
access doubled in one of them, run, compared by federation and downloaded. And a malformed upload
(place file or CSV) is a one-line message on the page. Screenshots of every page are kept under
``test-artifacts/app/`` (looked at by a person before the app is called done); the times the app
took to start and to change page are written there too, measured, never asserted.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

pytest.importorskip("playwright", reason="playwright is not installed (pip install -e '.[test]')")
pytest.importorskip("shiny", reason="shiny is not installed (pip install -e .)")
from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ROOT = Path(__file__).resolve().parents[2]
CSV = ROOT / "scenarios" / "places" / "example-practices.csv"
ARTIFACTS = ROOT / "test-artifacts" / "app"
RUN = ["-n", "2", "--months", "3", "--seed", "1", "--warmup-months", "1"]
TIMES: dict[str, float] = {}
CHANGES: list[float] = []
IDLE = "!document.documentElement.classList.contains('shiny-busy')"
"""Shiny marks the page busy while the server computes outputs for it."""
WATCH = """() => {
  window.__idle = null;
  window.__clicked = performance.now();
  if (!window.__watching) {
    window.__watching = true;
    $(document).on("shiny:idle", () => {
      if (window.__idle === null) window.__idle = performance.now();
    });
  }
}"""

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"
)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, never a browser Playwright would download."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ["--no-sandbox"]}


@pytest.fixture(scope="module")
def app(tmp_path_factory):  # one server for every test of the module: it starts once
    """``icsim app`` on a free port, its results folder in a temporary folder; its URL."""
    folder = tmp_path_factory.mktemp("app")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    began = time.monotonic()
    server = subprocess.Popen(
        [sys.executable, "-m", "simulate", "app", "--port", str(port), "--results", "results"],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    for _ in range(300):
        try:
            urllib.request.urlopen(url, timeout=1).read()
            break
        except OSError:
            time.sleep(0.05)
    TIMES["app start (s)"] = round(time.monotonic() - began, 2)
    used = psutil.Process(server.pid).cpu_times()  # the wall time shares 2 cores with others
    TIMES["app start, the server's CPU (s)"] = round(used.user + used.system, 2)
    yield url, folder
    server.terminate()
    server.wait(10)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    changes = sorted(CHANGES)
    if changes:
        TIMES["page changes"] = len(changes)
        TIMES["page change, median (s)"] = changes[len(changes) // 2]
        TIMES["page change, slowest (s)"] = changes[-1]
    (ARTIFACTS / "times.json").write_text(json.dumps(TIMES, indent=1) + "\n")


def shot(page, name: str, full: bool = False) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full)


def go(page, tab: str, ready: str) -> None:
    """Change page and time it: until ``ready`` shows, or the server's answer if it sends one.

    A page's outputs are computed when it is shown; Shiny then marks the page busy and, when all
    have arrived, triggers ``shiny:idle``. The time is to the first idle after the click (waited
    for up to 2 s: a page with nothing to recompute sends none), or to ``ready`` if later.
    """
    page.wait_for_function(IDLE)  # earlier work is not this change's
    page.evaluate(WATCH)
    page.get_by_role("tab", name=tab).click()
    page.locator(ready).first.wait_for(state="visible")
    shown = page.evaluate("performance.now() - window.__clicked")
    try:
        page.wait_for_function("window.__idle !== null", timeout=2000)
        answered = page.evaluate("window.__idle - window.__clicked")
    except PlaywrightTimeout:
        answered = 0.0
    CHANGES.append(round(max(shown, answered) / 1000, 3))
    TIMES.setdefault(f"page change to {tab!r} (s)", CHANGES[-1])


def test_baseline_to_a_downloaded_report_and_the_same_cube_from_the_cli(app, page, tmp_path):
    url, folder = app
    page.set_viewport_size({"width": 1300, "height": 900})
    page.goto(url)
    page.select_option("#place_shipped", "tiny")
    page.get_by_text("Tiny place (tests): 16,000 registered patients").wait_for()
    shot(page, "1-place")

    go(page, "2 Scenario", "#sc_start")
    page.fill("#sc_name", "double-hub")
    page.get_by_role("button", name="hub — Extended access", exact=False).click()
    page.fill("#f_hub__minutes_per_1000_per_week", "60")
    page.locator("#sc-diff", has_text="hub.minutes_per_1000_per_week").wait_for()
    page.locator("#sc-valid").wait_for()
    shot(page, "hub-2-scenario")
    with page.expect_download() as saved:
        page.click("#sc_save")
    scenario = tmp_path / "double-hub.toml"
    saved.value.save_as(scenario)

    go(page, "3 Run", "#run_n")
    page.fill("#run_n", "2")
    page.fill("#run_length", "3")
    page.fill("#run_warmup", "1")
    began = time.monotonic()
    page.click("#run_go")
    page.locator("#run-words", has_text="running").wait_for()
    page.locator("#run_list li").wait_for()  # every tab lists it, from its folder
    shot(page, "hub-3-run-running")
    page.locator("#run-words", has_text="finished").wait_for(timeout=90_000)
    TIMES["run of 2 x 2 parts, shown finished (s)"] = round(time.monotonic() - began, 1)
    shot(page, "hub-3-run")

    began = time.monotonic()
    page.click("#run_results")  # the finished run's button opens its results
    page.locator("#res_run").wait_for()
    page.locator("#res-table table").wait_for(timeout=30_000)
    page.locator("#res_fan img").wait_for(timeout=30_000)
    assert "double-hub" in page.locator("p.headline").inner_text()
    assert "Hub appointments" in page.locator("#res-table").inner_text()
    page.locator("#res_plane img").wait_for(timeout=30_000)
    TIMES["results with two charts shown (s)"] = round(time.monotonic() - began, 1)
    shot(page, "hub-4-results", full=True)
    began = time.monotonic()
    with page.expect_download(timeout=60_000) as report:
        page.click("#res_dl_report")
    text = Path(report.value.path()).read_text(encoding="utf-8")
    TIMES["report made and downloaded (s)"] = round(time.monotonic() - began, 1)
    assert "<html" in text and "double-hub against baseline in Tiny place" in text

    run = next((folder / "results").glob("*-double-hub-*"))
    began = time.monotonic()
    _same_cube_from_the_cli(scenario, run, tmp_path / "cli")
    TIMES["the saved file run by icsim run (s)"] = round(time.monotonic() - began, 1)


def _same_cube_from_the_cli(scenario: Path, run: Path, out: Path) -> None:
    """``icsim run`` on the saved file gives the app's cube, number for number."""
    from simulate.results.cube import load

    subprocess.run(
        [
            sys.executable,
            "-m",
            "simulate",
            "run",
            str(ROOT / "scenarios" / "baseline.toml"),
            str(scenario),
            "--place",
            "tiny",
            *RUN,
            "--out",
            str(out),
            "-q",
        ],
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    ours, theirs = load(run / "cube.nc"), load(out / "cube.nc")
    assert ours.attrs["scenario_sha256"] == theirs.attrs["scenario_sha256"]
    ours.attrs, theirs.attrs = {}, {}
    assert ours.identical(theirs)


def csv_file(name: str, data: bytes) -> dict:
    return {"name": name, "mimeType": "text/csv", "buffer": data}


def import_practice_list(page, data: bytes, federations: str | None, beds: str = "40") -> None:
    """Open the import form, choose the CSV and fill in what the CSV does not say."""
    page.get_by_role("button", name="or import an NHS Digital practice list").click()
    page.set_input_files("#csv_upload", files=[csv_file("practices.csv", data)])
    page.locator("#csv_federations").wait_for()
    if federations is not None:
        page.wait_for_function("document.querySelector('#csv_federations').value !== ''")
        page.fill("#csv_federations", federations)
    page.fill("#csv_name", "Two federations")
    for box, value in (("cubicles", "3"), ("beds", beds), ("caseload", "45"), ("stepdown", "4")):
        page.fill(f"#csv_{box}", value)
    page.click("#csv_go")


def test_a_practice_list_in_two_federations_with_one_doubling_extended_access(app, page):
    """The tutorial's headline: the ``interventions.extended_access`` lever for F1 alone."""
    url, folder = app
    page.set_viewport_size({"width": 1300, "height": 1000})
    page.goto(url)
    page.locator("#place_shipped").wait_for()
    import_practice_list(page, CSV.read_bytes(), "F1: T01\nF2: T02")
    # the example CSV's lists: T01 3,000 and T02 5,000 persons
    page.get_by_text("Two federations: 8,000 registered patients").wait_for()
    assert page.locator("#place-problem").count() == page.locator("#csv-problem").count() == 0
    assert re.search(r"^T02 .* F2 ", page.locator("#place_summary").inner_text(), re.M)
    # the shipped-place list no longer says "default" while the imported place is in use
    page.wait_for_function("document.querySelector('#place_shipped').value === '(own)'")
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "1-place-import")
    with page.expect_download() as saved:
        page.click("#place_save")
    assert 'practice_csv = "practices.csv"' in Path(saved.value.path()).read_text()

    go(page, "2 Scenario", "#sc_start")
    page.fill("#sc_name", "ea-f1")
    page.get_by_role("button", name="interventions.extended_access", exact=False).click()
    page.check("#lever__interventions__extended_access")
    page.fill("#f_interventions__extended_access__federations", '["F1"]')
    page.fill("#f_interventions__extended_access__minutes_per_1000_per_week", "60")
    page.locator("#sc-diff", has_text="interventions.extended_access.federations").wait_for()
    page.locator("#sc-valid").wait_for()
    shot(page, "2-scenario", full=True)  # the difference and the check at the top, the lever below

    go(page, "3 Run", "#run_n")
    for box, value in (("n", "2"), ("length", "3"), ("warmup", "1")):
        page.fill(f"#run_{box}", value)
    page.click("#run_go")
    page.locator("#run-words", has_text="running").wait_for()
    page.locator("#run_list li").wait_for()
    shot(page, "3-run-running")
    page.locator("#run-words", has_text="finished").wait_for(timeout=90_000)
    shot(page, "3-run")
    page.click("#run_results")
    page.locator("#res-table table").wait_for(timeout=30_000)
    page.select_option("#res_by", "federation")
    table = page.locator("#res-table", has_text="F2")
    table.wait_for(timeout=30_000)
    page.locator("#res_fan img").wait_for(timeout=30_000)
    assert "ea-f1" in page.locator("p.headline").inner_text()
    hub = {row[1]: float(row[-1].rstrip("%")) for row in _rows(page, "Hub appointments")}
    # F1's hub minutes double and its appointments rise with them (+32% when written: demand,
    # not minutes, bounds them); F2's lever is untouched, so only noise moves it (+1% then)
    assert hub["F1"] > 15 and abs(hub["F2"]) < 10, hub
    shot(page, "4-results", full=True)
    with page.expect_download(timeout=60_000) as report:
        page.click("#res_dl_report")
    text = Path(report.value.path()).read_text(encoding="utf-8")
    assert "<html" in text and "ea-f1 against baseline in Two federations" in text
    assert next((folder / "results").glob("*-ea-f1-*/cube.nc")).is_file()


def _rows(page, outcome: str) -> list[list[str]]:
    """The cells of the results table's rows for ``outcome``."""
    rows = page.locator("#res-table tr", has_text=outcome)
    return [
        [c.strip() for c in rows.nth(i).locator("td").all_inner_texts()]
        for i in range(rows.count())
    ]


def test_a_malformed_place_is_a_message_on_the_page(app, page):
    url, _ = app
    page.set_viewport_size({"width": 1300, "height": 700})
    page.goto(url)
    page.locator("#place_shipped").wait_for()
    page.set_input_files(
        "#place_upload",
        files=[
            {
                "name": "broken.toml",
                "mimeType": "text/plain",
                "buffer": b"name = 'x'\n[[practices]\n",
            }
        ],
    )
    message = page.locator("#place-problem")
    message.wait_for()
    text = message.inner_text()
    assert "broken.toml" in text and "invalid TOML" in text
    assert "Traceback" not in page.content()
    shot(page, "5-bad-upload")

    default = (ROOT / "scenarios" / "places" / "default.toml").read_text()
    small_trust = re.sub(r"^beds = \d+", "beds = 300", default, flags=re.M).encode()
    page.set_input_files(
        "#place_upload",
        files=[{"name": "small-trust.toml", "mimeType": "text/plain", "buffer": small_trust}],
    )
    page.locator("#place-warnings", has_text="beds at").wait_for()
    assert page.locator("#place-problem").count() == 0
    shot(page, "6-overloaded-upload")

    broken = CSV.read_bytes().replace(b"5_9", b"5_11", 1)  # row 4 of the file
    import_practice_list(page, broken, None)
    page.locator("#csv-problem", has_text="practices.csv:4: row 4").wait_for()
    text = page.locator("#place-problem").inner_text()  # at the top of the page as well
    assert "age band '5_11' is not a five-year band" in text and "Traceback" not in text
    assert page.locator("#place-warnings", has_text="beds at").count() == 1  # place unchanged
    page.locator("#csv-problem").scroll_into_view_if_needed()
    shot(page, "7-bad-practice-list")
    for _ in range(2):  # a few more page changes, for their time
        go(page, "4 Results", "#res_run")
        go(page, "3 Run", "#run_n")
        go(page, "2 Scenario", "#sc_start")
        go(page, "1 Place", "#place_shipped")
