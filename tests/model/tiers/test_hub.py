"""The federation hub: minutes become slots exactly, nobody is lost, the random choice is fair."""

import datetime as dt
from types import SimpleNamespace

import numpy as np
import pytest

from simulate.model.clock import Clock
from simulate.model.collector import Collector
from simulate.model.tiers.hub import EventHub, FluidHub

CLOCK = Clock(dt.date(2019, 4, 1), months=24, warmup_months=0)
DAYS = 700


def entered(hub, baseline_tiny, minutes=30.0, week=(1 / 7,) * 7):
    update = {"minutes_per_1000_per_week": minutes, "share_by_weekday": list(week)}
    spec = baseline_tiny.spec.model_copy(
        update={"hub": baseline_tiny.spec.hub.model_copy(update=update)}
    )
    hub.enter(SimpleNamespace(spec=spec))
    return spec.hub


@pytest.mark.parametrize("week", [(1 / 7,) * 7, (0.11,) * 5 + (0.3, 0.15), (0.2,) * 5 + (0, 0)])
def test_slots_follow_the_commissioned_minutes_to_within_one(tiny, baseline_tiny, week):
    hub = EventHub(tiny, CLOCK, Collector(CLOCK, tiny), np.random.default_rng(0))
    spec = entered(hub, baseline_tiny, week=week)
    # minutes per 1,000 registered a week over the federation's list, at minutes per appointment,
    # each day its weekday's share of the week (bank holidays as Sundays)
    per_week = 30.0 * hub.federation_size / 1000 / spec.minutes_per_appointment
    days = np.where(CLOCK.is_bank_holiday, 6, CLOCK.weekday)
    nobody = np.zeros(tiny.registered.shape, dtype=np.int64)
    for day in range(CLOCK.days):
        hub.day(day, nobody)
    offered = hub.collector.hub_slots.sum(axis=0)
    assert np.all(np.abs(offered - per_week * np.asarray(week)[days].sum()) < 1)
    closed = [d for d in range(CLOCK.days) if week[days[d]] == 0]
    assert all(hub.slots_today(d).sum() == 0 for d in closed)


def test_every_referral_is_seen_or_sent_on_and_no_hub_exceeds_its_slots(tiny, baseline_tiny):
    hub = EventHub(tiny, CLOCK, Collector(CLOCK, tiny), np.random.default_rng(1))
    entered(hub, baseline_tiny)
    rng = np.random.default_rng(2)
    for day in range(200):
        referrals = rng.poisson(0.6, tiny.registered.shape)
        (overflow,) = hub.day(day, referrals)
        seen = referrals - overflow
        assert np.all(seen >= 0) and np.all(overflow >= 0)
        slots = hub.collector.hub_slots[hub.collector.month(day)] * 0 + last_slots(hub, day)
        for f, members in enumerate(hub.members):
            # a hub sees everyone it can: all when there is room, else exactly its day's slots
            assert seen[members].sum() == min(referrals[members].sum(), slots[f])


def test_when_full_the_hub_sees_each_practice_in_proportion(tiny, baseline_tiny):
    # a uniformly random choice of `slots` among `wanting` referrals sees each one with chance
    # slots / wanting (the hypergeometric mean), whichever practice or cohort it came from
    hub = EventHub(tiny, CLOCK, Collector(CLOCK, tiny), np.random.default_rng(3))
    entered(hub, baseline_tiny, minutes=5.0)
    referrals = np.full(tiny.registered.shape, 4, dtype=np.int64)
    seen = np.zeros(tiny.registered.shape)
    chance = np.zeros(tiny.registered.shape)
    for day in range(DAYS):
        seen += referrals - hub.day(day, referrals)[0]
    total_slots = hub.collector.hub_slots.sum(axis=0)
    for f, members in enumerate(hub.members):
        wanted = referrals[members].sum() * DAYS
        chance[members] = min(1.0, total_slots[f] / wanted)
    assert np.all(chance < 0.9)  # the hubs are full
    share = seen / (referrals * DAYS)
    # 2,800 referrals per cell: a share's standard error is at most 0.0095; 0.04 is over 4 of them
    assert share == pytest.approx(chance, abs=0.04)


def test_the_fluid_hub_seats_what_the_event_hub_seats_of_poisson_wanting(tiny, baseline_tiny):
    # a hub asked, on average, for exactly its slots (6.86 a day: 6 or 7 whole ones) by Poisson
    # referrals and bookings: the event hub seats E[min(X, slots)] a day, about 14% fewer than
    # the fluid rule min(E[X], slots) would; the fluid hub's Poisson overflow must seat the same
    clock = Clock(dt.date(2019, 4, 1), months=120, warmup_months=0)
    event = EventHub(tiny, clock, Collector(clock, tiny), np.random.default_rng(6))
    fluid = FluidHub(tiny, clock, Collector(clock, tiny))
    for hub in (event, fluid):
        entered(hub, baseline_tiny)
    (slots,) = fluid.slots_today(0)
    cells = np.ones(tiny.registered.shape) / tiny.registered.size
    referrals, bookings = cells * 4.0, cells * (slots - 4.0)
    rng = np.random.default_rng(7)
    seated = {"event": np.zeros(2), "fluid": np.zeros(2)}
    for day in range(clock.days):
        asked = rng.poisson(referrals), rng.poisson(bookings)
        unseen = event.day(day, *asked)
        seated["event"] += [(w - u).sum() for w, u in zip(asked, unseen)]
        unseen = fluid.day(day, referrals, bookings)
        seated["fluid"] += [(w - u).sum() for w, u in zip((referrals, bookings), unseen)]
    per_day = {k: v / clock.days for k, v in seated.items()}
    # 3,653 days: the event hub's daily mean of each kind has a standard error under 0.035 (sd
    # under 2 a day), so 0.15 is over four of them
    np.testing.assert_allclose(per_day["fluid"], per_day["event"], atol=0.15)
    assert per_day["event"].sum() < 0.9 * slots  # and the fluid min() would have seated them all


def last_slots(hub, day):
    """Whole slots the hub had on ``day`` (it has just advanced past it)."""
    rate = hub.slots_today(day)
    before = hub.offered - rate
    return np.floor(before + rate + 1e-9) - np.floor(before + 1e-9)


def test_bookings_take_what_referrals_leave_and_nobody_is_lost(tiny, baseline_tiny):
    hub = EventHub(tiny, CLOCK, Collector(CLOCK, tiny), np.random.default_rng(4))
    entered(hub, baseline_tiny)
    rng = np.random.default_rng(5)
    for day in range(100):
        referrals = rng.poisson(0.3, tiny.registered.shape)
        bookings = rng.poisson(0.3, tiny.registered.shape)
        left, unbooked = hub.day(day, referrals, bookings)
        slots = last_slots(hub, day)
        for f, members in enumerate(hub.members):
            seen = (referrals - left)[members].sum()
            booked = (bookings - unbooked)[members].sum()
            assert seen == min(referrals[members].sum(), slots[f])  # referrals first
            assert booked == min(bookings[members].sum(), slots[f] - seen)
