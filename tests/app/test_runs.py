"""Runs from the app: two at once keep apart; a cancelled one resumes to the same cube."""

from __future__ import annotations

import time
from pathlib import Path

from simulate.app import runs
from simulate.results.cube import load
from simulate.shipped import shipped_dir

ROOT = Path(__file__).resolve().parents[2]
OPTIONS = runs.Options(replications=2, months=1, seed=3, warmup_months=1, report=False)


def test_two_runs_at_once_and_a_cancelled_one_resumed_give_the_same_cube(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    files = [shipped_dir() / "baseline.toml", shipped_dir() / "extended-access.toml"]
    first, second = runs.new_folder(tmp_path, "a"), runs.new_folder(tmp_path, "b")
    assert first != second
    runs.start(first, files, "tiny", OPTIONS)
    runs.start(second, files, "tiny", OPTIONS)
    deadline = time.monotonic() + 120
    while runs.parts_done(first) < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert runs.cancel(first)
    assert runs.wait(first, 60) in (130, -2)
    stopped = runs.progress(first)
    assert stopped.state == "stopped" and 1 <= stopped.done < stopped.total == 4
    assert runs.wait(second, 120) == 0 and runs.progress(second).state == "finished"

    runs.resume(first)
    assert runs.progress(first).state == "running"
    assert runs.wait(first, 120) == 0
    assert runs.progress(first).words() == "finished: 4/4 parts"
    assert "already done (from an earlier run)" in (first / runs.LOG).read_text()
    one, two = load(first / "cube.nc"), load(second / "cube.nc")
    assert one.attrs["scenario_sha256"] == two.attrs["scenario_sha256"]
    one.attrs, two.attrs = {}, {}
    assert one.identical(two)
    assert not (first / "report.html").exists()  # asked for none


def test_a_job_writes_the_report_after_the_cube_unless_told_not_to(tmp_path, monkeypatch):
    from simulate.app import job

    called = []
    monkeypatch.setattr("simulate.cli.main", lambda argv: called.append(argv) or 0)
    assert job.main(["run", "b.toml", "--out", "x"]) == 0
    assert called == [["run", "b.toml", "--out", "x"], ["report", "x"]]
    called.clear()
    assert job.main([job.NO_REPORT, "run", "--out", "x"]) == 0
    assert called == [["run", "--out", "x"]]


def test_the_command_is_icsim_runs_own():
    argv = runs.command([Path("b.toml"), Path("s.toml")], "tiny", OPTIONS, Path("out"))
    assert argv == [
        "run", "b.toml", "s.toml", "--place", "tiny", "-n", "2", "--months", "1",
        "--seed", "3", "--warmup-months", "1", "--out", "out",
    ]  # fmt: skip
    with_workers = runs.Options(workers=2)
    assert runs.command([], "tiny", with_workers, Path("o"))[-2:] == ["--workers", "2"]
