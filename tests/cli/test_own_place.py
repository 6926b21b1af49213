"""A planner's own place: paths typed on the command line, and a place read from a practice CSV."""

import shutil

from test_cli import icsim

from simulate.shipped import shipped_dir

PLACES = shipped_dir() / "places"
QUICK = ("-n", "1", "--months", "1", "--warmup-months", "0", "-q")


def _own_place(folder, csv_name="example-practices.csv"):
    """The tiny place under the planner's own name, its practice list renamed too."""
    folder.mkdir(parents=True, exist_ok=True)
    text = (PLACES / "tiny.toml").read_text()
    (folder / "my-place.toml").write_text(text.replace("example-practices.csv", csv_name))
    shutil.copy(PLACES / "example-practices.csv", folder / csv_name)
    return folder / "my-place.toml"


def test_place_on_the_command_line_is_relative_to_the_current_folder(tmp_path):
    """Defect 1: ``--place my-place.toml`` was looked for beside the scenario file."""
    _own_place(tmp_path)
    baseline = shipped_dir() / "baseline.toml"
    result = icsim(
        "run", baseline, "--place", "my-place.toml", *QUICK, "--out", "out", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "cube.nc").is_file()
    for command in (("validate", "my-place.toml"), ("place", "my-place.toml")):
        assert icsim(*command, cwd=tmp_path).returncode == 0


def test_reproduce_finds_or_is_told_the_practice_csv(tmp_path):
    """Defect 2: reproducing a run whose place reads a CSV failed ("cannot read practice CSV")."""
    place = _own_place(tmp_path / "planner", "my-list.csv")
    run = tmp_path / "run"
    baseline = shipped_dir() / "baseline.toml"
    assert icsim("run", baseline, "--place", place, *QUICK, "--out", run).returncode == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    lost = icsim("reproduce", run, "--out", tmp_path / "again", cwd=elsewhere)
    assert lost.returncode == 2 and "--practice-csv" in lost.stderr and "my-list.csv" in lost.stderr
    found = icsim(
        "reproduce",
        run,
        "--out",
        tmp_path / "again",
        "--practice-csv",
        place.parent / "my-list.csv",
    )
    assert found.returncode == 0 and found.stdout.startswith("identical"), found.stderr
    changed = place.parent / "changed.csv"
    changed.write_text((place.parent / "my-list.csv").read_text() + "\n")
    wrong = icsim("reproduce", run, "--out", tmp_path / "third", "--practice-csv", changed)
    assert wrong.returncode == 2 and "differs from the practice list" in wrong.stderr
