"""Out-of-hours need: when it arises, whom it finds open, and what people choose."""

import datetime as dt
from types import SimpleNamespace

import numpy as np
import pytest

from simulate.model.clock import Clock
from simulate.model.collector import Collector
from simulate.model.streams import Streams
from simulate.model.tiers.out_of_hours import (
    OPEN_HOURS,
    EventOutOfHours,
    FluidOutOfHours,
    closed_hours,
    share_between,
)

CLOCK = Clock(dt.date(2019, 4, 1), months=12, warmup_months=0)


def month(spec, demand, first=0, end=None):
    return SimpleNamespace(
        spec=spec, demand=demand, effects=None, first=first, end=CLOCK.days if end is None else end
    )


def spec_with(baseline, **hub):
    return baseline.spec.model_copy(update={"hub": baseline.spec.hub.model_copy(update=hub)})


def demand(tiny, per_working_day=1.0):
    return SimpleNamespace(
        gp_requests=np.full(tiny.registered.shape, per_working_day), working_days_per_year=252.9
    )


def test_bank_holidays_of_england_and_wales_close_the_practices():
    christmas = (dt.date(2019, 12, 25) - dt.date(2019, 4, 1)).days
    assert CLOCK.is_bank_holiday.sum() == 8  # April 2019 - March 2020: Good Friday .. Easter 2019
    assert not CLOCK.is_working_day[christmas] and CLOCK.weekday[christmas] == 2  # a Wednesday
    assert closed_hours(CLOCK)[christmas] == 24 and closed_hours(CLOCK)[christmas - 1] == 24 - 10.5


def test_need_arises_in_closed_hours_at_the_yearly_rate(tiny, baseline_tiny):
    ooh = FluidOutOfHours(tiny, CLOCK, Collector(CLOCK, tiny))
    ooh.enter(month(baseline_tiny.spec, demand(tiny)))
    d = baseline_tiny.spec.demand
    per_year = 252.9 * d.same_day_share * d.out_of_hours_same_day_share
    # a year of days holds a year's need, each day in proportion to its closed hours (this year
    # has 366 days: a leap day in February 2020)
    years = CLOCK.days / 365.25
    assert ooh.expected.sum(axis=0) == pytest.approx(
        np.full(tiny.registered.shape, per_year * years)
    )
    saturday, monday = 5, 0  # 2019-04-06 and 2019-04-01
    assert ooh.expected[saturday, 0, 0] / ooh.expected[monday, 0, 0] == pytest.approx(
        24 / (24 - OPEN_HOURS)
    )


def test_the_chance_of_finding_the_hub_open_follows_its_hours(tiny, baseline_tiny):
    spec = spec_with(baseline_tiny, clinicians_per_session=2.0, need_concentration=2.0)
    ooh = FluidOutOfHours(tiny, CLOCK, Collector(CLOCK, tiny))
    ooh.enter(month(spec, demand(tiny)))
    hub = spec.hub
    size = ooh.federation_size[ooh.federation]  # [practice]
    hours_a_week = hub.minutes_per_1000_per_week * size / 1000 / 60 / 2.0
    saturday = 5
    expected = 2.0 * hours_a_week * hub.share_by_weekday[5] / 24
    assert ooh.hub_open[saturday] == pytest.approx(np.minimum(expected, 1))
    none = spec_with(baseline_tiny, minutes_per_1000_per_week=0.0)
    ooh.enter(month(none, demand(tiny)))
    assert ooh.hub_open.max() == 0


def test_every_unit_of_need_makes_exactly_one_choice_in_the_shares_given(tiny, baseline_tiny):
    ooh = EventOutOfHours(tiny, CLOCK, Collector(CLOCK, tiny), Streams(3, 0))
    ooh.enter(month(baseline_tiny.spec, demand(tiny, per_working_day=2000.0)))
    totals = np.zeros(5)
    for day in range(CLOCK.days):
        c = ooh.day(day)
        parts = (c.to_hub, c.to_ae, c.to_111, c.nhs111_to_ae, c.waiting)
        totals += [p.sum() for p in parts]
    need = ooh.collector.ledger["ooh_need"]
    assert totals.sum() == need  # conservation, exactly
    access = baseline_tiny.spec.access
    deciding = need - totals[0]
    # multinomial shares: about 4.5e5 deciding, so a share's standard error is under 0.001
    assert totals[1] / deciding == pytest.approx(access.out_of_hours_to_ae_share, abs=0.005)
    called = (totals[2] + totals[3]) / deciding
    assert called == pytest.approx(access.out_of_hours_to_111_share, abs=0.005)
    assert totals[3] / (totals[2] + totals[3]) == pytest.approx(access.nhs111_to_ae_share, abs=0.01)


