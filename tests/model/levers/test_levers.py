"""Interventions: each lever moves its target the documented way; off and not-yet-started are exact.

Runs are paired (same seed, same replication), so the baseline and the lever see the same patients
and the same random numbers until the lever acts; magnitudes are large here so one short run on the
tiny place shows the direction without flaking.
"""

import datetime as dt

import numpy as np
import pytest
from conftest import BASELINE

from simulate.errors import InputError
from simulate.inputs.scenario import load_scenario
from simulate.model.clock import Clock
from simulate.model.levers import Levers
from simulate.model.levers.base import funnel_outside, ramp
from simulate.model.place import load_place
from simulate.model.replication import run_replication
from simulate.model.streams import Streams
from simulate.results.providers import practice_variation
from simulate.shipped import shipped_dir

CLOCK = Clock(dt.date(2019, 4, 1), months=4, warmup_months=1)


def run(*overrides, place=None, seed=11, clock=CLOCK):
    place = place or load_place("tiny")
    scenario = load_scenario(BASELINE, ('place="tiny"', *overrides))
    return run_replication(scenario, place, clock, Streams(seed, 0))


@pytest.fixture(scope="module")
def base():
    return run()


def total(data, name, **where):
    return float(data[name].sel(**where).sum())


def identical(a, b, months=slice(None)):
    """Names of the variables that differ between ``a`` and ``b`` in ``months``."""
    return [
        name
        for name in a.data_vars
        if not np.array_equal(
            a[name].isel(month=months).values, b[name].isel(month=months).values, equal_nan=True
        )
    ]


SYMPHONY = (
    'interventions.symphony.practices="all"',
    "interventions.symphony.enrol_share=1.0",  # everyone in the cohorts (capped at eligible)
    "interventions.symphony.hazard_relative_change=-0.5",
    "interventions.symphony.gp_requests_relative_change=-0.3",
    "interventions.symphony.case_manager_fte=1000.0",  # no caseload limit
    "interventions.symphony.case_manager_cost_gbp_per_fte_year=32000.0",
    "interventions.symphony.learning_months=0.01",  # learned at once
)


def test_symphony_cuts_admissions_and_gp_requests_of_the_complex_cohorts(base):
    lever = run(*SYMPHONY)
    complex_ = {"cohort": ["3", "4+"]}
    assert total(lever, "emergency_admissions", **complex_) < 0.8 * total(
        base, "emergency_admissions", **complex_
    )
    assert total(lever, "gp_requests", **complex_) < 0.8 * total(base, "gp_requests", **complex_)
    # the other cohorts are not enrolled: their requests are drawn the same way
    assert total(lever, "gp_requests", cohort="0") == pytest.approx(
        total(base, "gp_requests", cohort="0"), rel=0.02
    )
    assert total(lever, "intervention_cost", cohort="0") == 0
    assert total(lever, "intervention_cost", **complex_) > 0
    cost = lever["cost"] - base["cost"]
    assert float(cost.sum()) != 0
    assert set(lever.practice_provider.values) == {"Tiny Trust"}
    assert set(base.practice_provider.values) == {"practice"}


def test_mcp_cuts_admissions_and_stays_and_holds_a_capitated_budget(base):
    lever = run(
        'interventions.mcp.federations=["F1"]',
        "interventions.mcp.enrol_share=1.0",
        "interventions.mcp.hazard_relative_change=-0.5",
        "interventions.mcp.case_manager_fte=1000.0",
        "interventions.mcp.learning_months=0.01",
        "interventions.mcp.length_of_stay_relative_change=-0.5",
        "interventions.mcp.capitated_budget_gbp_per_head_year=1200.0",
        "interventions.mcp.team_cost_gbp_per_head_year=9.0",
    )
    assert total(lever, "emergency_admissions") < 0.8 * total(base, "emergency_admissions")
    assert total(lever, "excess_bed_days") < 0.8 * total(base, "excess_bed_days")
    heads = load_place("tiny").list_sizes
    assert lever.capitated_budget.isel(month=0).values == pytest.approx(heads * 100.0)
    assert set(lever.practice_provider.values) == {"MCP"}


def test_back_office_adds_appointments_and_shortens_waits(base):
    lever = run(
        'interventions.at_scale.practices="all"',
        "interventions.at_scale.gp_time_released_share=0.2",
    )
    assert total(lever, "gp_capacity") == pytest.approx(1.2 * total(base, "gp_capacity"), rel=0.01)
    assert total(lever, "gp_appointments") > total(base, "gp_appointments")
    assert total(lever, "gp_wait_days_sum") < total(base, "gp_wait_days_sum")


