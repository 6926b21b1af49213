"""The fluid trust against queueing theory: Erlang C, and M/G/∞ occupancy by Little's law."""

import datetime as dt
from types import SimpleNamespace

import numpy as np
import pytest

from simulate.inputs.distributions import Exponential, LogNormal
from simulate.model.clock import Clock
from simulate.model.tiers.kernels import (
    KERNEL_DAYS,
    bed_kernels,
    ending_kernels,
    stepdown_kernels,
)
from simulate.model.tiers.queues import erlang_c


def test_erlang_c_matches_the_textbook_two_server_queue():
    # M/M/2 with arrival rate 1 and mean service 1 (load 1): P(wait) = 1/3, mean wait = 1/3
    p_wait, wait = erlang_c(1.0, 1.0, 2)
    assert p_wait == pytest.approx(1 / 3, rel=1e-12)
    assert wait == pytest.approx(1 / 3, rel=1e-12)


def test_erlang_c_of_one_server_is_the_mm1_queue():
    # M/M/1 at utilisation 0.8: P(wait) = 0.8, mean wait = rho / (mu - lambda) = 4 service times
    p_wait, wait = erlang_c(0.8, 1.0, 1)
    assert p_wait == pytest.approx(0.8) and wait == pytest.approx(4.0)


def test_an_overloaded_queue_waits_for_ever():
    assert erlang_c(3.0, 1.0, 2) == (1.0, float("inf"))


def test_a_kernel_holds_each_patient_for_their_stay():
    # Little's law for M/G/infinity: summed over days, mean occupancy per admission is the mean
    # stay; admitted half way through day 0, an exponential stay holds a bed on day j >= 1 for
    # the integral of e^(-t/6) over [j - 0.5, j + 0.5), exactly
    stay = Exponential(dist="exponential", mean=6.0)
    kernel = bed_kernels(stay, np.array(1.0))
    assert kernel.sum() == pytest.approx(6.0 * (1 - np.exp(-(KERNEL_DAYS - 0.5) / 6)), rel=1e-12)
    assert kernel[0] == pytest.approx(6.0 * (1 - np.exp(-0.5 / 6)), rel=1e-12)
    days = np.arange(1, 60)
    expected = 6.0 * (np.exp(-(days - 0.5) / 6) - np.exp(-(days + 0.5) / 6))
    assert kernel[1:60] == pytest.approx(expected, rel=1e-12)


def test_a_lognormal_kernel_keeps_the_stays_analytic_mean():
    # the default baseline's stay, by age ratios from 0.5 to 1.6: the kernels' sums are the mean
    # stays to the part beyond KERNEL_DAYS (under 0.1% at 1.6, by the lognormal's tail), where
    # 50,000 draws from the old fixed seed were 0.98% short at every ratio
    stay = LogNormal(dist="lognormal", mean=7.9, sd=11.2)
    ratios = np.array([0.5, 1.0, 1.6])
    sums = bed_kernels(stay, ratios).sum(axis=-1)
    beyond = np.array([r * stay.excess((KERNEL_DAYS - 0.5) / r) for r in ratios])
    np.testing.assert_allclose(sums + beyond, 7.9 * ratios, rtol=1e-12)
    assert np.all(beyond / (7.9 * ratios) < 1e-3)


def test_each_stay_ends_once_on_the_day_its_exponential_says():
    # fit for a step-down bed on day j: the stay ends in [j - 0.5, j + 0.5) days after
    # admission (day 0 from 0); an exponential's chances in closed form, summing to one
    stay = Exponential(dist="exponential", mean=6.0)
    ends = ending_kernels(stay, np.array([1.0, 2.0]))
    for ratio, kernel in zip((1.0, 2.0), ends):
        mean = 6.0 * ratio
        assert kernel[0] == pytest.approx(1 - np.exp(-0.5 / mean), rel=1e-12)
        days = np.arange(1, 80)
        exact = np.exp(-(days - 0.5) / mean) - np.exp(-(days + 0.5) / mean)
        assert kernel[1:80] == pytest.approx(exact, rel=1e-12)
        assert kernel.sum() == pytest.approx(1 - np.exp(-(KERNEL_DAYS - 0.5) / mean), rel=1e-12)


