"""A fixed corpus of hostile inputs: each one line on stderr naming the file, exit 2, quickly.

No Python exception name reaches the user, nothing hangs (FIFOs, devices, deep nesting), and a
refused run leaves no output behind.
"""

import os
import shutil
import subprocess
import sys

import pytest

from simulate.cli import main
from simulate.shipped import shipped_dir

PLACES = shipped_dir() / "places"
CSV = (PLACES / "example-practices.csv").read_text()
EXCEPTION_NAMES = ("Error", "Exception", "Traceback", "errno")


def one_line(capsys, code, argv, *names):
    assert main([str(a) for a in argv]) == code
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1, err
    assert not any(word in err[0] for word in EXCEPTION_NAMES), err[0]
    for name in names:
        assert str(name) in err[0], err[0]
    return err[0]


def place_with_csv(tmp_path, csv_bytes: bytes):
    for name in ("tiny.toml",):
        shutil.copy(PLACES / name, tmp_path / name)
    (tmp_path / "example-practices.csv").write_bytes(csv_bytes)
    return tmp_path / "tiny.toml"


def test_a_fifo_or_a_device_is_refused_without_waiting(tmp_path, capsys):
    fifo = tmp_path / "scenario.toml"
    os.mkfifo(fifo)
    one_line(capsys, 2, ["validate", fifo], fifo, "not a regular file")
    one_line(capsys, 2, ["validate", "/dev/zero"], "/dev/zero", "not a regular file")


def test_a_fifo_as_practice_csv_is_refused(tmp_path, capsys):
    place = place_with_csv(tmp_path, b"")
    (tmp_path / "example-practices.csv").unlink()
    os.mkfifo(tmp_path / "example-practices.csv")
    one_line(capsys, 2, ["validate", place], "example-practices.csv", "not a regular file")


def test_deeply_nested_arrays_are_bad_toml(tmp_path, capsys):
    deep = tmp_path / "deep.toml"
    deep.write_text("a = " + "[" * 900 + "]" * 900 + "\n")
    one_line(capsys, 2, ["validate", deep], deep, "invalid TOML")


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda t: t.replace(",FEMALE,0_4,90", ",FEMALE,0_4,²", 1).encode(), "not a count"),
        (lambda t: t.encode("utf-8").replace(b"ZZ1 1AA", b"ZZ1 \xff\xfeA", 1), "not UTF-8"),
        (lambda t: t + "x" * 200_000 + "\n", "not a readable CSV"),
    ],
)
def test_a_broken_practice_csv_names_the_file(tmp_path, capsys, change, says):
    text = change(CSV)
    place = place_with_csv(tmp_path, text if isinstance(text, bytes) else text.encode())
    one_line(capsys, 2, ["validate", place], "example-practices.csv", says)


def test_a_start_past_the_calendar_is_refused(tmp_path, capsys):
    text = (shipped_dir() / "baseline.toml").read_text()
    late = tmp_path / "late.toml"
    late.write_text(text.replace("start = 2019-04-01", "start = 9999-12-01", 1))
    one_line(capsys, 2, ["validate", late], late, "start")


def test_an_output_path_that_is_a_file_is_bad_input(tmp_path, capsys):
    taken = tmp_path / "taken"
    taken.write_text("mine")
    args = ["run", "--place", "tiny", "-n", "1", "--months", "1", "--out", taken, "-q"]
    one_line(capsys, 2, args, taken, "output folder")
    assert taken.read_text() == "mine"


def test_the_real_command_refuses_a_fifo_in_one_line(tmp_path):
    """The same refusal through the real command: exit 2, one line, within seconds."""
    fifo = tmp_path / "s.toml"
    os.mkfifo(fifo)
    done = subprocess.run(
        [sys.executable, "-m", "simulate", "run", str(fifo), "--out", str(tmp_path / "o")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1
    assert not (tmp_path / "o").exists()


def test_a_scenario_naming_what_its_place_lacks_is_refused_before_any_part(tmp_path, capsys):
    symphony = shipped_dir() / "symphony.toml"
    out = tmp_path / "out"
    args = ["run", shipped_dir() / "baseline.toml", symphony, "--place", "tiny", "-n", "1"]
    line = one_line(capsys, 2, [*args, "--months", "1", "--out", out, "-q"], symphony)
    assert "interventions.symphony.federations: no federation 'F3'" in line
    assert not out.exists()


def test_validate_checks_a_scenario_against_its_place(tmp_path, capsys):
    moved = tmp_path / "symphony.toml"
    moved.write_text(f'extends = "{shipped_dir() / "symphony.toml"}"\nplace = "tiny"\n')
    one_line(capsys, 2, ["validate", moved], moved, "no federation 'F3'")
