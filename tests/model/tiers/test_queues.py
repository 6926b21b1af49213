"""The mean field's bed queue against Erlang B and the Poisson occupancy, computed another way."""

import numpy as np
import pytest
from scipy import stats

from simulate.model.tiers.queues import boarders, delayed_transfers, erlang_b, poisson_min


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


def test_delayed_transfers_are_the_step_down_overflow_shared_by_occupancy():
    # two days, two practices: each day's overflow of 60 step-down beds (the Poisson sum above)
    occupancy = np.array([[[30.0], [28.0]], [[20.0], [20.0]]])  # [day, practice, cohort]
    waiting = delayed_transfers(occupancy, 60, 620)
    for day, total in enumerate((58.0, 40.0)):
        x = np.arange(400)
        exact = (np.maximum(x - 60, 0) * stats.poisson.pmf(x, total)).sum()
        assert waiting[day].sum() == pytest.approx(exact, rel=1e-9)
        assert waiting[day, 0, 0] / waiting[day].sum() == pytest.approx(
            occupancy[day, 0, 0] / total
        )
    # no step-down beds: the event trust sends such patients on, nobody waits
    assert not delayed_transfers(occupancy, 0, 620).any()


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
