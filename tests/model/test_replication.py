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


@pytest.fixture(scope="module")
def open_all_week(tiny, short_clock):
    """7-day opening and an urgent treatment centre on, with the hub, on the tiny place."""
    on = (
        'place="tiny"',
        "seven_day.minutes_per_1000_per_week=30",
        "utc.clinicians=1",
        "utc.streaming_share=0.5",
    )
    return run_replication(load_scenario(EXTENDED_ACCESS, on), tiny, short_clock, Streams(5, 0))


def test_every_request_ends_in_exactly_one_place(pair, open_all_week):
    for outcomes in (*pair, open_all_week):
        ledger = json.loads(outcomes.attrs["ledger"])
        ledger.setdefault("booked_seven_day", 0)
        ledger.setdefault("utc_attendances", 0)
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
            ledger["booked_hub"]
            + ledger["booked_seven_day"]
            + ledger["gp_ooh"]
            + ledger["ooh_to_ae"]
            + ledger["ooh_waited"]
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
        # the urgent treatment centre sees some of them instead
        arrived = ledger["ae_attendances"] + ledger["utc_attendances"]
        assert arrived == ledger["ae_background"] + from_primary_care
        assert ledger["ae_attendances"] == ledger["ae_departures"] + ledger["in_ae_at_end"]
        assert ledger["requests"] > 10_000 and ledger["seen_hub"] > 0 and ledger["abandoned"] > 0
        assert ledger["ooh_need"] > 500 and ledger["booked_hub"] > 0 and ledger["gp_ooh"] >= 0
    ledger = json.loads(open_all_week.attrs["ledger"])
    assert ledger["booked_seven_day"] > 100 and ledger["utc_attendances"] > 100


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


def test_a_closed_practice_gives_no_in_hours_appointments(tiny, baseline_tiny, short_clock):
    # practice 0 with no GP time (and no dynamics to recruit any): its patients' requests still
    # arise, none is seen at the practice, and all of them end elsewhere (hub, A&E, gave up)
    from simulate.model.place import Place

    practices = list(tiny.spec.practices)
    practices[0] = practices[0].model_copy(update={"gp_fte": 0.0})
    shut = Place(tiny.spec.model_copy(update={"practices": practices}), tiny.text, tiny.age_sex)
    frozen = load_scenario(
        EXTENDED_ACCESS.parent / "baseline.toml", ('place="tiny"', "dynamics.coupled=false")
    )
    outcomes = run_replication(frozen, shut, short_clock, Streams(5, 0))
    first = outcomes.isel(practice=0).sum(("month", "cohort"))
    assert float(first.gp_appointments) == 0 and float(first.gp_capacity) == 0
    assert float(first.gp_requests) > 1000
    assert float(first.gp_overflow_hub + first.gp_overflow_ae + first.gp_abandoned) > 500
    others = outcomes.isel(practice=slice(1, None)).gp_appointments.sum()
    assert float(others) > 1000
