"""``icsim --help`` stays fast: the command line imports no heavy library until a command runs.

The app's web framework, the cube's xarray, the model's NumPy and the cluster's dask are each
imported by the command that needs them, inside its ``main``; a module-level import of any of
them in a command module would make every ``icsim`` call wait for it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("shiny", "uvicorn", "starlette", "xarray", "numpy", "dask", "matplotlib", "pydantic")


def imported(code: str, modules: tuple[str, ...]) -> list[str]:
    """Which of ``modules`` a fresh Python has imported after running ``code``."""
    probe = f"import sys; {code}; print(' '.join(m for m in {modules!r} if m in sys.modules))"
    found = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT), "PATH": ""},
    )
    return found.stdout.split()


def test_the_parser_imports_no_heavy_library():
    assert imported("from simulate.cli import parser; parser().format_help()", HEAVY) == []


def test_icsim_app_help_says_where_it_listens():
    shown = subprocess.run(
        [sys.executable, "-m", "simulate", "app", "--help"],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT), "PATH": ""},
    ).stdout
    assert "default 127.0.0.1" in shown and "--port" in shown


def test_a_replication_imports_no_scipy_stats_or_linalg_until_it_needs_them():
    """scipy.stats and scipy.linalg take about 1-2 s each to import; a hybrid run uses neither."""
    assert imported("import simulate.experiment.runner", ("scipy.stats", "scipy.linalg")) == []
