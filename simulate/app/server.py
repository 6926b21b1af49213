"""The app itself: the four pages in one Shiny app, and the server that serves it.

Each browser tab is a Shiny session with its own :class:`~simulate.app.state.State` and its own
work folder for its draft, removed when the tab closes; runs and uploads live in the results
folder, where every tab (and the command line) sees them.
"""

from __future__ import annotations

import secrets
import shutil
import threading
from pathlib import Path

from shiny import App, ui

from simulate.app import place_page, results_page, run_page, scenario_page
from simulate.app.state import State

STYLE = """
.accordion-button { padding: .4rem .8rem; } .form-group { margin-bottom: .2rem; }
pre.shiny-text-output { font-size: .78rem; } table { font-size: .85rem; }
p.headline { background: #e8edee; padding: .8em 1em; border-left: 5px solid #005eb8; }
#res-table table { border-collapse: collapse; margin: .5em 0 1em; }
#res-table th, #res-table td { border: 1px solid #d8dde0; padding: .2em .5em; }
#res-table th { background: #f0f4f5; } #res-table td.num { text-align: right; }
"""


def docs_dir() -> Path:
    """The repository's ``docs/`` (evidence cards); absent in a wheel, where cards are not shown."""
    return Path(__file__).resolve().parents[2] / "docs"


def make_app(root: Path) -> App:
    """The app, keeping runs, uploads and drafts under ``root`` (the results folder)."""
    root = root.resolve()
    page = ui.page_navbar(
        place_page.page(),
        scenario_page.page(),
        run_page.page(),
        results_page.page(),
        title="icsim",
        id="page",
        header=ui.tags.style(STYLE),
    )

    def server(input, output, session):
        warm_up(root)
        work = root / ".app" / secrets.token_hex(8)
        state = State(root=root, work=work)
        place_page.server(input, state)
        scenario_page.server(input, state, docs_dir())
        run_page.server(input, state)
        results_page.server(input, state)
        session.on_ended(lambda: shutil.rmtree(work, ignore_errors=True))

    return App(page, server)


_WARM = threading.Event()


def warm_up(root: Path) -> None:
    """Import the results' libraries (xarray, matplotlib) in the background; read the newest cube.

    Started when the first tab opens, not before the server answers (so the app starts fast),
    and long before a planner reaches the Results page, whose first view would otherwise wait
    for them.
    """
    if _WARM.is_set():
        return
    _WARM.set()

    def imports() -> None:
        import simulate.results.board  # noqa: F401
        import simulate.results.cube  # noqa: F401
        import simulate.results.figures  # noqa: F401
        import simulate.results.plots  # noqa: F401

        newest = results_page.finished(root)
        results_page.read_ahead(newest[0] if newest else None)

    threading.Thread(target=imports, name="icsim-warm-up", daemon=True).start()


def serve(root: Path, host: str, port: int) -> None:
    """Serve the app until Ctrl-C."""
    import uvicorn

    uvicorn.run(make_app(root), host=host, port=port, log_level="warning")
