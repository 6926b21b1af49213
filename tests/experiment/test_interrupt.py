"""Ctrl-C as a terminal sends it (SIGINT to the whole process group) ends a run within seconds.

One line on stderr, exit 130, finished parts kept, no worker process left behind, at whatever
moment it comes: while importing, while the local cluster starts, or while parts run.
"""

import contextlib
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ONE_LINE = ["icsim: interrupted; finished parts are kept and a re-run resumes"]


def start(out, *extra):
    args = ["run", "--place", "tiny", "-n", "40", "--months", "1", "--warmup-months", "1"]
    command = [sys.executable, "-m", "simulate", *args, "--out", str(out), "-q", *extra]
    return subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, like a job on a terminal
    )


def ctrl_c(process) -> tuple[float, str]:
    """SIGINT to the group; the seconds until the command exited, and its stderr."""
    sent = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)
    try:
        _, stderr = process.communicate(timeout=20)
    finally:
        _kill_group(process.pid)
    return time.monotonic() - sent, stderr


def _kill_group(group: int) -> list[str]:
    """Kill what is left of the group; the command lines of what was."""
    left = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == group and fields[0] != "Z":
                left.append((stat.parent / "cmdline").read_text().replace("\0", " ")[:120])
        except (OSError, IndexError, ValueError):
            continue
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signal.SIGKILL)
    return left


def _group(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def _children(pid: int) -> int:
    """How many child processes ``pid`` has (started by any of its threads)."""
    count = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            count += f"PPid:\t{pid}\n" in status.read_text()
        except OSError:
            continue
    return count


def assert_stopped_cleanly(process, seconds, stderr, out):
    assert process.returncode == 130, stderr
    assert stderr.splitlines() == ONE_LINE
    assert seconds < 10
    deadline = time.monotonic() + 2  # the resource tracker leaves once the run has gone
    while _group(process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _kill_group(process.pid), "a process of the run outlived it"
    assert not (out / "cube.nc").exists()


def test_ctrl_c_to_the_group_while_parts_run(tmp_path):
    out = tmp_path / "out"
    process = start(out, "--workers", "2")
    deadline = time.monotonic() + 120
    while len(list((out / "parts").glob("*.npz"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    seconds, stderr = ctrl_c(process)
    assert_stopped_cleanly(process, seconds, stderr, out)
    assert len(list((out / "parts").glob("*.npz"))) >= 2


@pytest.mark.parametrize("children", [1, 2])
def test_ctrl_c_to_the_group_while_the_cluster_starts(tmp_path, children):
    """As the resource tracker (1), then the fork server of the workers (2) start."""
    out = tmp_path / "out"
    process = start(out, "--workers", "2")
    deadline = time.monotonic() + 60
    while _children(process.pid) < children and time.monotonic() < deadline:
        time.sleep(0.002)
    seconds, stderr = ctrl_c(process)
    assert_stopped_cleanly(process, seconds, stderr, out)


@pytest.mark.parametrize("after", [0.1, 0.3])
def test_ctrl_c_while_importing(tmp_path, after):
    out = tmp_path / "out"
    process = start(out)
    time.sleep(after)
    seconds, stderr = ctrl_c(process)
    assert_stopped_cleanly(process, seconds, stderr, out)


SWALLOWED = """
import os, signal, time
from simulate.experiment.interrupts import Interrupts

Interrupts.grace = 1.0
with Interrupts(raising=True):
    try:  # a library that catches everything, as some imports do
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(5)
    except BaseException:
        pass
    time.sleep(30)  # the command runs on, as if no one had pressed Ctrl-C
"""


def test_a_swallowed_ctrl_c_still_ends_the_command_after_the_grace():
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", SWALLOWED], capture_output=True, text=True, timeout=20
    )
    assert done.returncode == 130
    assert done.stderr.splitlines() == ONE_LINE
    assert 1.0 <= time.monotonic() - started < 10


def test_distributed_stays_quiet_in_the_commands_process_once_a_cluster_has_run():
    """Its import sets its loggers to INFO and WARNING; icsim's own level must come after it."""
    probe = (
        "import logging; from simulate.experiment.executors import Dask\n"
        "with Dask(workers=1): pass\n"
        "names = ('distributed', 'distributed.batched', 'distributed.client', 'distributed.gc')\n"
        "print(' '.join(str(logging.getLogger(n).getEffectiveLevel()) for n in names))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(logging.CRITICAL)] * 4
