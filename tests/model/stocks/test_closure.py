"""The Gaussian closure of the bed-investment trigger, each piece against an exact result."""

import numpy as np
import pytest
from conftest import BASELINE
from scipy import integrate, stats

from simulate.inputs.distributions import LogNormal
from simulate.inputs.scenario import load_scenario
from simulate.model.stocks.closure import Perception, expected_gap, partial_expectation
from simulate.model.stocks.economy import Pressures, for_place
from simulate.model.tiers.kernels import census_correlation

SMOOTHING = 1 - np.exp(-1 / 3)  # three months' perception, the baseline's


def _lognormal(mean, sd):
    """The baseline's acute length of stay (``length_of_stay_days``): lognormal by mean and sd."""
    sigma2 = np.log(1 + (sd / mean) ** 2)
    return stats.lognorm(np.sqrt(sigma2), scale=np.exp(np.log(mean) - sigma2 / 2))


@pytest.mark.parametrize("mean, sd, k", [(0.93, 0.016, 0.95), (0.96, 0.02, 0.95), (0.5, 1.0, 2.0)])
def test_the_partial_expectation_is_the_integral_of_the_normal_tail(mean, sd, k):
    density = stats.norm(mean, sd).pdf
    exact, _ = integrate.quad(lambda x: (x - k) * density(x), k, mean + 12 * sd, epsabs=1e-13)
    assert partial_expectation(mean, sd, k) == pytest.approx(exact, rel=1e-7, abs=1e-13)
    # and without noise it is the deterministic rule's
    assert partial_expectation(mean, 0.0, k) == max(mean - k, 0.0)


def test_the_expected_gap_is_the_mean_of_the_threshold_rule_over_normal_occupancy():
    rng = np.random.default_rng(3)
    beds, trigger, coming = 620, 0.95, 4.0
    p = rng.normal(0.935, 0.016, 2_000_000)
    rule = np.maximum(beds * p / trigger - beds - coming, 0.0)  # the rule, month by month
    sampled = rule.mean()  # standard error 0.02%
    assert expected_gap(beds, 0.935, 0.016**2, trigger, coming) == pytest.approx(sampled, rel=3e-3)
    assert expected_gap(beds, 0.935, 0.0, trigger, coming) == 0.0  # the mean alone builds none


def test_smoothing_independent_noise_keeps_s_over_2_minus_s_of_its_variance():
    rng = np.random.default_rng(11)
    chains, months, sigma2 = 200_000, 30, 4.0
    x = rng.normal(0.0, np.sqrt(sigma2), (months, chains))
    p = x[0].copy()  # the first report is taken whole
    perception = Perception(SMOOTHING)
    v = perception.report(sigma2)
    for t in range(1, months):
        p += (x[t] - p) * SMOOTHING  # the stocks' smoothing, as an AR(1)
        v = perception.report(sigma2)
        if t in (1, 3, 29):  # sample variance's relative standard error sqrt(2/N) = 0.3%
            assert p.var() == pytest.approx(v, rel=0.015)
    assert v == pytest.approx(SMOOTHING / (2 - SMOOTHING) * sigma2, rel=1e-4)  # the fixed point


def test_smoothing_correlated_months_keeps_their_covariance():
    # month-end censuses correlated 0.09 one month apart and 0.03 two apart (the default stay's),
    # made as a moving average of independent normals with those autocorrelations, variances
    # changing month to month; the smoothed series' sample variance against the exact sum
    rng = np.random.default_rng(12)
    chains, months = 200_000, 24
    rho = (0.09, 0.03)
    theta = _moving_average_for(rho)
    sds = 1.0 + 0.5 * np.sin(np.arange(months))
    noise = rng.normal(size=(months + 2, chains))
    unit = (noise[2:] + theta[0] * noise[1:-1] + theta[1] * noise[:-2]) / np.sqrt(
        1 + theta[0] ** 2 + theta[1] ** 2
    )
    x = sds[:, None] * unit
    p = x[0].copy()
    perception = Perception(SMOOTHING)
    v = perception.report(sds[0] ** 2, rho)
    for t in range(1, months):
        p += (x[t] - p) * SMOOTHING
        v = perception.report(sds[t] ** 2, rho)
    assert p.var() == pytest.approx(v, rel=0.015)
    # and the independent-month formula would have been 16% short at a steady sd
    steady = Perception(SMOOTHING)
    for _ in range(60):
        with_rho = steady.report(1.0, rho)
    assert with_rho / (SMOOTHING / (2 - SMOOTHING)) == pytest.approx(1.16, abs=0.01)