def test_the_stepdown_kernel_is_the_hypoexponential_between_two_stays():
    # acute stay L ~ Exp(mean 6), then step-down D ~ Exp(mean 10): in step-down at time u with
    # chance P(L <= u < L + D) = P(L + D > u) - P(L > u), the hypoexponential's survival less the
    # exponential's; integrated over each day (fine trapezoid) it must match the half-hour grid
    acute, stepdown = (Exponential(dist="exponential", mean=m) for m in (6.0, 10.0))
    kernel = stepdown_kernels(acute, np.array(1.0), stepdown)
    a, b = 1 / 6, 1 / 10
    u = np.linspace(0, KERNEL_DAYS, KERNEL_DAYS * 2000 + 1)
    held = (b * np.exp(-a * u) - a * np.exp(-b * u)) / (b - a) - np.exp(-a * u)
    area = np.concatenate([[0.0], np.cumsum((held[1:] + held[:-1]) / 2 * (u[1] - u[0]))])
    edges = np.concatenate([[0.0], np.arange(KERNEL_DAYS) + 0.5])
    exact = np.diff(np.interp(edges, u, area))
    assert np.max(np.abs(kernel - exact)) < 1e-6  # of a bed-day, against days of 0.01-0.5
    assert kernel.sum() == pytest.approx(10.0, rel=1e-5)  # Little: the step-down stay's mean


def test_the_cubicles_see_the_week_as_the_event_trust_draws_it(baseline_tiny):
    # the event trust's own draws of a month's arrival times (background by the weekday and hour
    # profiles, sent on by general practice within its window, out of hours in the evening or
    # through the day), binned by hour of the week, against the mean field's expected counts
    from simulate.model.tiers import arrivals
    from simulate.model.tiers.week import hours_of_week

    spec, clock = baseline_tiny.spec, Clock(dt.date(2019, 4, 1), months=1, warmup_months=0)
    month = SimpleNamespace(spec=spec, first=0, end=clock.days)
    days = clock.days
    rng = np.random.default_rng(11)
    scale = 400  # arrivals a day of each stream: 3 x 12,000 a month, binned in 168 hours
    sent = np.zeros((days, 1, 1), dtype=np.int64)
    sent[:, 0, 0] = rng.poisson(scale, days) * clock.is_working_day[:days]
    late = np.zeros((days, 1, 1), dtype=np.int64)
    late[:, 0, 0] = rng.poisson(scale, days)
    streams = {
        k: np.random.default_rng(i) for i, k in enumerate(("ae.gp_origin.time", "ae.ooh.time"))
    }
    background = arrivals._profiled_times(scale * days, days, spec.acute, clock.weekday[:days], rng)
    drawn = np.concatenate(
        [
            background,
            arrivals.from_general_practice(sent, 0, spec.acute, streams)[0],
            arrivals.from_out_of_hours(late, 0, clock.is_working_day[:days], streams)[0],
        ]
    )
    slot = clock.weekday[drawn.astype(int)] * 24 + ((drawn % 1) * 24).astype(int)
    counted = np.bincount(slot, minlength=168)
    expected, occurrences = hours_of_week(
        month, clock, [scale * days], sent[:, :, 0], late[:, :, 0], [0.0], None
    )
    assert expected.sum() == pytest.approx(len(drawn))  # every arrival placed once
    assert occurrences.sum() == 24 * days
    # each hour of the week: Poisson counts of tens to hundreds; 5 standard errors, plus 2
    assert np.all(np.abs(counted - expected[0]) <= 5 * np.sqrt(expected[0]) + 2)
    # and the shape is the streams', not the background's: the evening holds the sent-on
    evening = slice(19, 22)  # Monday 19:00-22:00
    assert expected[0, evening].sum() > 2 * background_only(spec, clock, scale)[evening].sum()


def background_only(spec, clock, scale):
    """The same month's arrivals if all came by the background's profile (3 streams' worth)."""
    from simulate.model.tiers.week import hours_of_week

    month = SimpleNamespace(spec=spec, first=0, end=clock.days)
    none = np.zeros((clock.days, 1))
    total = 3 * scale * clock.days
    return hours_of_week(month, clock, [total], none, none, [0.0], None)[0][0]
