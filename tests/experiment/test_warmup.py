"""MSER-5 finds a known transient and none in stationary noise; the command suggests a warm-up."""

import subprocess
import sys

import numpy as np
import pytest

from simulate.experiment.warmup import Suggestion, mser


def decay(seed, n=200, tau=8.0, jump=20.0):
    """Exponential decay to a level, with unit noise: the bias is below half the noise sd from
    t = tau·ln(2·jump) ≈ 30 on."""
    t = np.arange(n)
    return 10 + jump * np.exp(-t / tau) + np.random.default_rng(seed).normal(0, 1, n)


def test_mser5_ends_the_warm_up_near_the_known_end_of_the_transient():
    cuts = [mser(decay(seed)) for seed in range(40)]
    assert 20 <= np.median(cuts) <= 40
    assert np.mean([15 <= c <= 50 for c in cuts]) >= 0.8
    assert all(c % 5 == 0 for c in cuts)


def test_mser5_suggests_about_nothing_for_stationary_noise():
    cuts = [mser(np.random.default_rng(seed).normal(5, 1, 200)) for seed in range(40)]
    assert np.median(cuts) == 0 and np.mean(np.array(cuts) <= 10) >= 0.7


def test_mser5_searches_only_the_first_half_and_needs_enough_data():
    rising = np.concatenate([np.zeros(100), np.arange(100.0)])  # a late trend, not a warm-up
    assert mser(rising) <= 100
    with pytest.raises(ValueError):
        mser(np.ones(19))


def test_weeks_round_up_to_whole_months():
    assert Suggestion("x", 0).months == 0 and Suggestion("x", 5).months == 2
    assert Suggestion("x", 30).months == 7


def test_the_command_prints_each_metric_and_the_verdict(tmp_path):
    args = ["warmup", "--place", "tiny", "--pilot-replications", "2", "--months", "6"]
    result = subprocess.run(
        [sys.executable, "-m", "simulate", *args, "--metrics", "gp_backlog,beds_occupied"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "2 replications of 27 weeks from empty" in result.stdout
    assert "gp_backlog" in result.stdout and "beds_occupied" in result.stdout
    assert "suggested warm-up:" in result.stdout and "--warmup-months" in result.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "simulate", "warmup", "--metrics", "gp_backlog,nope"],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and bad.stderr.startswith("icsim: --metrics: unknown cube variable")
