"""What several commands do alike: exit codes, reading a cube, naming a run, a progress bar.

Kept free of heavy imports: every command module imports this to build the parser, and
``icsim --help`` should not wait for xarray or dask.
"""

from __future__ import annotations

import datetime as dt
import json
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


def place_argument(reference: str) -> str:
    """A place named on the command line: a ``.toml`` path made absolute from the current folder.

    Paths typed on the command line are relative to where the user stands; paths written inside a
    file are relative to that file. A ``--place`` becomes a key of each scenario, where a relative
    path would be read beside the scenario file, so it is made absolute here. A shipped name
    (``tiny``) stays a name.
    """
    if reference.endswith(".toml"):
        return str(Path(reference).expanduser().resolve())
    return reference


def _place_override(override: str) -> str:
    """``--set place=...`` read like ``--place``: a path relative to the current folder."""
    key, _, value = override.partition("=")
    if key.strip() != "place":
        return override
    bare = value.strip().strip("\"'")
    return f"place={json.dumps(place_argument(bare))}" if bare.endswith(".toml") else override


def scenario_overrides(args) -> tuple[str, ...]:
    """``--set`` values, then ``--place`` as one more, so the place wins over the scenario's."""
    given = tuple(_place_override(o) for o in args.overrides)
    if not args.place:
        return given
    return (*given, f"place={json.dumps(place_argument(args.place))}")


def warn(lines: list[str]) -> None:
    """Each line as a warning on stderr: things a planner should know that do not stop the run."""
    for line in lines:
        print(f"icsim: warning: {line}", file=sys.stderr)


def overload_warnings(places, scenario) -> list[str]:
    """Warnings before a run: overloaded capacities, projections that would empty a band.

    Of each distinct place, at ``scenario``'s rates (see :mod:`simulate.model.describe`).
    """
    from simulate.model.describe import migration_warnings
    from simulate.model.describe import overload_warnings as of_place

    found: list[str] = []
    for place in places:
        warnings = of_place(place, scenario) + migration_warnings(place, scenario)
        found += [w for w in warnings if w not in found]
    return found


def default_out(suffix: str) -> Path:
    """``results/<time>-<suffix>``: a new folder per run that sorts by when it was made."""
    return Path("results") / f"{dt.datetime.now():%Y%m%d-%H%M%S}-{suffix}"


@contextmanager
def progress_bar(quiet: bool, then: str = "writing the cube") -> Iterator:
    """The parts' progress bar (None when quiet), closed however the run ends."""
    from simulate.experiment.progress import reporter

    progress = reporter(quiet, then=then)
    try:
        yield progress
    finally:
        if progress:
            progress.close()


ONE_SCENARIO = (
    "holds one scenario, so there is nothing to compare: run it beside another "
    "(icsim run BASELINE.toml SCENARIO.toml), or read its own numbers with icsim export"
)


def load_cube(path: Path, baseline: str | None = None, compared: bool = False):
    """The cube at ``path`` (a run folder or a .nc file) and its file, checked to be readable.

    Checked here, before a command does anything, so that a wrong path or ``--baseline`` is one
    line and exit 2 rather than a traceback from deep in xarray. A command that ``compared``
    scenarios needs two of them: a cube of the baseline alone has no difference to show.
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
    if compared and cube.sizes["scenario"] < 2:
        raise InputError(ONE_SCENARIO, file=path)
    return path, cube
