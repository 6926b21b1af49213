"""The Results page: a run's headline in words, its tables, charts and downloads; past runs.

Everything shown is made by the functions ``icsim report`` uses (:mod:`simulate.results.board`,
:mod:`simulate.results.plots`); downloads go through :func:`simulate.app.files.download`, which
serves only the fixed files of one run folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import json
import threading
from functools import lru_cache
from pathlib import Path

from shiny import reactive, render, ui

from simulate.app import runs
from simulate.app.files import DOWNLOADS, download, run_folder
from simulate.app.state import State
from simulate.errors import InputError
from simulate.inputs.toml import tomllib

LABELS = {
    "report": "HTML report",
    "cube": "cube (netCDF)",
    "csv": "CSV table",
    "xlsx": "Excel workbook",
}


def page() -> ui.NavPanel:
    """The page's layout."""
    return ui.nav_panel(
        "4 Results",
        ui.layout_sidebar(
            ui.sidebar(
                ui.input_select("res_run", "Run", {}),
                ui.input_select(
                    "res_by",
                    "Break down by",
                    {
                        "": "the whole place",
                        "federation": "federation",
                        "practice": "practice",
                        "cohort": "number of long-term conditions",
                    },
                ),
                ui.h6("Downloads"),
                *[ui.download_button(f"res_dl_{k}", LABELS[k], class_="mb-1") for k in DOWNLOADS],
                width=320,
            ),
            ui.output_ui("res_headline"),
            ui.output_ui("res_table"),
            ui.h5("Over time (median, 50% and 95% bands over replications)"),
            ui.output_image("res_fan", height="auto"),
            ui.h5("Cost and effect"),
            ui.output_image("res_plane", height="auto"),
            ui.h5("Past runs in the results folder"),
            ui.output_ui("res_past"),
        ),
        value="results",
    )


def finished(root: Path) -> list[Path]:
    """Run folders with a cube, newest first."""
    return sorted((p.parent for p in root.glob("*/cube.nc")), key=lambda p: p.name, reverse=True)


def scenarios_of(folder: Path) -> list[str]:
    """The scenarios of a run, from the app's record or the parts' names (no cube is read)."""
    record = folder / runs.RECORD
    if record.is_file():
        return json.loads(record.read_text(encoding="utf-8")).get("scenarios", [])
    return sorted({p.name.split(".r")[0] for p in (folder / "parts").glob("*.r0000.*")})


@lru_cache(maxsize=4)
def _cube(path: Path, stamp: float):
    from simulate.results.cube import load

    return load(path)


_READING = threading.Lock()
"""One cube read at a time: the page waits for a read ahead rather than reading the cube again."""


def cube_of(folder: Path):
    """The run's cube, read once while the file is unchanged."""
    path = folder / "cube.nc"
    with _READING:
        return _cube(path, path.stat().st_mtime)


def read_ahead(folder: Path | None) -> None:
    """Read a run's cube into the cache in the background, before the Results page asks for it.

    Reading a cube takes seconds of CPU (h5netcdf opens each variable), which would otherwise be
    the Results page's first answer; started when a run finishes or the app opens, the read is
    done by the time the planner has pressed *See the results*.
    """
    if folder is None or not (folder / "cube.nc").is_file():
        return

    def read() -> None:
        from simulate.results.board import headline

        with contextlib.suppress(OSError, ValueError, KeyError):  # the page will say what is wrong
            cube = cube_of(folder)
            headline(cube, place_name(cube))  # its first call imports the statistics it uses

    threading.Thread(target=read, name="icsim-read-ahead", daemon=True).start()


def place_name(cube) -> str:
    """The place's name, from the cube's own record of its place file."""
    texts = json.loads(cube.attrs["place_toml"]).values()
    return ", ".join(sorted({tomllib.loads(t).get("name", "?") for t in texts}))


def figure(folder: Path, name: str) -> Path:
    """A figure of the report, drawn into the run's ``figures/`` unless already drawn."""
    from simulate.results.figures import FIGURES

    path = folder / "figures" / f"{name}.png"
    if not path.is_file() or path.stat().st_mtime < (folder / "cube.nc").stat().st_mtime:
        {f.__name__: f for f in FIGURES}[name](cube_of(folder), folder / "figures", folder.name)
    return path


def server(input, state: State) -> None:
    """The page's reactions."""

    @reactive.effect
    def _ahead():
        if state.finished():
            read_ahead(state.run())

    @reactive.effect
    def _choices():
        state.finished()
        if input.page() != "results" and not state.finished():
            return
        folders = finished(state.root)
        labels = {f.name: f"{f.name} ({', '.join(scenarios_of(f))})" for f in folders}
        mine = state.run()
        chosen = mine.name if mine is not None and mine.name in labels else None
        with reactive.isolate():
            current = input.res_run()
        ui.update_select("res_run", choices=labels, selected=chosen or current or None)

    @reactive.calc
    def folder() -> Path | None:
        if not input.res_run():
            return None
        try:
            return run_folder(state.root, input.res_run())
        except InputError:
            return None

    _views(input, folder)
    _downloads(input, state)
    _past(input, state)


def _views(input, folder) -> None:
    from simulate.results.board import annual_table, headline

    @render.ui
    def res_headline():
        if folder() is None:
            return ui.p("No finished run chosen yet.")
        cube = cube_of(folder())
        return ui.HTML(headline(cube, place_name(cube)))

    @render.ui
    def res_table():
        if folder() is None:
            return None
        table = annual_table(cube_of(folder()), None, input.res_by() or None)
        return ui.div(ui.HTML(table), id="res-table")

    @render.image
    def res_fan():
        if folder() is not None:
            path = figure(folder(), "fan_chart")
            return {"src": str(path), "width": "100%", "alt": "outcomes over time"}

    @render.image
    def res_plane():
        if folder() is not None:
            path = figure(folder(), "cost_effect_plane")
            return {"src": str(path), "style": "max-width: 640px", "alt": "cost-effect plane"}


def _downloads(input, state: State) -> None:
    def handler(what: str):
        def name() -> str:
            return f"{input.res_run()}-{DOWNLOADS[what]}"

        def _file():
            return str(download(state.root, input.res_run(), what))

        _file.__name__ = f"res_dl_{what}"  # the output id the page's button names
        return render.download_button(filename=name)(_file)

    for what in DOWNLOADS:
        handler(what)


def _past(input, state: State) -> None:
    @render.ui
    def res_past():
        state.finished()
        input.res_run()
        rows = []
        for f in finished(state.root):
            when = dt.datetime.fromtimestamp((f / "cube.nc").stat().st_mtime)
            names = html.escape(", ".join(scenarios_of(f)))
            rows.append(
                f"<tr><td><code>{html.escape(f.name)}</code></td><td>{names}</td>"
                f"<td>{when:%Y-%m-%d %H:%M}</td></tr>"
            )
        if not rows:
            return ui.p("No finished runs yet.")
        head = "<tr><th>run</th><th>scenarios</th><th>finished</th></tr>"
        return ui.HTML(f'<table class="table table-sm" id="res-past">{head}{"".join(rows)}</table>')
