"""Did-not-attend by booking lead time: a run's DNA rate in each band reproduces its input."""

import json

import numpy as np
import pytest
from conftest import BASELINE

from simulate.inputs.scenario import load_scenario
from simulate.model.replication import run_replication
from simulate.model.streams import Streams
from simulate.model.tiers.dna import BANDS, DidNotAttend, band_of

SHARES = [0.019, 0.05, 0.068, 0.085]  # the baseline's, from GPAD 2018-19


def test_waits_fall_in_gpad_bands():
    # working days waited: 0 same day, 1 next day, 2-5 (2-7 calendar days), 6+ (over 7)
    assert band_of(np.array([0, 1, 2, 5, 6, 30])).tolist() == [0, 1, 2, 2, 3, 3]


def test_expected_dna_is_each_bands_share_of_its_bookings():
    served = np.arange(1.0, 1.0 + 2 * 8 * 3).reshape(2, 8, 3)  # [practice, wait, cohort]
    waits = np.arange(7, -1, -1)  # oldest first, as the books hold them
    booked, missed = DidNotAttend(SHARES).day(served, waits)
    assert booked.sum() == served.sum()
    np.testing.assert_allclose(missed.sum(axis=(0, 2)), booked.sum(axis=(0, 2)) * SHARES)


@pytest.fixture(scope="module")
def ledger(tiny, short_clock):
    # practices a little short of slots (29 appointments a GP FTE-day, not 35.7), so that some
    # requests wait over 5 working days and every lead-time band is booked
    tight = load_scenario(BASELINE, ('place="tiny"', "practice.appointments_per_gp_fte_day=29"))
    outcomes = run_replication(tight, tiny, short_clock, Streams(9, 0))
    return json.loads(outcomes.attrs["ledger"]), outcomes


def test_dna_rates_by_lead_time_reproduce_their_inputs(ledger):
    n, _ = ledger
    for band, share in zip(BANDS, SHARES):
        booked, missed = n[f"gp_booked_{band}"], n[f"gp_dna_{band}"]
        assert booked > 500, band  # enough bookings in every band for the check to bite
        se = np.sqrt(share * (1 - share) / booked)
        assert abs(missed / booked - share) < 3.5 * se, band
    assert sum(n[f"gp_booked_{band}"] for band in BANDS) == n["seen_practice"]


def test_appointments_lost_are_in_the_cube_and_near_gpads_overall_rate(ledger):
    # GPAD 2018-19: 16.4m of 307.4m appointments missed (5.3%, range 4.5-6.5%); the model's mix
    # of lead times sets its own overall rate, which should land in that range
    _, outcomes = ledger
    rate = float(outcomes["gp_did_not_attend"].sum() / outcomes["gp_appointments"].sum())
    assert 0.03 < rate < 0.075
