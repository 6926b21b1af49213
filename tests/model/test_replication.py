"""One replication end to end: every patient accounted for, common random numbers."""

import json

import numpy as np
import pytest
from conftest import EXTENDED_ACCESS

from simulate.inputs.scenario import load_scenario
from simulate.model.replication import run_replication
from simulate.model.streams import Streams


@pytest.fixture(scope="module")
def pair(tiny, baseline_tiny, short_clock):
    extended = load_scenario(EXTENDED_ACCESS, ('place="tiny"',))
    return (
        run_replication(baseline_tiny, tiny, short_clock, Streams(5, 0)),
        run_replication(extended, tiny, short_clock, Streams(5, 0)),
    )


def test_every_request_ends_in_exactly_one_place(pair):
    for outcomes in pair:
        ledger = json.loads(outcomes.attrs["ledger"])
        # in opening hours: every request (out-of-hours need that waited included) is seen, sent
        # on, given up or still waiting
        assert ledger["requests"] == (
            ledger["seen_practice"]
            + ledger["left_to_hub"]
            + ledger["left_to_ae"]
            + ledger["abandoned"]
            + ledger["waiting_at_end"]
        )
        # the hub sees a referral, or is full (then A&E or giving up), or it is due tomorrow
        assert ledger["left_to_hub"] == (
            ledger["seen_hub"] + ledger["hub_full"] + ledger["hub_referrals_at_end"]
        )
        assert ledger["hub_full"] == ledger["hub_to_ae"] + ledger["hub_abandoned"]
        # out of hours: booked at the hub, seen by the GP out-of-hours service, went to A&E, or
        # waited for the practice (then a request when it opened, or still waiting)
        assert ledger["ooh_need"] == (
            ledger["booked_hub"] + ledger["gp_ooh"] + ledger["ooh_to_ae"] + ledger["ooh_waited"]
        )
        assert ledger["ooh_waited"] >= ledger["ooh_waiting_at_end"]
        # A&E: every attendance came from home, from general practice, the full hub or out of
        # hours need; it has left or is still there
        from_primary_care = (
            ledger["left_to_ae"]
            - ledger["ae_referrals_at_end"]
            + ledger["hub_to_ae"]
            + ledger["ooh_to_ae"]
        )
        assert ledger["ae_attendances"] == ledger["ae_background"] + from_primary_care
        assert ledger["ae_attendances"] == ledger["ae_departures"] + ledger["in_ae_at_end"]
        assert ledger["requests"] > 10_000 and ledger["seen_hub"] > 0 and ledger["abandoned"] > 0
        assert ledger["ooh_need"] > 500 and ledger["booked_hub"] > 0 and ledger["gp_ooh"] >= 0


def test_hub_sees_referrals_up_to_its_daily_capacity(pair, short_clock, baseline_tiny):
    base, extended = pair
    # the tiny place's hub offers 30 min per 1,000 per week in 10-minute slots, each day its
    # weekday's share of the week (bank holidays as Sundays)
    share = np.asarray(baseline_tiny.spec.hub.share_by_weekday)
    day = np.where(short_clock.is_bank_holiday, 6, short_clock.weekday)
    month = short_clock.month_of_day
    per_month = [share[day[month == m]].sum() for m in range(short_clock.months)]
    expected = 16_000 * 30 / 1000 / 10 * np.asarray(per_month)
    assert base.hub_capacity.values == pytest.approx(expected, abs=1)
    assert (base.hub_appointments.sum(("practice", "cohort")) <= base.hub_capacity).all()
    assert float(base.out_of_hours_to_ae.sum()) > float(extended.out_of_hours_to_ae.sum())


def test_a_hub_lever_leaves_unrelated_streams_unchanged(pair):
    base, extended = pair
    # need arises from its own streams whatever the hub offers (common random numbers); what
    # people then do with it may change
    for name in ("out_of_hours_need", "community_nursing_referrals", "outpatient_attendances"):
        np.testing.assert_array_equal(base[name].values, extended[name].values, err_msg=name)
    # A&E attendances differ only by the patients general practice, the hub and out-of-hours
    # need sent there
    sent = lambda d: d.gp_overflow_ae + d.hub_overflow_ae + d.out_of_hours_to_ae  # noqa: E731
    np.testing.assert_allclose(
        (extended.ae_attendances - base.ae_attendances).values,
        (sent(extended) - sent(base)).values,
        atol=30,  # referrals sent on the last day of a month arrive in the next
    )
    assert float(extended.hub_appointments.sum()) > float(base.hub_appointments.sum())


def test_registered_population_equals_list_sizes(pair, tiny):
    # the population stock starts at the list sizes exactly and, growing about 0.4% a year by
    # the default [dynamics] (births, deaths, migration), has moved by under 0.1% when
    # reporting starts after the two warm-up months
    totals = pair[0].registered_population.isel(month=0).sum("cohort").values
    np.testing.assert_allclose(totals, tiny.list_sizes, rtol=1e-3)
    assert (totals != tiny.list_sizes).all()  # but it does move


def test_same_seed_same_numbers_other_seed_other_numbers(tiny, baseline_tiny, short_clock):
    again = run_replication(baseline_tiny, tiny, short_clock, Streams(5, 0))
    other = run_replication(baseline_tiny, tiny, short_clock, Streams(5, 1))
    first = run_replication(baseline_tiny, tiny, short_clock, Streams(5, 0))
    assert again.identical(first)
    assert not np.array_equal(other.gp_requests.values, first.gp_requests.values)
