"""The scenario form: made from the schema, faithful to the file, checked as validate checks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from simulate.app.builder import check, differences, edited, shown, start_data, to_toml, value_of
from simulate.app.fields import form, literal, parse, source
from simulate.inputs.parameters import PARAMETERS
from simulate.inputs.scenario import load_scenario
from simulate.shipped import shipped_dir

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted(p.stem for p in shipped_dir().glob("*.toml"))


def untouched(base: dict) -> tuple[dict, set[str]]:
    """What the form's boxes hold for ``base`` before anyone types."""
    boxes, levers = {}, set()
    for section in form():
        present = value_of(base, tuple(section.name.split("."))) is not None
        if section.lever and present:
            levers.add(section.name)
        for field in section.fields:
            text = shown(base if present or not section.lever else {}, field)
            boxes[field.key] = text == "true" if field.widget == "bool" else text
    return boxes, levers


def test_every_parameter_and_lever_of_the_schema_is_a_field():
    keys = {f.location for s in form() for f in s.fields}
    assert set(PARAMETERS) <= keys  # every real-valued parameter, found by walking the schema
    levers = {s.name for s in form() if s.lever}
    from simulate.model.levers import KINDS

    assert levers == {f"interventions.{kind.name}" for kind in KINDS}  # every lever, none missed
    assert len(levers) >= 9
    hub = next(f for s in form() for f in s.fields if f.key == "hub.minutes_per_1000_per_week")
    assert hub.unit == "minutes per 1,000 registered patients per week"
    assert hub.allowed.startswith("at least 0")
    baseline = (shipped_dir() / "baseline.toml").read_text()
    assert "the national minimum, 30" in source([baseline], hub.location)


@pytest.mark.parametrize("start", SHIPPED)
def test_an_untouched_form_gives_back_the_scenario_it_started_from(start):
    base = start_data(shipped_dir() / f"{start}.toml")
    assert edited(base, form(), *untouched(base)) == base


def test_values_read_back_as_written():
    for value in (30, 0.15, [1.0, 2.5], {"dist": "triangular", "low": 1, "mode": 2, "high": 3}):
        assert parse(literal(value)) == value
    assert parse("abc") == "abc"  # a bare word is text, as --set reads it


def test_one_changed_lever_is_one_difference_and_a_file_that_runs_as_saved(tmp_path):
    base = start_data(shipped_dir() / "baseline.toml")
    boxes, levers = untouched(base)
    boxes["hub.minutes_per_1000_per_week"] = "60"
    data = edited(base, form(), boxes, levers)
    assert differences(base, data) == [("hub.minutes_per_1000_per_week", "30", "60")]
    path, problems, _ = check(to_toml(data, "double-hub", "baseline.toml"), "double-hub", tmp_path)
    assert problems == []
    scenario = load_scenario(path)
    assert scenario.name == "double-hub" and scenario.spec.hub.minutes_per_1000_per_week == 60


def test_a_lever_switched_on_untouched_takes_the_schemas_defaults_and_off_removes_it(tmp_path):
    base = start_data(shipped_dir() / "symphony.toml")
    boxes, levers = untouched(base)
    off = edited(base, form(), boxes, levers - {"interventions.symphony"})
    assert "symphony" not in off.get("interventions", {})
    on = edited(start_data(shipped_dir() / "baseline.toml"), form(), {}, {"interventions.mcp"})
    assert on["interventions"]["mcp"] == {}
    assert check(to_toml(on, "mcp-defaults", "baseline.toml"), "mcp-defaults", tmp_path)[1] == []


def test_the_page_shows_the_lines_icsim_validate_prints(tmp_path):
    base = start_data(shipped_dir() / "baseline.toml")
    boxes, levers = untouched(base)
    boxes["hub.minutes_per_1000_per_week"] = "-5"
    boxes["leavers.to_ae_share"] = "lots"
    text = to_toml(edited(base, form(), boxes, levers), "bad", "baseline.toml")
    path, problems, _ = check(text, "bad", tmp_path)
    printed = subprocess.run(
        [sys.executable, "-m", "simulate", "validate", path.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": ""},
    )
    assert printed.returncode == 2
    assert [f"icsim: {p}" for p in problems] == printed.stderr.splitlines()
    assert len(problems) == 2 and problems[0].startswith("bad.toml:")


def test_allowed_ranges_come_from_the_types():
    words = {f.key: f.allowed for s in form() for f in s.fields}
    assert words["demand.same_day_share"].startswith("a share, from 0 to 1")
    assert (
        words["demand.gp_requests_per_person_year_by_age"] == "8 values, each a number at least 0"
    )
    assert (
        words["interventions.variation.lookback_months"]
        == "a whole number at least 1 and at most 60"
    )


def test_a_distribution_and_a_phased_change_are_typed_as_in_a_file(tmp_path):
    base = start_data(shipped_dir() / "baseline.toml")
    boxes, levers = untouched(base)
    boxes["leavers.to_ae_share"] = '{dist = "triangular", low = 0.05, mode = 0.15, high = 0.3}'
    boxes["changes"] = (
        '[{key = "hub.minutes_per_1000_per_week", to = 60, start_month = 3, ramp_months = 6}]'
    )
    text = to_toml(edited(base, form(), boxes, levers), "phased", "baseline.toml")
    path, problems, _ = check(text, "phased", tmp_path)
    assert problems == []
    scenario = load_scenario(path)
    assert [key for (key, *_), _ in scenario.uncertain] == ["leavers"]
    assert scenario.spec_for_month(8).hub.minutes_per_1000_per_week == 60
    assert scenario.spec_for_month(2).hub.minutes_per_1000_per_week == 30


def test_every_lever_panel_has_its_evidence_cards_summary():
    from simulate.app.fields import card_title
    from simulate.app.server import docs_dir

    levers = [s.name for s in form() if s.lever]
    assert "interventions.extended_access" in levers
    assert [s for s in levers if not card_title(s, docs_dir())] == []
