"""Referral management in a whole replication: off is the baseline, its cost is its mechanism's."""

import json

import numpy as np
import pytest
from conftest import BASELINE

from simulate.inputs.scenario import load_scenario
from simulate.model.replication import run_replication
from simulate.model.streams import Streams
from simulate.shipped import shipped_dir

PATHWAY = shipped_dir() / "referral-pathway.toml"


@pytest.fixture(scope="module")
def runs(tiny, short_clock):
    def one(path, *sets):
        scenario = load_scenario(path, ('place="tiny"', *sets))
        return run_replication(scenario, tiny, short_clock, Streams(3, 0))

    return {
        "baseline": one(BASELINE),
        "zero": one(PATHWAY, "interventions.referral_management.triaged_share=0"),
        "on": one(PATHWAY, "interventions.referral_management.ramp_months=0"),
    }


def test_a_lever_that_triages_nobody_changes_nothing_but_its_clinic_cost(runs):
    base, zero = runs["baseline"], runs["zero"]
    for name in ("outpatient_attendances", "elective_admissions", "gp_appointments", "bed_days"):
        np.testing.assert_array_equal(base[name].values, zero[name].values)


def test_its_cost_is_the_triage_of_expected_referrals_and_the_clinic_places(runs, tiny):
    on = runs["on"]
    spec = load_scenario(PATHWAY, ('place="tiny"',)).spec.interventions.referral_management
    days = on["month"].dt.days_in_month.values
    clinic = spec.clinic_new_patients_per_week * days / 7 * spec.clinic_cost_gbp_per_new_patient
    triaged_cost = on["intervention_cost"].sum(["practice", "cohort"]).values - clinic
    # the triage's cost is per referral expected, so it tracks the referrals drawn within noise
    drawn = on["outpatient_referrals"].sum(["practice", "cohort"]).values
    expected = drawn * spec.triaged_share * spec.triage_cost_gbp_per_referral
    np.testing.assert_allclose(triaged_cost, expected, rtol=0.12)


def test_every_referral_is_accounted_for_in_a_whole_replication(runs):
    n = json.loads(runs["on"].attrs["ledger"])
    kept = n["community_clinic_attendances"] - n["community_clinic_onward_referrals"]
    assert kept > 0
    assert n["outpatient_referrals"] == (
        kept + n["outpatient_first_attendances"] + n["outpatient_waiting_at_end"]
    )
    assert n["elective_decisions"] == n["elective_admissions"] + n["elective_list_at_end"]
    assert n["elective_admissions"] == (
        n["elective_day_cases"] + n["elective_discharges"] + n["elective_beds_at_end"]
    )
