"""Runs started from the app: each one an ``icsim run`` process writing its own run folder.

A run from the page is the command itself, started as a child process with the options the page
gave (:func:`start`; then ``icsim report``, :mod:`simulate.app.job`), so it is the same experiment
the command line runs, resumes as it resumes and writes the same cube. Its folder holds
``app-run.json`` (the command, the parts it will make) and the process's output; progress is read
from the parts the run has saved (:func:`progress`), so any tab, and a page opened again later,
sees every run in progress. Each
run has a folder of its own, and the command's lock on that folder keeps two processes apart, so
two tabs running at once cannot touch each other's parts. Cancelling sends the process Ctrl-C:
finished parts are kept and :func:`resume` runs the same command again, which resumes.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from simulate.app.job import NO_REPORT
from simulate.experiment.lock import HOLDER
from simulate.experiment.parts import SUFFIX

RECORD, LOG = "app-run.json", "run.log"


@dataclass(frozen=True)
class Options:
    """What the Run page asks: the CLI's options for ``icsim run``."""

    replications: int = 10
    months: int = 12
    seed: int = 1
    warmup_months: int = 9
    workers: int | None = None
    scheduler: str | None = None
    report: bool = True
    """Write the report once the cube is written (the Results page then finds its figures)."""


def command(files: list[Path], place: str, options: Options, out: Path) -> list[str]:
    """The ``icsim run`` argument list for these scenario files and options."""
    args = [*map(str, files), "--place", place, "-n", str(options.replications)]
    args += ["--months", str(options.months), "--seed", str(options.seed)]
    args += ["--warmup-months", str(options.warmup_months), "--out", str(out)]
    if options.workers:
        args += ["--workers", str(options.workers)]
    elif options.scheduler:
        args += ["--scheduler", options.scheduler]
    return ["run", *args]


_CHILDREN: dict[Path, subprocess.Popen] = {}
"""Runs this app process started, by folder: the only processes it ever signals."""


def new_folder(root: Path, name: str) -> Path:
    """A fresh run folder under ``root``: time first (so folders sort), then a random tail."""
    stamp = f"{dt.datetime.now():%Y%m%d-%H%M%S}"
    folder = root / f"{stamp}-{name}-{secrets.token_hex(3)}"
    folder.mkdir(parents=True)
    return folder


def start(folder: Path, files: list[Path], place: str, options: Options) -> None:
    """Start ``icsim run`` into ``folder`` (which holds the scenario files) in the background."""
    argv = command(files, place, options, folder)
    job = argv if options.report else [NO_REPORT, *argv]
    record = {"argv": job, "parts": len(files) * options.replications, "place": place}
    record["scenarios"] = [Path(f).stem for f in files]
    (folder / RECORD).write_text(json.dumps(record, indent=1), encoding="utf-8")
    _spawn(folder, job)


def _spawn(folder: Path, argv: list[str]) -> None:
    log = (folder / LOG).open("ab")
    child = subprocess.Popen(  # a new session: Ctrl-C in the app's terminal is not sent to it
        [sys.executable, "-m", "simulate.app.job", *argv],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()
    child.started = (time.monotonic(), parts_done(folder))  # type: ignore[attr-defined]
    _CHILDREN[folder.resolve()] = child


def resume(folder: Path) -> None:
    """Run the folder's command again: it finds its finished parts and runs only the rest."""
    record = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    if not running(folder) and not (folder / "cube.nc").exists():
        _spawn(folder, record["argv"])


def cancel(folder: Path) -> bool:
    """Send Ctrl-C to the run this app started in ``folder``; whether there was one to stop."""
    child = _CHILDREN.get(folder.resolve())
    if child is None or child.poll() is not None:
        return False
    child.send_signal(signal.SIGINT)
    return True


def parts_done(folder: Path) -> int:
    """Parts saved so far (each is written atomically, so a file here is a finished part)."""
    parts = folder / "parts"
    return sum(1 for _ in parts.glob(f"*{SUFFIX}")) if parts.is_dir() else 0


def running(folder: Path) -> bool:
    """Whether a run is writing ``folder``: our child alive, or another process holding its lock."""
    child = _CHILDREN.get(folder.resolve())
    if child is not None:
        return child.poll() is None
    try:  # a run started by another app or command: its holder line names the process
        pid = int((folder / HOLDER).read_text().split()[1])
        os.kill(pid, 0)
    except (OSError, ValueError, IndexError):
        return False
    return True


@dataclass(frozen=True)
class Progress:
    """Where a run is: parts done of all, time left, and its state in a word."""

    done: int
    total: int
    state: str
    """``running``, ``finished``, ``stopped`` (cancelled or interrupted: it resumes) or
    ``failed``."""
    seconds_left: float | None = None
    message: str = ""

    def words(self) -> str:
        """The progress as one line for the page."""
        left = ""
        if self.seconds_left is not None:
            left = f", about {max(1, round(self.seconds_left))} s left"
        extra = f": {self.message}" if self.message else ""
        if self.state == "running" and self.done == self.total:
            left, extra = "", "; writing the cube and the report"
        return f"{self.state}: {self.done}/{self.total} parts{left}{extra}"


def progress(folder: Path) -> Progress:
    """The run's progress, from its parts, its process and the last line it printed."""
    record = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    done, total = parts_done(folder), record["parts"]
    if running(folder):
        return Progress(done, total, "running", _left(folder, done, total))
    if (folder / "cube.nc").is_file():
        return Progress(done, total, "finished")
    child = _CHILDREN.get(folder.resolve())
    last = last_line(folder)
    if child is not None and child.returncode not in (0, 130, -signal.SIGINT):
        return Progress(done, total, "failed", message=last)
    return Progress(done, total, "stopped", message="finished parts are kept; Resume runs the rest")


def _left(folder: Path, done: int, total: int) -> float | None:
    child = _CHILDREN.get(folder.resolve())
    if child is None:
        return None
    began, first = child.started  # type: ignore[attr-defined]
    computed, elapsed = done - first, time.monotonic() - began
    return (total - done) * elapsed / computed if computed > 0 else None


def last_line(folder: Path) -> str:
    """The last line the run's process printed (its one-line error, when it failed)."""
    try:
        lines = (folder / LOG).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    lines = [x for x in lines if x.strip()]
    return lines[-1].removeprefix("icsim: ")[:300] if lines else ""


def wait(folder: Path, timeout: float) -> int | None:
    """Wait for this app's run in ``folder`` to end; its exit code (None: not ours, or still on)."""
    child = _CHILDREN.get(folder.resolve())
    if child is None:
        return None
    try:
        return child.wait(timeout)
    except subprocess.TimeoutExpired:
        return None
