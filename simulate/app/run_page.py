"""The Run page: the draft scenario against the baseline, as ``icsim run`` runs it, watched live."""

from __future__ import annotations

import shutil
from pathlib import Path

from shiny import reactive, render, ui

from simulate.app import runs
from simulate.app.files import run_folder
from simulate.app.state import State
from simulate.errors import InputError
from simulate.shipped import shipped_dir


def page() -> ui.NavPanel:
    """The page's layout: ``icsim run``'s options on the left, progress on the right."""
    return ui.nav_panel(
        "3 Run",
        ui.layout_sidebar(
            ui.sidebar(
                ui.input_numeric("run_n", "Replications per scenario", 10, min=1, max=1000),
                ui.input_radio_buttons(
                    "run_span", "Length in", {"months": "months", "years": "years"}, inline=True
                ),
                ui.input_numeric("run_length", "How many", 12, min=1, max=600),
                ui.input_numeric("run_seed", "Root seed", 1, min=0),
                ui.input_numeric("run_warmup", "Warm-up months", 9, min=0, max=120),
                ui.input_numeric("run_workers", "Local workers (0: in one process)", 0, min=0),
                ui.input_text("run_scheduler", "or a dask scheduler address", ""),
                ui.input_action_button("run_go", "Run", class_="btn-primary"),
                width=320,
            ),
            ui.output_ui("run_what"),
            ui.input_select(
                "run_which", "Run folder (this tab's, or any unfinished run)", {}, width="100%"
            ),
            ui.output_ui("run_progress"),
            ui.div(
                ui.input_action_button("run_cancel", "Cancel", class_="btn-outline-danger"),
                ui.input_action_button("run_resume", "Resume", class_="btn-outline-primary"),
                class_="d-flex gap-2 mb-3",
            ),
            ui.h5("Unfinished runs (every tab; choose one above to watch or resume it)"),
            ui.output_ui("run_list"),
        ),
        value="run",
    )


def options(input) -> runs.Options:
    """The page's boxes as ``icsim run`` options."""
    length = int(input.run_length() or 12)
    return runs.Options(
        replications=int(input.run_n() or 1),
        months=length * 12 if input.run_span() == "years" else length,
        seed=int(input.run_seed() or 0),
        warmup_months=int(input.run_warmup() or 0),
        workers=int(input.run_workers() or 0) or None,
        scheduler=input.run_scheduler().strip() or None,
    )


def start(state: State, input) -> str:
    """Start the tab's draft against the shipped baseline; what to say if it cannot."""
    draft = state.scenario()
    if draft is None:
        return "The scenario is not valid yet: see the Scenario page."
    folder = runs.new_folder(state.root, draft.stem)
    copy = folder / draft.name
    shutil.copyfile(draft, copy)
    runs.start(folder, [shipped_dir() / "baseline.toml", copy], state.place(), options(input))
    state.run.set(folder)
    return ""


def server(input, state: State) -> None:
    """The page's reactions: start, cancel, resume, and progress once a second while running."""
    said = reactive.value("")

    @reactive.effect
    @reactive.event(input.run_go)
    def _go():
        said.set(start(state, input))

    @reactive.effect
    @reactive.event(input.run_cancel)
    def _cancel():
        folder = state.run()
        if folder is None or not runs.running(folder):
            said.set("That run is not running.")
        elif not runs.cancel(folder):
            said.set(
                "This app did not start that run, so it leaves it alone: stop it with "
                "Ctrl-C where it was started."
            )
        else:
            said.set("")

    @reactive.effect
    @reactive.event(input.run_resume)
    def _resume():
        folder = state.run()
        if folder is not None:
            runs.resume(folder)
            said.set("")

    @reactive.effect
    @reactive.event(input.run_results)
    def _to_results():
        ui.update_navset("page", selected="results")

    @render.ui
    def run_what():
        note = said()
        return ui.div(note, class_="alert alert-warning", id="run-note") if note else None

    _which(input, state)
    _progress(state)


def unfinished(root: Path) -> list[Path]:
    """Run folders the app started that have no cube yet (running or stopped), newest first."""
    found = [r.parent for r in root.glob("*/" + runs.RECORD)]
    return sorted((f for f in found if not (f / "cube.nc").exists()), reverse=True)


def _which(input, state: State) -> None:
    shown: dict = {}

    @reactive.effect
    def _choices():
        reactive.invalidate_later(2)
        mine = state.run()
        names = [f.name for f in unfinished(state.root)]
        if mine is not None and mine.name not in names:
            names.insert(0, mine.name)
        if names != shown.get("names"):
            shown["names"] = names
            chosen = mine.name if mine is not None else None
            ui.update_select("run_which", choices={n: n for n in names}, selected=chosen)

    @reactive.effect
    @reactive.event(input.run_which)
    def _pick():
        try:
            folder = run_folder(state.root, input.run_which())
        except InputError:
            return
        if (folder / runs.RECORD).is_file():
            state.run.set(folder)


def _progress(state: State) -> None:
    seen: dict = {}

    @render.ui
    def run_progress():
        folder = state.run()
        if folder is None:
            return ui.p("No run yet: choose the options and press Run.")
        now = runs.progress(folder)
        if now.state == "running":
            reactive.invalidate_later(1)
        elif now.state == "finished" and not seen.get(folder):
            seen[folder] = True
            state.finished.set(state.finished() + 1)
        bar = ui.tags.progress(
            value=now.done, max=max(now.total, 1), id="run-bar", style="width: 100%; height: 1.5em"
        )
        words = ui.p(now.words(), id="run-words", class_=f"run-{now.state}")
        more = []
        if now.state == "finished":
            more = [ui.input_action_button("run_results", "See the results", class_="btn-success")]
        return ui.div(bar, words, *more)

    @render.ui
    def run_list():
        reactive.invalidate_later(1)
        folders = unfinished(state.root)
        if not folders:
            return ui.p("None.")
        items = [ui.tags.li(ui.tags.code(f.name), " ", runs.progress(f).words()) for f in folders]
        return ui.tags.ul(*items)
