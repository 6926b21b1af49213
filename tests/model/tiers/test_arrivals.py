"""A&E arrivals over the week: the profiles they were given, and which come while practices shut."""

import datetime as dt

import numpy as np
import pytest

from simulate.model.clock import Clock
from simulate.model.collector import Collector
from simulate.model.streams import Streams
from simulate.model.tiers.arrivals import background, from_out_of_hours

CLOCK = Clock(dt.date(2019, 4, 1), months=12, warmup_months=0)


def test_background_arrivals_follow_the_hour_and_weekday_profiles(baseline_tiny):
    acute = baseline_tiny.spec.acute
    rate = np.full((3, 5), 100.0)  # 1,500 a day, 28 days: 42,000 arrivals
    weekday = CLOCK.weekday[:28]  # four whole weeks from a Monday
    times, _, _ = background(rate, 0, 28, Streams(1, 0), acute, weekday)
    hours = np.bincount(((times % 1) * 24).astype(int), minlength=24) / len(times)
    # a share near 0.07 of 42,000 has a standard error of about 0.0013: 0.006 is over 4 of them
    assert hours == pytest.approx(acute.arrival_share_by_hour, abs=0.006)
    days = np.bincount(weekday[times.astype(int)], minlength=7) / len(times)
    assert days == pytest.approx(acute.arrival_share_by_weekday, abs=0.006)
    assert 0.59 < hours[9:18].sum() < 0.61  # HSCIC: close to 60% of arrivals 09:00-18:00


def test_without_profiles_arrivals_are_uniform_in_continuous_time():
    times, _, _ = background(np.full((2, 5), 300.0), 0, 28, Streams(2, 0))
    hours = np.bincount(((times % 1) * 24).astype(int), minlength=24) / len(times)
    assert hours == pytest.approx(np.full(24, 1 / 24), abs=0.004)


def test_arrivals_while_practices_are_shut_are_counted_by_the_clock(tiny):
    # uniform arrivals over four weeks: a practice is shut 115.5 of 168 hours a week (open
    # 08:00-18:30 Monday to Friday), and all of Good Friday and Easter Monday (19, 22 April 2019)
    collector = Collector(CLOCK, tiny)
    n = 200_000
    times = np.random.default_rng(3).random(n) * 28
    zeros = np.zeros(n, dtype=int)
    collector.ae_arrivals(times, zeros, zeros)
    shut = collector.pk["ae_attendances_out_of_hours"].sum() / n
    assert CLOCK.is_bank_holiday[:28].sum() == 2
    assert shut == pytest.approx((4 * 115.5 + 2 * 10.5) / (28 * 24), abs=0.004)


def test_out_of_hours_need_arrives_only_while_practices_are_shut():
    counts = np.zeros((7, 2, 5), dtype=np.int64)
    counts[:, 0, 0] = 1000
    working = CLOCK.is_working_day[:7]
    times, _, _ = from_out_of_hours(counts, 0, working, Streams(4, 0))
    hour = (times % 1) * 24
    on_working = working[times.astype(int)]
    assert np.all(hour[on_working] >= 18.5) and np.all(hour[~on_working] >= 8)
    assert len(times) == 7000
