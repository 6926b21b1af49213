"""The Place page: a shipped place, an uploaded file or an NHS Digital practice list, described.

Whichever way the place comes, it is read by the command line's reader and summarised as
``icsim place`` prints it, with the same warnings for an overloaded place.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from shiny import reactive, render, ui

from simulate.app.files import accept_place, accept_practice_list, read_place_as_cli, uploaded
from simulate.app.practice_import import Form, codes_in, federation_lines
from simulate.app.state import State
from simulate.errors import InputError
from simulate.shipped import shipped_dir

OWN = "(own)"
"""The shipped-place list's entry while an uploaded or imported place is in use."""


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
                ui.accordion(
                    ui.accordion_panel("or import an NHS Digital practice list", *_import_form()),
                    id="place_import",
                    open=False,
                ),
                ui.p(
                    "Uploaded files are read and checked as icsim place and icsim validate "
                    "read them; they are never run.",
                    class_="small text-muted",
                ),
                ui.output_ui("place_save_box"),
                width=340,
            ),
            ui.output_ui("place_message"),
            ui.h4(ui.output_text("place_title")),
            ui.output_ui("place_lead"),
            ui.output_ui("place_warnings"),
            ui.output_code("place_summary"),
        ),
        value="place",
    )


def _import_form() -> list:
    """The practice-list CSV and what it does not say (docs/how-to/import-practice-lists.md)."""
    number = {"value": None, "width": "100%"}
    return [
        ui.input_file(
            "csv_upload", "Patients Registered at a GP Practice, quinary age", accept=[".csv"]
        ),
        ui.input_text("csv_name", "Name of the place", "My place"),
        ui.input_text_area(
            "csv_federations",
            "Federations: one a line, its code, a colon, its practices' codes",
            placeholder="F1: A81001 A81002\nF2: A81003",
            rows=3,
            width="100%",
        ),
        ui.input_numeric("csv_deprivation", "IMD quintile of every practice (1 most deprived)", 3),
        ui.input_numeric("csv_gp_rate", "GP FTE per 100,000 registered (52-62)", 57.8),
        ui.input_numeric("csv_nurse_rate", "Practice nurse FTE per 100,000 (23-30)", 27),
        ui.input_text("csv_trust", "Acute trust's name", "Acute trust"),
        ui.input_numeric("csv_cubicles", "A&E treatment cubicles", **number),
        ui.input_numeric("csv_beds", "General and acute beds (KH03)", **number),
        ui.input_numeric("csv_caseload", "Community nursing caseload (patients)", **number),
        ui.input_numeric("csv_stepdown", "Step-down beds", **number),
        ui.input_action_button("csv_go", "Make the place", class_="btn-primary"),
        ui.output_ui("csv_message"),
    ]


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
    imported = reactive.value(False)  # whether the problem shown is the import form's

    @reactive.effect
    @reactive.event(input.place_shipped)
    def _shipped():
        if input.place_shipped() == OWN:  # the entry an upload put there: nothing to choose
            return
        state.place.set(input.place_shipped())
        problem.set("")

    @reactive.effect
    @reactive.event(input.place_upload)
    def _uploaded():
        _accept(lambda: accept_place(uploaded(input.place_upload()), state.root / "uploads"))

    def _accept(make, by_form: bool = False) -> None:
        imported.set(by_form)
        try:
            state.place.set(str(make()))
            problem.set("")
            # the list said "default" while an upload was in use: it now says whose place it is
            own = {OWN: "your own place (in use)", **shipped_places()}
            ui.update_select("place_shipped", choices=own, selected=OWN)
        except InputError as error:
            problem.set("\n".join(str(p) for p in error.problems))

    _importer(input, state, _accept)
    _views(state, problem)
    _save(state)

    @render.ui
    def csv_message():  # beside the form's button too, where the planner is looking
        return _problem(problem(), "csv-problem") if imported() else None


def _importer(input, state: State, accept) -> None:
    """The practice-list form: its federations box filled from the CSV, then the place made."""

    @reactive.effect
    @reactive.event(input.csv_upload)
    def _listed():
        files = uploaded(input.csv_upload())
        if files and not input.csv_federations().strip():
            lines = federation_lines(codes_in(files[0][1]))
            ui.update_text_area("csv_federations", value=lines)

    @reactive.effect
    @reactive.event(input.csv_go)
    def _import():
        form = Form(
            name=input.csv_name(),
            federations=input.csv_federations(),
            deprivation_quintile=input.csv_deprivation(),
            gp_fte_per_100k=input.csv_gp_rate(),
            nurse_fte_per_100k=input.csv_nurse_rate(),
            trust=input.csv_trust(),
            ae_cubicles=input.csv_cubicles(),
            beds=input.csv_beds(),
            nursing_caseload=input.csv_caseload(),
            stepdown_beds=input.csv_stepdown(),
        )
        files = uploaded(input.csv_upload())
        accept(lambda: accept_practice_list(form, files, state.root / "uploads"), True)


def _problem(text: str, id: str):
    """Each problem in one red line, or nothing."""
    if not text:
        return None
    return ui.div(
        ui.tags.b("This place cannot be used (the place in use is unchanged):"),
        *[ui.tags.div(line) for line in text.splitlines()],
        class_="alert alert-danger mt-2",
        id=id,
    )


def _views(state: State, problem) -> None:
    @render.ui
    def place_message():
        return _problem(problem(), "place-problem")

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


def _save(state: State) -> None:
    """An uploaded or imported place's file, to keep and to run with ``icsim run --place``."""

    @render.ui
    def place_save_box():
        if not state.place().endswith(".toml"):
            return None
        return ui.download_button("place_save", "Save this place file (.toml)")

    @render.download(filename=lambda: Path(state.place()).name)
    def place_save():
        yield Path(state.place()).read_text(encoding="utf-8")
