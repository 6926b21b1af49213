"""The Place page: a shipped place or an uploaded file, summarised as ``icsim place`` prints it."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from shiny import reactive, render, ui

from simulate.app.files import accept_place, read_place_as_cli
from simulate.app.state import State
from simulate.errors import InputError
from simulate.shipped import shipped_dir


def shipped_places() -> dict[str, str]:
    """The shipped places by name (``tiny``, ``default``), smallest file first."""
    found = sorted((shipped_dir() / "places").glob("*.toml"), key=lambda p: p.stat().st_size)
    return {p.stem: p.stem for p in found}


def page() -> ui.NavPanel:
    """The page's layout."""
    return ui.nav_panel(
        "1 Place",
        ui.layout_sidebar(
            ui.sidebar(
                ui.input_select(
                    "place_shipped", "A shipped place", shipped_places(), selected="default"
                ),
                ui.input_file(
                    "place_upload",
                    "or your own place file (.toml), with its practice-list CSV if it names one",
                    accept=[".toml", ".csv"],
                    multiple=True,
                ),
                ui.p(
                    "Uploaded files are read and checked as icsim place and icsim validate "
                    "read them; they are never run.",
                    class_="small text-muted",
                ),
                width=320,
            ),
            ui.output_ui("place_message"),
            ui.h4(ui.output_text("place_title")),
            ui.output_ui("place_lead"),
            ui.output_ui("place_warnings"),
            ui.output_code("place_summary"),
        ),
        value="place",
    )


@lru_cache(maxsize=16)
def _summary(reference: str, stamp: float) -> tuple[str, tuple[str, ...]]:
    """``icsim place``'s text and warnings for a place (``stamp``: the file's time, a cache key)."""
    from simulate.cli.common import overload_warnings
    from simulate.inputs.scenario import load_scenario
    from simulate.model.describe import describe

    place = read_place_as_cli(reference)
    baseline = load_scenario(shipped_dir() / "baseline.toml")
    return describe(place, baseline), tuple(overload_warnings([place], baseline))


def summary(reference: str) -> tuple[str, tuple[str, ...]]:
    """The summary of a place reference, from the cache while its file is unchanged."""
    path = Path(reference)
    return _summary(reference, path.stat().st_mtime if path.is_file() else 0.0)


def server(input, state: State) -> None:
    """The page's reactions."""
    problem = reactive.value("")

    @reactive.effect
    @reactive.event(input.place_shipped)
    def _shipped():
        state.place.set(input.place_shipped())
        problem.set("")

    @reactive.effect
    @reactive.event(input.place_upload)
    def _uploaded():
        given = [(u["name"], Path(u["datapath"]).read_bytes()) for u in input.place_upload()]
        try:
            state.place.set(str(accept_place(given, state.root / "uploads")))
            problem.set("")
        except InputError as error:
            problem.set("\n".join(str(p) for p in error.problems))

    _views(state, problem)


def _views(state: State, problem) -> None:
    @render.ui
    def place_message():
        if not problem():
            return None
        lines = [ui.tags.div(line) for line in problem().splitlines()]
        return ui.div(
            ui.tags.b("This place file cannot be used (the place below is unchanged):"),
            *lines,
            class_="alert alert-danger",
            id="place-problem",
        )

    @render.text
    def place_title():
        reference = state.place()
        if reference.endswith(".toml"):  # an upload, stored as <name>-<hash>/<name>.toml
            return f"Place: {Path(reference).name} (uploaded)"
        return f"Place: {reference}"

    @render.ui
    def place_warnings():
        try:
            _, warnings = summary(state.place())
        except InputError:
            return None
        if not warnings:
            return None
        items = [ui.tags.li(w) for w in warnings]
        return ui.div(
            ui.tags.b("Overloaded: "),
            ui.tags.ul(*items),
            class_="alert alert-warning",
            id="place-warnings",
        )

    @render.ui
    def place_lead():
        try:
            return ui.p(summary(state.place())[0].split("\n", 1)[0], id="place-lead")
        except InputError as error:
            return ui.div(str(error), class_="alert alert-danger")

    @render.code
    def place_summary():
        try:
            return summary(state.place())[0].split("\n", 1)[1].strip("\n")
        except InputError:
            return ""
