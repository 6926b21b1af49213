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


def test_all_arrivals_background_and_routed_follow_the_published_profile(monkeypatch):
    # the background's profile is the published one less the routed streams' hours
    # (tests/derive_ae_background_profile.py): together, on the default place, all arrivals come
    # by the published hours (HSCIC: close to 60% of them 09:00-18:00)
    from simulate.inputs.scenario import load_scenario
    from simulate.model.place import load_place
    from simulate.model.replication import run_replication
    from simulate.model.tiers.acute import AcuteTrust
    from simulate.shipped import shipped_dir

    scenario = load_scenario(shipped_dir() / "baseline.toml")
    published = np.asarray(scenario.spec.access.need_share_by_hour)
    clock = Clock(scenario.spec.start, months=2, warmup_months=2)
    seen = []
    run = AcuteTrust.run

    def record(self, arrivals, until):
        seen.append(arrivals.times[arrivals.times >= clock.report_from_day])
        return run(self, arrivals, until)

    monkeypatch.setattr(AcuteTrust, "run", record)
    run_replication(scenario, load_place("default"), clock, Streams(3, 0))
    times = np.concatenate(seen)  # about 16,000 arrivals: a share's standard error under 0.002
    hours = np.bincount(((times % 1) * 24).astype(int), minlength=24) / len(times)
    assert hours == pytest.approx(published, abs=0.007)
    assert 0.58 < hours[9:18].sum() < 0.62


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
