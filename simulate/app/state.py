"""What one browser tab has chosen so far, shared by its pages: place, scenario, run."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from shiny import reactive


@dataclass
class State:
    """One tab's choices; every tab (session) has its own, so tabs never share a draft or a run.

    ``root`` is the results folder (runs, uploads, drafts); ``work`` this tab's own folder for
    its draft scenario file.
    """

    root: Path
    work: Path
    place: reactive.Value = field(default_factory=lambda: reactive.value("default"))
    scenario: reactive.Value = field(default_factory=lambda: reactive.value(None))
    """The draft scenario file, when it validates (else None)."""
    run: reactive.Value = field(default_factory=lambda: reactive.value(None))
    """The run folder this tab started or chose last."""
    finished: reactive.Value = field(default_factory=lambda: reactive.value(0))
    """Counts runs that finished in this tab, so the list of past runs refreshes."""
