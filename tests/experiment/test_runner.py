"""Running experiments at scale: executors agree, interrupted runs resume, foreign parts refused."""

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from conftest import BASELINE, EXTENDED_ACCESS

from simulate.cli import DEFAULT_SCENARIOS
from simulate.errors import InputError
from simulate.experiment.executors import Dask
from simulate.experiment.progress import Lines
from simulate.experiment.runner import Experiment, run
from simulate.inputs.scenario import load_scenario
from simulate.results.cube import load


def experiment(seed=3, replications=2, months=2):
    scenarios = tuple(load_scenario(f, ('place="tiny"',)) for f in (BASELINE, EXTENDED_ACCESS))
    return Experiment(scenarios, replications, seed, months, warmup_months=1)


def assert_same_data(a, b):
    assert list(a.data_vars) == list(b.data_vars)
    for name in a.data_vars:
        np.testing.assert_array_equal(a[name].values, b[name].values, err_msg=name)


def test_two_dask_workers_give_the_serial_cube(tmp_path):
    serial = run(experiment(), tmp_path / "serial", command="serial")
    parallel = run(experiment(), tmp_path / "dask", command="dask", executor=Dask(workers=2))
    assert_same_data(serial, parallel)
    assert serial.sizes["replication"] == 2 and serial.sizes["scenario"] == 2


def test_the_benchmarks_one_worker_of_two_takes_every_task():
    with Dask(workers=2) as cluster:
        assert cluster.workers == 2
        both = {pid for _, pid in cluster.map(_pid, range(8))}
        one = {pid for _, pid in cluster.map(_pid, range(8), on=1)}
    assert len(one) == 1 and os.getpid() not in one | both


def _pid(_) -> int:
    time.sleep(0.05)
    return os.getpid()


def test_a_part_of_another_seed_is_refused_in_one_line(tmp_path):
    run(experiment(seed=3, replications=1, months=1), tmp_path, command="first")
    with pytest.raises(InputError) as raised:
        run(experiment(seed=4, replications=1, months=1), tmp_path, command="other seed")
    message = str(raised.value)
    assert "\n" not in message and "different experiment" in message
    assert "root seed 3, this run 4" in message and message.startswith(str(tmp_path / "parts"))


def test_a_part_of_another_scenario_is_refused(tmp_path):
    run(experiment(replications=1, months=1), tmp_path, command="first")
    changed = tuple(
        load_scenario(f, ('place="tiny"', "hub.minutes_per_1000_per_week=50"))
        for f in (BASELINE, EXTENDED_ACCESS)
    )
    other = Experiment(changed, 1, 3, 1, warmup_months=1)
    with pytest.raises(InputError, match=r"different experiment \(scenario differ"):
        run(other, tmp_path, command="other scenario")


PARTS = 6 * len(DEFAULT_SCENARIOS)  # what icsim_run makes


def icsim_run(out, *extra):
    args = ["run", "--place", "tiny", "-n", "6", "--months", "1", "--warmup-months", "1"]
    return [sys.executable, "-m", "simulate", *args, "--seed", "11", "--out", str(out), *extra]


def test_a_killed_run_resumes_to_the_uninterrupted_cube(tmp_path):
    killed = tmp_path / "killed"
    process = subprocess.Popen(
        icsim_run(killed), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    while len(list((killed / "parts").glob("*.npz"))) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    finished = {p: p.stat().st_mtime_ns for p in (killed / "parts").glob("*.npz")}
    assert 3 <= len(finished) < PARTS and not (killed / "cube.nc").exists()

    resumed = subprocess.run(icsim_run(killed, "--quiet"), capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.stderr == "" and resumed.stdout == ""
    whole = subprocess.run(icsim_run(tmp_path / "whole", "--quiet"), capture_output=True)
    assert whole.returncode == 0
    assert {p: p.stat().st_mtime_ns for p in finished} == finished
    assert len(list((killed / "parts").glob("*.npz"))) == PARTS
    assert not list((killed / "parts").glob(".*.tmp"))
    assert_same_data(load(killed / "cube.nc"), load(tmp_path / "whole" / "cube.nc"))


def test_plain_progress_lines_say_parts_rate_and_time_left(tmp_path):
    log = tmp_path / "log.txt"
    with open(log, "w") as stream:
        lines = Lines(stream, every=0.0)
        lines(2, 10)
        time.sleep(0.05)
        lines(4, 10)
        lines(10, 10)
    text = log.read_text().splitlines()
    assert text[0] == "icsim: 2/10 parts already done (from an earlier run), 8 to run"
    assert text[1].startswith("icsim: 4/10 parts, ") and "parts/s" in text[1] and "left" in text[1]
    assert text[2].startswith("icsim: 10/10 parts") and " left" not in text[2]


def test_ctrl_c_on_a_dask_run_exits_130_keeping_finished_parts(tmp_path):
    out = tmp_path / "out"
    command = icsim_run(out, "--quiet", "--workers", "2")
    command[command.index("6")] = "40"
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while len(list((out / "parts").glob("*.npz"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr.strip().splitlines() == [
        "icsim: interrupted; finished parts are kept and a re-run resumes"
    ]
    assert 2 <= len(list((out / "parts").glob("*.npz"))) < 80 and not (out / "cube.nc").exists()


def test_parts_saved_as_netcdf_by_an_older_icsim_are_reused(tmp_path):
    from simulate.experiment.parts import read_part

    first = run(experiment(replications=2, months=1), tmp_path, command="first")
    part = tmp_path / "parts" / "baseline.r0001.npz"
    old = part.with_suffix(".nc")
    read_part(part).to_netcdf(old, engine="h5netcdf")
    part.unlink()
    again = run(experiment(replications=2, months=1), tmp_path, command="again")
    assert old.exists() and not part.exists()
    assert_same_data(first, again)
