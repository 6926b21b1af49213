"""What several commands do alike: exit codes, reading a cube, naming a run, a progress bar.

Kept free of heavy imports: every command module imports this to build the parser, and
``icsim --help`` should not wait for xarray or dask.
"""

from __future__ import annotations

import datetime as dt
import shlex
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from simulate.errors import InputError
from simulate.safe_text import one_line

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130


def print_problems(error: InputError) -> None:
    """Each problem of ``error`` as its own line on stderr, the form every bad input takes."""
    for problem in error.problems:  # one line each, whatever a key or value holds
        print(f"icsim: {one_line(str(problem))}", file=sys.stderr)


def failure(error: BaseException) -> str:
    """A failure while running as one plain sentence: no class name, no second line."""
    if isinstance(error, MemoryError):
        text = "not enough memory"
    elif isinstance(error, OSError) and error.strerror:
        text = error.strerror
        if error.filename is not None:
            text = f"{error.filename}: {text}"
    else:
        text = str(error) or "an internal error (ICSIM_DEBUG=1 shows where)"
    return one_line(" ".join(text.split()))


def command_line(argv: list[str]) -> str:
    """The command as typed, for the cube's provenance (so ``icsim reproduce`` can show it)."""
    return shlex.join(["icsim", *argv])


def scenario_overrides(args) -> tuple[str, ...]:
    """``--set`` values, then ``--place`` as one more, so the place wins over the scenario's."""
    return tuple(args.overrides) + ((f'place="{args.place}"',) if args.place else ())


def default_out(suffix: str) -> Path:
    """``results/<time>-<suffix>``: a new folder per run that sorts by when it was made."""
    return Path("results") / f"{dt.datetime.now():%Y%m%d-%H%M%S}-{suffix}"


@contextmanager
def progress_bar(quiet: bool) -> Iterator:
    """The parts' progress bar (None when quiet), closed however the run ends."""
    from simulate.experiment.progress import reporter

    progress = reporter(quiet)
    try:
        yield progress
    finally:
        if progress:
            progress.close()


def load_cube(path: Path, baseline: str | None = None):
    """The cube at ``path`` (a run folder or a .nc file) and its file, checked to be readable.

    Checked here, before a command does anything, so that a wrong path or ``--baseline`` is one
    line and exit 2 rather than a traceback from deep in xarray.
    """
    from simulate.results.cube import load

    path = path / "cube.nc" if path.is_dir() else path
    if not path.is_file():
        raise InputError("no cube here", file=path)
    try:
        cube = load(path)
    except (OSError, ValueError) as error:
        raise InputError(f"not a readable cube: {error}", file=path) from None
    if baseline and baseline not in cube.scenario.values:
        raise InputError(f"no scenario {baseline!r} in the cube", file=path, key="--baseline")
    return path, cube
