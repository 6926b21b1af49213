"""The mean field's bed queue against Erlang B and the Poisson occupancy, computed another way."""

import numpy as np
import pytest
from scipy import stats

from simulate.model.tiers.queues import WaitingQueue, boarders, erlang_b, erlang_c, poisson_min


@pytest.mark.parametrize("beds, load", [(1, 0.5), (40, 35.0), (620, 600.0), (620, 700.0)])
def test_erlang_b_is_the_truncated_poisson_at_full(beds, load):
    # M/G/c/c: P(all c busy) = pmf(c) / cdf(c) of a Poisson of mean ``load`` (Erlang 1917)
    exact = stats.poisson.pmf(beds, load) / stats.poisson.cdf(beds, load)
    assert erlang_b(np.array([load]), beds)[0] == pytest.approx(exact, rel=1e-9)


@pytest.mark.parametrize(
    "beds, room, load", [(3, 2, 2.0), (40, 3, 38.0), (620, 40, 600.0), (620, 40, 640.0)]
)
def test_boarders_are_the_capped_overflow_of_a_poisson_occupancy(beds, room, load):
    # E[min((X - c)+, K)] by the direct sum over the Poisson law of X
    x = np.arange(int(load + 40 * np.sqrt(load) + 100))
    exact = float((np.minimum(np.maximum(x - beds, 0), room) * stats.poisson.pmf(x, load)).sum())
    found = boarders(np.array([load]), beds, room)[0]
    assert found == pytest.approx(exact, rel=1e-9)


def test_boarders_tend_to_the_normal_overflow_and_stop_at_the_cubicles():
    # many beds: E[(X - c)+] -> sigma (phi(b) - b (1 - Phi(b))), b = (c - a) / sigma, the
    # normal loss function (within 2% at a = 600 from the Poisson's skew)
    a, c = 600.0, 620
    sigma = np.sqrt(a)
    b = (c - a) / sigma
    normal = sigma * (stats.norm.pdf(b) - b * stats.norm.sf(b))
    assert boarders(np.array([a]), c, 10_000)[0] == pytest.approx(normal, rel=0.02)
    # overloaded beds fill every cubicle with boarders, and no more
    assert boarders(np.array([900.0]), c, 40)[0] == pytest.approx(40.0)


def test_a_waiting_queue_settles_at_erlang_c():
    # 60 step-down beds, stays of mean 26 days, 56.2 erlangs offered (rho 0.94): held there
    # long past its relaxation time, the chain's mean wait and mean in service are Erlang C's
    # Lq and the offered load, to rounding
    queue = WaitingQueue(60, 26.0)
    for _ in range(20_000):
        waiting, served = queue.day(56.2 / 26)
    _, wait = erlang_c(56.2 / 26, 26.0, 60)
    assert waiting == pytest.approx(56.2 / 26 * wait, rel=1e-6)  # Lq = lambda Wq, 7.61
    assert served == pytest.approx(56.2, rel=1e-6)  # Little: lambda E[S] in service
    assert queue.p.sum() == pytest.approx(1.0, abs=1e-12)


def test_a_waiting_queue_fills_from_empty_as_mminf_does():
    # so many servers that nobody waits: from empty, M/M/inf holds lambda E[S] (1 - e^(-t/E[S]))
    # at time t, so a day's mean is that integrated over the day
    queue = WaitingQueue(400, 10.0)
    rate, mean = 5.0, 10.0
    for day in range(60):
        waiting, served = queue.day(rate)
        t0, t1 = day, day + 1
        exact = rate * mean * (1 - mean * (np.exp(-t0 / mean) - np.exp(-t1 / mean)))
        assert served == pytest.approx(exact, rel=1e-9)
        assert waiting < 1e-12


def test_a_waiting_queue_builds_up_far_slower_than_its_stationary_level():
    # near full (rho 0.96) with services of weeks the queue takes years to settle: after one
    # year it holds well under Erlang C's stationary level, which the Poisson overflow of the
    # infinite-bed occupancy (``boarders``) never approaches at all
    queue = WaitingQueue(60, 26.0)
    year = [queue.day(57.35 / 26)[0] for _ in range(365)]
    _, wait = erlang_c(57.35 / 26, 26.0, 60)
    stationary = 57.35 / 26 * wait  # 13.8
    assert 0.5 * stationary < year[-1] < 0.8 * stationary
    assert boarders(np.array([57.35]), 60, 620)[0] < 0.25 * year[-1]


def test_an_overloaded_waiting_queue_grows_as_its_fluid_limit_says():
    # 60 beds of 26-day stays offered 2.5 a day (65 erlangs): the queue grows by the excess,
    # 2.5 - 60 / 26 = 0.19 a day, for ever, with no room to stop it (the chain's states grow)
    queue = WaitingQueue(60, 26.0)
    waiting = [queue.day(2.5)[0] for _ in range(3000)]
    growth = (waiting[-1] - waiting[-1001]) / 1000
    assert growth == pytest.approx(2.5 - 60 / 26, rel=0.01)
    assert queue.p.sum() == pytest.approx(1.0, abs=1e-9) and len(queue.p) > 600


@pytest.mark.parametrize(
    ("mean", "slots"),
    [(0.0, 5.0), (3.2, 0.0), (3.2, 1.0), (3.2, 4.0), (100.0, 108.0), (100.0, 90.0), (100.0, 108.3)],
)
def test_the_poisson_overflow_seats_the_expected_minimum(mean, slots):
    # E[min(X, c)] summed over the Poisson distribution (scipy.stats), a fractional c linearly
    # between its whole neighbours as the event hub's floor/ceiling slots fall
    k = np.arange(2000)
    pmf = stats.poisson.pmf(k, mean)
    low = np.floor(slots)
    exact = (slots - low) * (np.minimum(k, low + 1) * pmf).sum() + (1 - slots + low) * (
        np.minimum(k, low) * pmf
    ).sum()
    assert float(poisson_min(mean, slots)) == pytest.approx(exact, rel=1e-12, abs=1e-15)
