"""Where the files shipped with icsim are: the ``scenarios/`` folder of scenarios and places.

The wheel carries ``scenarios/`` inside the package (``simulate/scenarios``, see pyproject.toml);
an editable install reads it from the repository, beside the package. Several layers need it (a
place name resolves to a shipped place file, the command line runs the shipped scenarios, a
report reads the sources the shipped baseline cites), so it sits at the top of the package, beside
:mod:`simulate.errors`, and imports nothing of icsim.
"""

from __future__ import annotations

from pathlib import Path


def shipped_dir() -> Path:
    """The shipped ``scenarios/`` folder (inside the wheel, or beside the package when editable)."""
    package = Path(__file__).resolve().parent  # simulate/
    inside = package / "scenarios"
    return inside if inside.is_dir() else package.parent / "scenarios"