def test_merged_practices_pool_their_appointments_by_demand(base):
    # with the workforce stocks held still, pooling moves appointments but makes none
    still = "dynamics.coupled=false"
    lever = run('interventions.at_scale.mergers=[["T01", "T02", "T03"]]', still)
    base = run(still)
    pair = {"practice": ["T01", "T02", "T03"]}
    assert total(lever, "gp_capacity", **pair) == pytest.approx(
        total(base, "gp_capacity", **pair), abs=10
    )
    # T01 is short of GPs on purpose: pooling moves appointments to it
    assert total(lever, "gp_capacity", practice="T01") > total(base, "gp_capacity", practice="T01")
    left = ("gp_overflow_hub", "gp_overflow_ae", "gp_abandoned")
    assert sum(total(lever, n, practice="T01") for n in left) < sum(
        total(base, n, practice="T01") for n in left
    )


def test_primary_care_home_team_adds_capacity_at_a_cost(base):
    lever = run(
        'interventions.primary_care_home.federations=["F1"]',
        "interventions.primary_care_home.mdt_fte_per_10000=3.0",
        "interventions.primary_care_home.mdt_appointments_per_fte_day=16.0",
        "interventions.primary_care_home.mdt_cost_gbp_per_fte_year=50000.0",
    )
    assert total(lever, "gp_capacity") > 1.1 * total(base, "gp_capacity")
    assert total(lever, "gp_wait_days_sum") < total(base, "gp_wait_days_sum")
    assert total(lever, "intervention_cost") > 0


def _varied_place(tmp_path):
    text = (shipped_dir() / "places" / "tiny.toml").read_text()
    csv = shipped_dir() / "places" / "example-practices.csv"
    text = text.replace('practice_csv = "example-practices.csv"', f'practice_csv = "{csv}"')
    text += "\n[variation]\nemergency_admission_sd_log = 0.6\noutpatient_referral_sd_log = 0.6\n"
    path = tmp_path / "varied.toml"
    path.write_text(text)
    return load_place(str(path))


def test_variation_programme_narrows_the_spread_between_practices(tmp_path):
    place = _varied_place(tmp_path)
    clock = Clock(dt.date(2019, 4, 1), months=6, warmup_months=1)
    base = run(place=place, clock=clock)
    lever = run(
        'interventions.variation.practices="all"',
        "interventions.variation.funnel_limit=0.95",
        "interventions.variation.gap_closed_share=1.0",
        place=place,
        clock=clock,
    )
    for name in ("emergency_admissions", "outpatient_referrals"):
        assert float(practice_variation(lever, name)) < float(practice_variation(base, name))
    # no practice is named good or bad: the outputs carry codes only, as every cube does
    assert "outlier" not in " ".join(lever.coords)


def test_funnel_limits_on_a_hand_computed_case():
    # overall ratio 1 (400 observed, 400 expected); at expected 100 the 95% limits are
    # 1 ± 1.96 × sqrt(1/100) = 0.804 to 1.196 and the 99.8% ones 0.691 to 1.309
    expected = np.array([100.0, 100.0, 100.0, 100.0])
    observed = np.array([125.0, 110.0, 85.0, 80.0])
    assert funnel_outside(observed, expected, 0.95).tolist() == [True, False, False, False]
    assert funnel_outside(observed, expected, 0.998).tolist() == [False] * 4
    both = funnel_outside(observed, expected, 0.95, sides="both")
    assert both.tolist() == [True, False, False, True]


def test_ramp_is_off_before_the_start_then_linear():
    assert [ramp(m, 2, 4) for m in range(-1, 8)] == [0, 0, 0, 0.25, 0.5, 0.75, 1, 1, 1]
    assert [ramp(m, 0, 0) for m in (-1, 0, 5)] == [0, 1, 1]


def test_resident_commissioning_reaches_residents_whatever_their_practice():
    place = load_place("tiny")
    by_list = load_scenario(BASELINE, ('place="tiny"', 'interventions.mcp.localities=["SOUTH"]'))
    by_home = load_scenario(
        BASELINE,
        (
            'place="tiny"',
            'interventions.mcp.localities=["SOUTH"]',
            'interventions.commissioning="resident"',
        ),
    )
    expected = {
        k: np.ones(place.registered.shape)
        for k in ("gp_requests", "emergency_admissions", "outpatient_referrals")
    }
    listed = Levers(by_list.spec.interventions, place, expected, 35.7).levers["mcp"].reach
    living = Levers(by_home.spec.interventions, place, expected, 35.7).levers["mcp"].reach
    assert listed[:2].max() == 0 and listed[2].min() == 1  # T03 is the SOUTH practice
    assert 0 < living[:2].mean() < 0.3 and 0.7 < living[2].mean() < 1