def test_with_no_alternative_left_everyone_takes_the_remaining_one(tiny, baseline_tiny):
    # nobody calls 111 or goes to A&E: all out-of-hours need with no open hub waits
    access = baseline_tiny.spec.access.model_copy(
        update={"out_of_hours_to_ae_share": 0.0, "out_of_hours_to_111_share": 0.0}
    )
    spec = spec_with(baseline_tiny, minutes_per_1000_per_week=0.0).model_copy(
        update={"access": access}
    )
    ooh = EventOutOfHours(tiny, CLOCK, Collector(CLOCK, tiny), Streams(4, 0))
    ooh.enter(month(spec, demand(tiny, per_working_day=10.0)))
    for day in range(60):
        c = ooh.day(day)
        need = c.to_hub + c.to_ae + c.to_111 + c.nhs111_to_ae + c.waiting
        np.testing.assert_array_equal(c.waiting, need)


def with_seven_day(baseline, **seven):
    spec = baseline.spec
    return spec.model_copy(update={"seven_day": spec.seven_day.model_copy(update=seven)})


def test_the_share_of_a_day_between_two_hours_integrates_the_hourly_profile():
    assert share_between(None, 8.0, 20.0) == pytest.approx(0.5)
    profile = np.arange(24.0) / np.arange(24.0).sum()
    assert share_between(profile, 8.0, 20.0) == pytest.approx(profile[8:20].sum())
    assert share_between(profile, 8.5, 9.0) == pytest.approx(profile[8] / 2)


def test_weekend_opening_is_found_open_on_weekend_days_in_its_hours_only(tiny, baseline_tiny):
    spec = with_seven_day(
        baseline_tiny, minutes_per_1000_per_week=30.0, opening_hours=(8.0, 20.0), saturday_share=1
    )
    ooh = FluidOutOfHours(tiny, CLOCK, Collector(CLOCK, tiny))
    ooh.enter(month(spec, demand(tiny)))
    window = sum(spec.access.need_share_by_hour[8:20])
    saturday, sunday, monday = 5, 6, 0  # 2019-04-06, 07 and 01
    assert ooh.seven_day_open[saturday] == pytest.approx(window)
    assert ooh.seven_day_open[sunday] == 0  # Saturday only
    assert ooh.seven_day_open[monday] == 0  # practices open: in-hours need asks them
    assert ooh.seven_day_open[CLOCK.is_working_day].max() == 0
    ooh.enter(month(with_seven_day(baseline_tiny, minutes_per_1000_per_week=0.0), demand(tiny)))
    assert ooh.seven_day_open.max() == 0


def test_with_weekend_opening_every_unit_of_need_still_makes_one_choice(tiny, baseline_tiny):
    spec = with_seven_day(baseline_tiny, minutes_per_1000_per_week=30.0)
    ooh = EventOutOfHours(tiny, CLOCK, Collector(CLOCK, tiny), Streams(6, 0))
    ooh.enter(month(spec, demand(tiny, per_working_day=200.0)))
    seven = asked = total = 0
    by_weekday = np.zeros((7, 2), dtype=np.int64)  # [weekday, (need, where it went)]
    for day in range(CLOCK.days):
        before = ooh.collector.ledger["ooh_need"]
        c = ooh.day(day)
        parts = sum(p.sum() for p in (c.to_hub, c.to_ae, c.to_111, c.nhs111_to_ae, c.waiting))
        total += parts + c.to_seven_day.sum()
        by_weekday[CLOCK.weekday[day]] += ooh.collector.ledger["ooh_need"] - before, parts
        by_weekday[CLOCK.weekday[day], 1] += c.to_seven_day.sum()
        if not CLOCK.is_working_day[day]:  # weekend days and bank holidays: the practices shut
            seven += c.to_seven_day.sum()
            asked += parts + c.to_seven_day.sum() - c.to_hub.sum()
        else:
            assert c.to_seven_day.sum() == 0
    assert total == ooh.collector.ledger["ooh_need"]  # conservation, exactly
    np.testing.assert_array_equal(by_weekday[:, 0], by_weekday[:, 1])  # and by day of the week
    # of the closed days' need not asking the hub, the 08:00-18:30 share asks the weekend
    # practices (binomial: about 2e5 asked, a standard error near 0.001)
    window = share_between(spec.access.need_share_by_hour, 8.0, 18.5)
    assert seven / asked == pytest.approx(window, abs=0.005)
