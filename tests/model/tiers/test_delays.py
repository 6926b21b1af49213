"""Delay lines against M/G/infinity: the midnight census of a stage fed at rate λ has mean λE[W]."""

import numpy as np
import pytest

from simulate.inputs.distributions import Exponential, Fixed, LogNormal
from simulate.model.tiers.delays import DelayLine, day_pmf

WAIT = LogNormal(dist="lognormal", mean=10.0, sd=8.0)


@pytest.mark.parametrize(
    "duration",
    [WAIT, Exponential(dist="exponential", mean=3.0), Fixed(dist="fixed", value=2.5)],
    ids=["lognormal", "exponential", "fixed"],
)
def test_day_pmf_is_a_distribution_whose_mean_is_the_duration_mean(duration):
    # E[floor(U + W)] = E[W] exactly for U uniform on [0, 1): the midpoint rule on 64 points a
    # day integrates the survival function to better than 1e-3 of a day
    pmf = day_pmf(duration)
    assert pmf.min() >= -1e-12 and pmf.sum() == pytest.approx(1.0, abs=1e-12)
    assert np.arange(len(pmf)) @ pmf == pytest.approx(duration.mean, abs=1e-3)


def test_event_census_is_poisson_with_mean_rate_times_mean_delay():
    # M/G/infinity: Poisson arrivals at 20 a day, lognormal stays (mean 10 days); the stationary
    # number inside is Poisson(200). About 3,000 days of census, correlated over ~2 x 10 days:
    # ~150 independent looks, so the mean's standard error is ~sqrt(200 / 150) = 1.2 (0.6%)
    rng = np.random.default_rng(11)
    line = DelayLine(WAIT, (2, 1), rng)
    census = []
    for day in range(3200):
        line.add(rng.poisson([[12.0], [8.0]]))
        line.leave()
        if day >= 200:
            census.append(line.inside.sum())
    census = np.array(census)
    assert census.mean() == pytest.approx(200.0, rel=0.03)
    assert census.var() / census.mean() == pytest.approx(1.0, rel=0.25)


def test_fluid_census_settles_at_rate_times_mean_delay_and_conserves():
    line = DelayLine(WAIT, (1, 1))
    left = 0.0
    for _ in range(600):
        line.add(np.array([[20.0]]))
        left += line.leave().sum()
    assert line.inside.sum() == pytest.approx(200.0, rel=1e-3)
    assert left + line.inside.sum() == pytest.approx(600 * 20.0, rel=1e-12)


def test_delays_past_the_horizon_end_on_its_last_day_and_are_not_lost():
    rng = np.random.default_rng(0)
    line = DelayLine(Fixed(dist="fixed", value=10_000.0), (1, 1), rng)
    line.add(np.array([[5]]))
    out = sum(line.leave().sum() for _ in range(600))
    assert out == 5 and line.inside.sum() == 0
