"""The Scenario page: every key of the schema as a field, checked live as ``icsim validate`` does.

The form is generated from the schema (:func:`simulate.app.fields.form`) and filled from the
scenario the planner starts from. Each change re-writes the draft file and checks it; the page
shows the check's lines, the difference from the baseline, and offers the file for download: the
same file the Run page runs.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from shiny import reactive, render, ui

from simulate.app.builder import check, differences, edited, shown, start_data, to_toml
from simulate.app.fields import Field, Section, card_title, form, source
from simulate.app.state import State
from simulate.errors import InputError
from simulate.shipped import shipped_dir

NAME = re.compile(r"^[A-Za-z0-9_.\-]+$")
CHOSEN_ELSEWHERE = ("name", "place")
"""Keys not in the form: the name has its own box, the place is the Place page's choice."""


def starts() -> dict[str, str]:
    """Shipped scenarios a planner may start from, the baseline first."""
    names = sorted(p.stem for p in shipped_dir().glob("*.toml"))
    return {n: n for n in ["baseline", *[n for n in names if n != "baseline"]]}


def page() -> ui.NavPanel:
    """The page's layout: the choices and the check on the left, the form on the right."""
    return ui.nav_panel(
        "2 Scenario",
        ui.layout_sidebar(
            ui.sidebar(
                ui.input_select("sc_start", "Start from", starts()),
                ui.input_text("sc_name", "Name of your scenario", "my-scenario"),
                ui.output_ui("sc_status"),
                ui.download_button("sc_save", "Save the scenario file (.toml)"),
                ui.p("icsim run on the saved file gives the same cube.", class_="small"),
                width=380,
            ),
            ui.h5("Difference from the baseline"),
            ui.output_ui("sc_diff"),
            ui.h5("Every key of the scenario"),
            ui.output_ui("sc_form"),
        ),
        value="scenario",
    )


@lru_cache(maxsize=32)
def _texts(start: str) -> tuple[str, ...]:
    """The shipped files to look for a key's source comment in: the start's first."""
    files = [shipped_dir() / f"{start}.toml", shipped_dir() / "baseline.toml"]
    files += sorted(shipped_dir().glob("*.toml"))
    return tuple(dict.fromkeys(f.read_text(encoding="utf-8") for f in files if f.is_file()))


@lru_cache(maxsize=32)
def _start(start: str) -> dict:
    return start_data(shipped_dir() / f"{start}.toml")


def lever_id(section: Section) -> str:
    """The input id of a lever's on/off switch."""
    return "lever__" + section.name.replace(".", "__")


def _box(field: Field, data: dict, texts: tuple[str, ...]):
    """One field: its box, and beneath it its unit, allowed range and source."""
    label = field.location[-1]
    value = shown(data, field)
    if field.widget == "bool":
        box = ui.input_checkbox(field.id, label, value == "true")
    elif field.widget == "choice":
        box = ui.input_select(field.id, label, list(field.choices), selected=value or None)
    else:
        box = ui.input_text(field.id, label, value, width="100%")
    facts = " · ".join(x for x in (field.unit, field.allowed) if x)
    notes = [ui.div(facts, class_="small text-muted")] if facts else []
    if said := source(list(texts), field.location):
        notes.append(ui.div("Source: " + said, class_="small text-secondary"))
    return ui.div(box, *notes, class_="mb-2")


def _panel(section: Section, data: dict, texts: tuple[str, ...], docs):
    title = section.name
    if card := card_title(section.name, docs):
        title = f"{section.name} — {card}"
    head = []
    if section.lever:
        on = _has(data, section.name)
        head = [ui.input_checkbox(lever_id(section), "Switch this lever on", on)]
    fields = [f for f in section.fields if f.key not in CHOSEN_ELSEWHERE]
    values = data if not section.lever or _has(data, section.name) else {}
    return ui.accordion_panel(
        title, *head, *[_box(f, values, texts) for f in fields], value=section.name
    )


def _has(data: dict, dotted: str) -> bool:
    for part in dotted.split("."):
        if not isinstance(data, dict) or part not in data:
            return False
        data = data[part]
    return True


def _boxes(input) -> tuple[dict, set[str]]:
    """What the form's boxes hold now, and which levers are switched on."""
    boxes, levers = {}, set()
    for section in form():
        if section.lever and lever_id(section) in input and input[lever_id(section)]():
            levers.add(section.name)
        for field in section.fields:
            if field.id in input:
                boxes[field.key] = input[field.id]()
    return boxes, levers


def server(input, state: State, docs) -> None:
    """The page's reactions: the form follows the start; every change is checked."""

    @render.ui
    def sc_form():
        start = input.sc_start()
        data, texts = _start(start), _texts(start)
        panels = [_panel(s, data, texts, docs) for s in form()]
        return ui.accordion(*panels, id="sc_sections", open=False, multiple=True)

    @reactive.calc
    def draft():
        start = input.sc_start()
        boxes, levers = _boxes(input)
        data = edited(_start(start), form(), boxes, levers)
        data["place"] = state.place()
        name = input.sc_name().strip()
        return name, data, to_toml(data, name, f"{start}.toml")

    @reactive.calc
    def checked():
        name, data, text = draft()
        if not NAME.match(name):
            return None, ["name: letters, digits, '.', '_' and '-' only"], []
        if name == "baseline":
            return None, ["name: must differ from the baseline's, which runs beside it"], []
        try:
            return check(text, name, state.work)
        except InputError as error:  # the check itself could not run: say so, as a line
            return None, [str(p) for p in error.problems], []

    _outputs(input, state, draft, checked)


def _outputs(input, state: State, draft, checked) -> None:
    @reactive.effect
    def _valid():
        path, problems, _ = checked()
        state.scenario.set(None if problems else path)

    @render.ui
    def sc_status():
        _, problems, warnings = checked()
        if problems:
            lines = [ui.tags.li(p) for p in problems]
            return ui.div(
                ui.tags.b("Not valid:"),
                ui.tags.ul(*lines),
                class_="alert alert-danger",
                id="sc-problems",
            )
        notes = [ui.tags.li("warning: " + w) for w in warnings]
        return ui.div(
            ui.tags.b("Valid: "),
            "icsim validate says ok.",
            ui.tags.ul(*notes),
            class_="alert alert-success",
            id="sc-valid",
        )

    @render.ui
    def sc_diff():
        rows = differences(_start("baseline"), draft()[1])
        if not rows:
            return ui.p("The same as the baseline.", id="sc-diff-none")
        body = "".join(
            f"<tr><td><code>{html.escape(k)}</code></td><td>{html.escape(b)}</td>"
            f"<td>{html.escape(s)}</td></tr>"
            for k, b, s in rows
        )
        head = "<tr><th>key</th><th>baseline</th><th>your scenario</th></tr>"
        return ui.HTML(f'<table class="table table-sm" id="sc-diff">{head}{body}</table>')

    @render.download_button(filename=lambda: f"{input.sc_name().strip() or 'scenario'}.toml")
    def sc_save():
        yield draft()[2]