def _moving_average_for(rho):
    """MA(2) coefficients with lag-1 and lag-2 autocorrelations ``rho`` (solved numerically)."""
    from scipy.optimize import fsolve

    def gap(theta):
        a, b = theta
        norm = 1 + a * a + b * b
        return [(a + a * b) / norm - rho[0], b / norm - rho[1]]

    return fsolve(gap, [rho[0], rho[1]])


def test_the_month_end_census_of_an_mginf_bed_stage_is_poisson_and_months_barely_correlate():
    rng = np.random.default_rng(5)
    stay = _lognormal(7.9, 11.2)
    rate, horizon, reps = 3.0, 300.0, 8_000  # P(stay > 270 days) < 1e-4: the start is forgotten
    arrivals = rng.poisson(rate * horizon, reps)
    rep = np.repeat(np.arange(reps), arrivals)
    start = rng.uniform(0, horizon, arrivals.sum())
    end = start + stay.rvs(size=start.size, random_state=rng)
    month_end = np.bincount(rep, (start <= horizon) & (end > horizon), reps)
    month_before = np.bincount(rep, (start <= horizon - 30) & (end > horizon - 30), reps)
    mean = rate * 7.9  # Little's law
    assert month_end.mean() == pytest.approx(mean, rel=0.01)  # standard error 0.23%
    assert month_end.var() / month_end.mean() == pytest.approx(1.0, abs=0.06)  # s.e. 0.016
    # the correlation 30 days apart: patients staying through both, int_30^inf P(S > u) du / E[S]
    shared, _ = integrate.quad(stay.sf, 30, np.inf)
    assert shared / 7.9 == pytest.approx(0.090, abs=0.001)
    # the fluid trust's closed form (the lognormal's excess) gives the same
    stays, admitted = np.ones((1, 1, 1)), np.ones((1, 1, 1))
    (closed,) = census_correlation(
        LogNormal(dist="lognormal", mean=7.9, sd=11.2), stays, admitted, [30.0]
    )
    assert closed == pytest.approx(shared / 7.9, rel=1e-6)
    assert np.corrcoef(month_end, month_before)[0, 1] == pytest.approx(shared / 7.9, abs=0.04)


@pytest.mark.parametrize("census_variance", [0.0, 1.0])  # a realised count; a Poisson expectation
def test_the_stocks_build_beds_for_an_expected_census_under_the_trigger_only_if_it_is_noisy(
    tiny, census_variance
):
    spec = load_scenario(BASELINE, ('place="tiny"', "dynamics.hold_age_structure=true")).spec
    stocks = for_place(spec, tiny)
    beds = tiny.spec.trust.beds
    occupied, opened = 0.9 * beds, []  # 90%, under the 95% trigger
    for _ in range(36):
        slots = stocks.gp_fte * 35.7 * 21
        pressures = Pressures(slots, slots, occupied, beds, census_variance * occupied)
        opened.append(stocks.month(pressures))
    # the perceived variance has reached its fixed point, s / (2 - s) of the monthly occupancy's
    variance = SMOOTHING / (2 - SMOOTHING) * census_variance * occupied / beds**2
    assert stocks.perceived_variance == pytest.approx(variance)
    if census_variance == 0:
        assert sum(opened) == 0.0  # the deterministic rule: under the trigger, never a bed
    else:
        # 36 Poisson patients in 40 beds: perceived sd 6.1 points, the trigger 0.8 sd away, so
        # 0.3 beds a month are asked for with none coming; by the third year the pipeline is
        # steady and opens what is asked at what is in it
        assert expected_gap(beds, 0.9, variance, 0.95, 0.0) == pytest.approx(0.298, abs=0.001)
        coming = stocks.bed_pipeline.in_transit
        asked = expected_gap(beds, 0.9, variance, 0.95, coming)
        assert sum(opened[-12:]) == pytest.approx(12 * asked, rel=0.02)
        assert sum(opened) > 5.0
