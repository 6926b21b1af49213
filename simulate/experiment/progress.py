"""Progress of a run: a bar on a terminal, plain lines in a log, nothing when asked to be quiet.

On a terminal, rich draws parts done, the rate and the time left, and clears up after itself. When
stderr is a file or a pipe (a batch job's log), the same facts are printed as plain lines, at most
one every few seconds and always the last, so logs stay readable. Rates count only parts computed
in this run: parts found from an earlier run are reported as done but do not inflate the rate.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    if seconds >= 60:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds}s"


THEN = "writing the cube"
"""What a run does once its parts are done, said as the bar reaches 100%."""


def opening(done: int, total: int) -> str:
    """The first line: how many parts there are to run, and how many an earlier run left."""
    if done == 0:
        return f"{total} parts to run"
    if done == total:
        return f"all {total} parts already done (from an earlier run)"
    return f"{done}/{total} parts already done (from an earlier run), {total - done} to run"


class Lines:
    """Plain progress lines for logs."""

    def __init__(self, stream: TextIO, every: float = 5.0, then: str = THEN):
        self.stream, self.every, self.then = stream, every, then
        self.started = self.last = None
        self.first = 0

    def __call__(self, done: int, total: int) -> None:
        """Report ``done`` of ``total`` parts (the first call says how many were already done)."""
        now = time.monotonic()
        if self.started is None:
            self.started, self.first, self.last = now, done, now
            print(f"icsim: {opening(done, total)}", file=self.stream, flush=True)
            return
        if done < total and now - self.last < self.every:
            return
        self.last = now
        computed, elapsed = done - self.first, now - self.started
        rate = computed / elapsed if elapsed > 0 else 0.0
        left = (
            f", about {_duration((total - done) / rate)} left" if rate > 0 and done < total else ""
        )
        then = f"; {self.then}" if done == total and self.then else ""
        print(
            f"icsim: {done}/{total} parts, {rate:.2f} parts/s, {_duration(elapsed)} elapsed"
            f"{left}{then}",
            file=self.stream,
            flush=True,
        )

    def close(self) -> None:
        """Nothing to clean up."""


class Bar:
    """A rich progress bar: parts done, rate, time left."""

    def __init__(self, stream: TextIO, then: str = THEN):
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.progress = Progress(
            TextColumn("{task.fields[doing]}"),
            BarColumn(),
            MofNCompleteColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("elapsed,"),
            TimeRemainingColumn(),
            TextColumn("left"),
            console=Console(file=stream),
            transient=True,
        )
        self.then = then
        self.task = None
        self.started, self.first = 0.0, 0

    def __call__(self, done: int, total: int) -> None:
        """Move the bar to ``done`` of ``total`` parts."""
        now = time.monotonic()
        if self.task is None:
            self.progress.start()
            self.started, self.first = now, done
            self.task = self.progress.add_task(
                "parts", total=total, completed=done, rate=opening(done, total), doing="running"
            )
            return
        rate = (done - self.first) / max(now - self.started, 1e-9)
        doing = self.then if done == total and self.then else "running"
        self.progress.update(
            self.task, total=total, completed=done, rate=f"{rate:.2f} parts/s", doing=doing
        )

    def close(self) -> None:
        """Remove the bar."""
        self.progress.stop()


def reporter(quiet: bool, stream: TextIO | None = None, then: str = THEN):
    """The progress callback for this stream: a bar on a terminal, lines otherwise, or none.

    ``then`` is what follows the last part (shown at 100%, so a long cube write is not silence).
    """
    if quiet:
        return None
    stream = stream or sys.stderr
    return Bar(stream, then) if stream.isatty() else Lines(stream, then=then)


def status(text: str, quiet: bool = False, stream: TextIO | None = None) -> None:
    """One line saying what a command is doing, for work without parts (figures, a report)."""
    stream = stream or sys.stderr
    if not quiet and stream.isatty():
        print(f"icsim: {text}", file=stream, flush=True)
