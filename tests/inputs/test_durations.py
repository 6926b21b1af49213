"""Durations' closed forms against scipy.stats, which no one here wrote.

The mean field builds its occupancy and treatment kernels from a duration's excess
``E[(X - t)+]`` and its quantiles rather than from draws, so both must be exact.
"""

import numpy as np
import pytest
from scipy import integrate, stats

from simulate.inputs.distributions import Exponential, Fixed, LogNormal

LOGNORMAL = LogNormal(dist="lognormal", mean=7.9, sd=11.2)  # the baseline's length of stay
SCIPY_LOGNORMAL = stats.lognorm(s=LOGNORMAL.log_params[1], scale=np.exp(LOGNORMAL.log_params[0]))
CASES = [
    (LOGNORMAL, SCIPY_LOGNORMAL),
    (Exponential(dist="exponential", mean=6.0), stats.expon(scale=6.0)),
]


@pytest.mark.parametrize(("duration", "reference"), CASES)
def test_the_excess_is_the_integral_of_the_survival(duration, reference):
    for t in (0.0, 0.5, 3.0, 7.9, 40.0, 399.5):
        area, error = integrate.quad(reference.sf, t, np.inf, limit=200)
        assert float(duration.excess(t)) == pytest.approx(area, rel=1e-7, abs=1e-12)
    # before 0 nothing has been used up: E[X] - t
    assert float(duration.excess(-2.0)) == pytest.approx(reference.mean() + 2.0, rel=1e-12)


@pytest.mark.parametrize(("duration", "reference"), CASES)
def test_the_quantiles_invert_the_distribution(duration, reference):
    u = np.array([1e-4, 0.1, 0.5, 0.9, 0.9999])
    np.testing.assert_allclose(duration.quantile(u), reference.ppf(u), rtol=1e-10)


def test_a_fixed_duration_is_a_step():
    fixed = Fixed(dist="fixed", value=3.0)
    np.testing.assert_array_equal(
        fixed.excess(np.array([-1.0, 0.0, 2.0, 3.0, 5.0])), [4, 3, 1, 0, 0]
    )
    np.testing.assert_array_equal(fixed.quantile(np.array([0.1, 0.9])), [3.0, 3.0])
