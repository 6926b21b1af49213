"""A planner's own place: a path typed on the command line, and a place read from a practice CSV."""

import shutil

from test_cli import icsim

from simulate.shipped import shipped_dir

PLACES = shipped_dir() / "places"
QUICK = ("-n", "1", "--months", "1", "--warmup-months", "0", "-q")


def test_own_place_runs_from_its_folder_and_reproduces_with_its_csv(tmp_path):
    """Defect 1: ``--place my-place.toml`` was looked for beside the scenario file.

    Defect 2: reproducing a run whose place reads a CSV failed ("cannot read practice CSV").
    """
    planner = tmp_path / "planner"
    planner.mkdir()
    text = (PLACES / "tiny.toml").read_text().replace("example-practices.csv", "my-list.csv")
    (planner / "my-place.toml").write_text(text)
    shutil.copy(PLACES / "example-practices.csv", planner / "my-list.csv")
    baseline = shipped_dir() / "baseline.toml"
    run = tmp_path / "run"
    result = icsim("run", baseline, "--place", "my-place.toml", *QUICK, "--out", run, cwd=planner)
    assert result.returncode == 0, result.stderr
    assert icsim("validate", "my-place.toml", cwd=planner).returncode == 0

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    lost = icsim("reproduce", run, "--out", tmp_path / "again", cwd=elsewhere)
    assert lost.returncode == 2 and "--practice-csv" in lost.stderr
    assert "my-list.csv" in lost.stderr
    csv = planner / "my-list.csv"
    found = icsim("reproduce", run, "--out", tmp_path / "again", "--practice-csv", csv)
    assert found.returncode == 0 and found.stdout.startswith("identical"), found.stderr
    changed = planner / "changed.csv"
    changed.write_text(csv.read_text() + "\n")
    wrong = icsim("reproduce", run, "--out", tmp_path / "third", "--practice-csv", changed)
    assert wrong.returncode == 2 and "differs from the practice list" in wrong.stderr
