"""The replication rule against known variance, and a run that adds replications until it holds."""

import subprocess
import sys

import numpy as np
import pytest
from conftest import BASELINE, EXTENDED_ACCESS
from scipy import stats

from simulate.errors import InputError
from simulate.experiment.precision import assess, half_width, needed, next_total
from simulate.experiment.runner import Experiment, PrecisionRule, run
from simulate.inputs.scenario import load_scenario

Z = stats.norm.ppf(0.975)


@pytest.mark.parametrize("sd, target", [(1.0, 0.1), (3.0, 0.5), (10.0, 0.8)])
def test_needed_with_the_true_sd_matches_the_normal_formula(sd, target):
    analytic = (Z * sd / target) ** 2
    n = needed(sd, target, at_least=3)
    # t(n-1) > z, so the answer is at or above the normal one; by (t/z)^2 < 1 + 3/n at most
    assert analytic <= n <= analytic * (1 + 3 / analytic) ** 2 + 1
    assert stats.t.ppf(0.975, n - 1) * sd / np.sqrt(n) <= target
    assert stats.t.ppf(0.975, n - 2) * sd / np.sqrt(n - 1) > target


def test_the_estimate_from_a_sample_is_near_the_analytic_need():
    rng = np.random.default_rng(7)
    sigma, mu, p = 4.0, 200.0, 0.01
    analytic = (Z * sigma / (p * mu)) ** 2  # 15.4 of the differences below
    baseline = rng.normal(mu, 20.0, 400)
    verdict = assess(rng.normal(1.0, sigma, 400), baseline, p)
    assert verdict.met and verdict.needed == 400  # never fewer than already run
    first = assess(rng.normal(1.0, sigma, 4), baseline[:4], p)
    # s^2 from 3 degrees of freedom: a 95% chi-square range of the need, plus t vs z
    low, high = stats.chi2.ppf([0.025, 0.975], 3) / 3
    t_over_z = stats.t.ppf(0.975, 3) / Z
    assert analytic * low <= first.needed <= analytic * high * t_over_z**2 + 1


def sequential(rng, sigma, mu, p, cap=1000, start=3):
    """The rule as the experiment drives it, on synthetic paired differences."""
    differences, baseline = rng.normal(0.5, sigma, cap), rng.normal(mu, 5.0, cap)
    n = start
    while True:
        verdict = assess(differences[:n], baseline[:n], p)
        if verdict.met or n >= cap:
            return n, verdict
        n = next_total([verdict], cap)


def test_the_rule_stops_when_the_interval_is_within_precision():
    sigma, mu, p = 2.0, 100.0, 0.01
    analytic = (Z * sigma / (p * mu)) ** 2  # 15.4
    stops = []
    for seed in range(200):
        n, verdict = sequential(np.random.default_rng(seed), sigma, mu, p)
        assert verdict.met and verdict.half_width <= p * abs(verdict.baseline_mean)
        stops.append(n)
    # the stopping count is centred near the analytic one (t and a noisy s push it a little up)
    assert analytic <= np.median(stops) <= 1.5 * analytic


def test_the_cap_ends_an_imprecise_run_unmet():
    n, verdict = sequential(np.random.default_rng(1), sigma=50.0, mu=100.0, p=0.01, cap=20)
    assert n == 20 and not verdict.met and verdict.needed > 20


def test_identical_scenarios_meet_the_rule_at_once():
    verdict = assess(np.zeros(3), np.array([10.0, 11.0, 12.0]), 0.05)
    assert verdict.met and verdict.half_width == 0 and verdict.needed == 3
    assert half_width(np.array([1.0])) == np.inf


def test_batches_round_up_to_keep_workers_busy():
    verdicts = [assess(np.array([1.0, -1.0, 2.0]), np.full(3, 10.0), 0.05)]
    assert next_total(verdicts, cap=1000, step=4) % 4 == 3
    assert next_total(verdicts, cap=7, step=4) == 7


def test_an_unknown_metric_names_the_valid_ones():
    with pytest.raises(InputError) as raised:
        PrecisionRule("ae_attendence", 0.05, 10)
    assert "ae_attendances" in str(raised.value) and str(raised.value).startswith("--metric:")


def test_the_command_line_refuses_an_unknown_metric_in_one_line(tmp_path):
    args = ["run", "--place", "tiny", "--precision", "0.05", "--metric", "nope"]
    result = subprocess.run(
        [sys.executable, "-m", "simulate", *args, "--out", str(tmp_path / "o")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("icsim: --metric: unknown cube variable 'nope'; one of: ")
    assert not (tmp_path / "o").exists()


def test_a_run_adds_replications_to_the_cap_and_resumes_them(tmp_path):
    scenarios = tuple(load_scenario(f, ('place="tiny"',)) for f in (BASELINE, EXTENDED_ACCESS))
    experiment = Experiment(scenarios, 3, 5, months=1, warmup_months=1)
    rule = PrecisionRule("ae_4h_breaches", 0.001, cap=4)
    cube = run(experiment, tmp_path, command="t", rule=rule)
    assert cube.sizes["replication"] == 4 and cube.attrs["replications"] == 4
    assert cube.attrs["precision_met"] == 0 and cube.attrs["precision_metric"] == "ae_4h_breaches"
    saved = {p: p.stat().st_mtime_ns for p in (tmp_path / "parts").glob("*.npz")}
    assert len(saved) == 8
    again = run(experiment, tmp_path, command="t", rule=rule)
    assert {p: p.stat().st_mtime_ns for p in saved} == saved
    np.testing.assert_array_equal(again["cost"].values, cube["cost"].values)
    loose = run(experiment, tmp_path, command="t", rule=PrecisionRule("cost", 0.5, 4))
    assert loose.attrs["precision_met"] == 1 and loose.sizes["replication"] == 3
