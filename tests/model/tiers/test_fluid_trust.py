"""The fluid trust against queueing theory: Erlang C, and M/G/∞ occupancy by Little's law."""

import numpy as np
import pytest

from simulate.model.tiers.fluid_trust import KERNEL_DAYS, day_kernel
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
    # stay; each day's occupancy is the chance of still being in a bed that day
    rng = np.random.default_rng(0)
    stay = rng.exponential(6.0, 200_000)
    start = np.full(stay.size, 0.5)
    kernel = day_kernel(start + stay, start)
    assert kernel.sum() == pytest.approx(np.minimum(stay, KERNEL_DAYS - 0.5 - 1e-9).mean())
    assert kernel[0] == pytest.approx(np.clip(stay, 0, 0.5).mean(), rel=1e-9)
    # beyond the first day the exponential's survival: day j is occupied with chance ~e^(-j/6)
    days = np.arange(5, 30)
    expected = 6.0 * (np.exp(-(days - 0.5) / 6) - np.exp(-(days + 0.5) / 6))
    assert kernel[5:30] == pytest.approx(expected, rel=0.03)


def test_the_cubicles_see_the_week_as_the_event_trust_draws_it(baseline_tiny):
    # the week's 168 hourly shares: each day of the week holds its published share of arrivals,
    # and within it the hours follow the published profile, so Monday 10-11 is Monday's share
    # times the 10-11 share
    from simulate.model.tiers.fluid_trust import _all_arrivals_by_hour_of_week

    spec = baseline_tiny.spec
    week = _all_arrivals_by_hour_of_week(spec).reshape(7, 24)
    days = np.asarray(spec.acute.arrival_share_by_weekday)
    hours = np.asarray(spec.access.need_share_by_hour)
    assert week.sum() == pytest.approx(1.0)
    assert week.sum(axis=1) == pytest.approx(days / days.sum())
    assert week[0, 10] == pytest.approx(days[0] / days.sum() * hours[10] / hours.sum())
