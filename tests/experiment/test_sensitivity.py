"""Sensitivity indices against analytic functions, ranges from scenarios, and a tiny run's files."""

import subprocess
import sys

import numpy as np
import pytest
from conftest import BASELINE

from simulate.errors import InputError
from simulate.experiment.sensitivity import Parameter, declared_range, indices, parse_params

PI = (-np.pi, np.pi)


def ishigami(x, a=7.0, b=0.1):
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_sobol_on_ishigami_gives_the_analytic_indices():
    parameters = [Parameter(f"x{i}", *PI) for i in (1, 2, 3)]
    rows = {r["parameter"]: r for r in indices(parameters, "sobol", 1024, ishigami, seed=3)}
    # Ishigami & Homma (1990) with a = 7, b = 0.1: S1 = 0.314, 0.442, 0; ST = 0.558, 0.442, 0.244
    for name, s1, st in (("x1", 0.314, 0.558), ("x2", 0.442, 0.442), ("x3", 0.0, 0.244)):
        assert rows[name]["S1"] == pytest.approx(s1, abs=0.05)
        assert rows[name]["ST"] == pytest.approx(st, abs=0.05)


def test_morris_on_a_linear_function_gives_its_slopes_times_the_ranges():
    parameters = [Parameter("a", 0, 2), Parameter("b", 10, 20), Parameter("c", 0, 1)]
    rows = indices(parameters, "morris", 10, lambda x: 3 * x[:, 0] - 0.5 * x[:, 1], seed=1)
    mu_star = [r["mu_star"] for r in rows]
    np.testing.assert_allclose(mu_star, [6.0, 5.0, 0.0], atol=1e-9)
    assert rows[1]["mu"] == pytest.approx(-5.0) and max(r["sigma"] for r in rows) < 1e-9


def test_ranges_come_from_the_command_line_or_the_scenario_distribution():
    data = {
        "leavers": {"to_ae_share": {"dist": "triangular", "low": 0.1, "mode": 0.2, "high": 0.4}},
        "hub": {"minutes_per_1000_per_week": 30.0, "x": {"dist": "normal", "mean": 5, "sd": 1}},
        "practice": {"routine_tolerance_working_days": 10},
    }
    found = parse_params(
        "leavers.to_ae_share, hub.minutes_per_1000_per_week=20:60, "
        "practice.routine_tolerance_working_days=5:15",
        data,
    )
    assert [(p.low, p.high) for p in found] == [(0.1, 0.4), (20.0, 60.0), (5.0, 15.0)]
    assert (
        found[2].integer and found[2].assignment(7.6) == "practice.routine_tolerance_working_days=8"
    )
    low, high = declared_range("x", data["hub"]["x"])
    assert low == pytest.approx(5 - 1.96, abs=1e-3) and high == pytest.approx(5 + 1.96, abs=1e-3)
    low, high = declared_range("los", {"dist": "lognormal", "mean": 4.0, "sd": 2.0})
    assert 0 < low < 4 < high


@pytest.mark.parametrize(
    "text, words",
    [
        ("hub.nope=1:2,leavers.to_ae_share=0:1", "no such scenario key 'hub.nope'"),
        ("hub.minutes_per_1000_per_week,leavers.to_ae_share=0:1", "not a distribution"),
        ("hub.minutes_per_1000_per_week=5:1,leavers.to_ae_share=0:1", "LOW must be below HIGH"),
        ("hub.minutes_per_1000_per_week=1:5", "at least two"),
    ],
)
def test_bad_parameters_are_one_line(text, words):
    data = {"hub": {"minutes_per_1000_per_week": 30.0}, "leavers": {"to_ae_share": 0.2}}
    with pytest.raises(InputError) as raised:
        parse_params(text, data)
    assert words in str(raised.value) and "\n" not in str(raised.value)


def test_a_tiny_morris_run_writes_indices_and_figure_beside_the_cube(tmp_path):
    out = tmp_path / "sens"
    args = ["sensitivity", BASELINE, "--place", "tiny", "--method", "morris", "-n", "2"]
    args += ["--params", "leavers.to_ae_share=0.05:0.3,hub.minutes_per_1000_per_week=20:60"]
    args += ["--replications", "1", "--months", "1", "--warmup-months", "1", "-q", "--out", out]
    result = subprocess.run(
        [sys.executable, "-m", "simulate", *map(str, args)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "morris indices of ae_attendances over 6 points" in result.stdout
    for name in (
        "cube.nc",
        "sensitivity.csv",
        "figures/sensitivity.png",
        "figures/sensitivity.svg",
    ):
        assert (out / name).is_file(), name
    lines = (out / "sensitivity.csv").read_text().splitlines()
    assert lines[0] == "parameter,mu_star,mu_star_conf,mu,sigma" and len(lines) == 3
    assert "run sens" in (out / "figures" / "sensitivity.svg").read_text()
