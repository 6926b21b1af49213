"""The urgent treatment centre: whom streaming sends, how many it sees an hour, its mean field."""

import datetime as dt
from types import SimpleNamespace

import numpy as np
import pytest
from scipy import stats

from simulate.inputs.schema import UrgentTreatmentSpec
from simulate.model.clock import Clock
from simulate.model.tiers.acute import Arrivals
from simulate.model.tiers.utc import expected, stream, without

CLOCK = Clock(dt.date(2019, 4, 1), months=1, warmup_months=0)


def arrivals(times, minor):
    n = len(times)
    zero = np.zeros(n)
    index = np.zeros(n, dtype=np.int64)
    return Arrivals(
        np.asarray(times, float), index, index, zero, zero > 0, zero, index, np.asarray(minor), zero
    )


def poisson_day(rate_per_hour, days, rng, minor_share=1.0):
    """Arrivals over ``days`` days as a Poisson process at ``rate_per_hour``."""
    n = rng.poisson(rate_per_hour * 24 * days)
    times = np.sort(rng.random(n) * days)
    return arrivals(times, rng.random(n) < minor_share)


def test_a_centre_with_room_sees_every_minor_arrival_in_its_hours_and_no_other():
    utc = UrgentTreatmentSpec(clinicians=100, opening_hours=(8.0, 20.0), streaming_share=1.0)
    batch = poisson_day(10.0, 14, np.random.default_rng(1), minor_share=0.3)
    seen = stream(batch, utc, np.random.default_rng(2))
    hour = (batch.times % 1) * 24
    np.testing.assert_array_equal(seen, batch.minor & (hour >= 8) & (hour < 20))
    rest = without(batch, seen)
    assert len(rest.times) + seen.sum() == len(batch.times)  # nobody lost or doubled
    assert (np.diff(rest.times) >= 0).all()


def test_a_shut_or_unstaffed_centre_sees_nobody():
    batch = poisson_day(10.0, 7, np.random.default_rng(3))
    for utc in (UrgentTreatmentSpec(clinicians=0, streaming_share=1.0), UrgentTreatmentSpec()):
        assert not stream(batch, utc, np.random.default_rng(4)).any()


def test_a_full_hour_sees_its_cases_first_come_first_served():
    # 2 clinicians at 20 minutes: 6 cases an hour; 50 minor arrivals in 10:00-11:00
    utc = UrgentTreatmentSpec(clinicians=2, minutes_per_case=20, streaming_share=1.0)
    times = np.sort(10 / 24 + np.random.default_rng(5).random(50) / 24)
    seen = stream(arrivals(times, np.ones(50, bool)), utc, np.random.default_rng(6))
    assert seen.sum() == 6 and seen[:6].all()


def test_streaming_sends_its_share():
    utc = UrgentTreatmentSpec(clinicians=1000, streaming_share=0.3, opening_hours=(0.0, 24.0))
    batch = poisson_day(50.0, 28, np.random.default_rng(7))  # about 33,600 minor arrivals
    share = stream(batch, utc, np.random.default_rng(8)).mean()
    assert share == pytest.approx(0.3, abs=0.01)  # standard error 0.0025


def test_seen_per_hour_is_the_poisson_mean_of_min_arrivals_and_cases():
    # Poisson arrivals at 4 an hour, all day, all minor, 3 cases an hour (1 clinician at 20
    # minutes): the centre sees E[min(X, 3)] an hour, X ~ Poisson(4)
    utc = UrgentTreatmentSpec(
        clinicians=1, minutes_per_case=20, streaming_share=1.0, opening_hours=(0.0, 24.0)
    )
    days = 400
    batch = poisson_day(4.0, days, np.random.default_rng(9))
    seen = stream(batch, utc, np.random.default_rng(10)).sum() / (days * 24)
    x = np.arange(3)
    theory = (x * stats.poisson.pmf(x, 4)).sum() + 3 * stats.poisson.sf(2, 4)
    # 9,600 hours, sd of min(X, 3) under 1: standard error under 0.01
    assert seen == pytest.approx(theory, abs=0.04)


def test_fractional_cases_an_hour_are_not_lost_on_average():
    # 1 clinician at 25 minutes: 2.4 cases an hour, far fewer than arrive
    utc = UrgentTreatmentSpec(
        clinicians=1, minutes_per_case=25, streaming_share=1.0, opening_hours=(0.0, 24.0)
    )
    batch = poisson_day(30.0, 100, np.random.default_rng(11))
    seen = stream(batch, utc, np.random.default_rng(12)).sum()
    assert seen / 2400 == pytest.approx(2.4, abs=0.05)  # sd of a Bernoulli part: 0.01


def month_of(utc, spec):
    spec = SimpleNamespace(utc=utc, acute=spec.acute, access=spec.access)
    return SimpleNamespace(spec=spec, first=0, end=CLOCK.days)


def test_the_mean_field_centre_takes_the_share_of_minor_arrivals_in_its_hours(baseline_tiny):
    acute = baseline_tiny.spec
    minor = np.full((3, 5), 100.0)
    roomy = UrgentTreatmentSpec(clinicians=1000, streaming_share=0.5, opening_hours=(8.0, 20.0))
    seen, shut = expected(minor, month_of(roomy, acute), CLOCK)
    in_hours = sum(acute.access.need_share_by_hour[8:20])
    assert seen == pytest.approx(minor * 0.5 * in_hours)
    # of them, those 18:30-20:00 on working days and all on closed days arrive while shut
    assert (shut < seen).all() and (shut > 0).all()
    # a tight centre sees its cases: 3 an hour, 12 hours a day, the month's 30 days
    tight = UrgentTreatmentSpec(clinicians=1, minutes_per_case=20, streaming_share=1.0)
    seen, _ = expected(np.full((3, 5), 1e6), month_of(tight, acute), CLOCK)
    assert seen.sum() == pytest.approx(3 * 14 * 30)  # default hours 08:00-22:00