def test_a_lever_at_zero_magnitude_gives_the_baseline_exactly(base):
    zero = run(
        'interventions.symphony.practices="all"',
        'interventions.mcp.federations=["F1"]',
        'interventions.at_scale.practices="all"',
        'interventions.primary_care_home.practices="all"',
        'interventions.variation.practices="all"',
        "interventions.variation.funnel_limit=0.95",
    )
    assert identical(base, zero) == []


def test_a_delay_of_d_months_leaves_months_before_d_as_the_baseline(base):
    delayed = run(*SYMPHONY, "interventions.symphony.start_month=2")
    assert identical(base, delayed, slice(0, 2)) == []
    assert "emergency_admissions" in identical(base, delayed, slice(2, None))


def test_unknown_codes_are_input_errors():
    with pytest.raises(InputError, match="no federation 'F9'"):
        run('interventions.mcp.federations=["F9"]')


@pytest.mark.parametrize("path", sorted(shipped_dir().glob("*.toml")), ids=lambda p: p.stem)
def test_every_shipped_scenario_validates_and_runs(path):
    scenario = load_scenario(path)
    place = load_place(scenario.spec.place, path.parent)
    clock = Clock(scenario.spec.start, months=1, warmup_months=0)
    outcomes = run_replication(scenario, place, clock, Streams(1, 0))
    assert float(outcomes.gp_appointments.sum()) > 0
    assert (outcomes.cost >= outcomes.intervention_cost).all()


def test_cube_shows_who_runs_each_practice_and_one_budget(tmp_path):
    from simulate.experiment.runner import Experiment
    from simulate.experiment.runner import run as run_experiment
    from simulate.results.cube import load
    from simulate.results.providers import budget_by_provider

    scenarios = (
        load_scenario(BASELINE, ('place="tiny"',)),
        load_scenario(
            BASELINE,
            (
                'place="tiny"',
                'name="trust-run"',
                'interventions.symphony.practices=["T01", "T02"]',
                'interventions.mcp.practices=["T03"]',
                "interventions.mcp.capitated_budget_gbp_per_head_year=1200.0",
            ),
        ),
    )
    experiment = Experiment(scenarios, replications=1, root_seed=2, months=1, warmup_months=0)
    run_experiment(experiment, tmp_path, command="icsim test")
    cube = load(tmp_path / "cube.nc")
    assert cube["practice_provider"].dims == ("scenario", "practice")
    assert cube["practice_provider"].sel(scenario="trust-run").values.tolist() == [
        "Tiny Trust",
        "Tiny Trust",
        "MCP",
    ]
    budgets = budget_by_provider(cube, "trust-run")
    assert set(budgets) == {"Tiny Trust", "MCP"}
    assert budgets["MCP"]["capitated_budget_gbp"] == pytest.approx(8000 * 100.0)
    assert budgets["Tiny Trust"]["cost_gbp"] > 0


def test_funding_per_head_buys_gp_time_only_after_its_delays():
    """The shipped lever: money passes the funding delay, then buys FTE through recruitment."""
    clock = Clock(dt.date(2019, 4, 1), months=18, warmup_months=1)
    base = run(clock=clock)
    scenario = load_scenario(shipped_dir() / "funding-per-head.toml", ('place="tiny"',))
    lever = run_replication(scenario, load_place("tiny"), clock, Streams(11, 0))
    extra = (lever.gp_fte - base.gp_fte).sum("practice").values
    gap = 10.0 * load_place("tiny").total / scenario.spec.dynamics.gp_fte_cost_GBP_per_year
    assert abs(extra[0]) < 1e-3 * gap  # a month in, hardly any money has come through
    assert extra[2] < 0.05 * gap  # three months in: the money is still being commissioned
    assert 0.3 * gap < extra[17] < 1.1 * gap  # a year and a half in: most of it is in post
    funded = (lever.funding_allocated - base.funding_allocated).sum("practice").values
    heads = lever.registered_population.isel(month=0).sum().item()  # the list as it has grown
    assert funded[0] == pytest.approx(10.0 * heads / 12, rel=1e-9)
    assert total(lever, "gp_appointments") > total(base, "gp_appointments")
    money = lever.intervention_cost.sum(("practice", "cohort")).values
    assert total(base, "intervention_cost") == 0  # no extra money, no cost of it
    assert money[17] == pytest.approx(funded[0], rel=0.05)  # by then the money flows in full
