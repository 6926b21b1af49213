"""Uncertain parameters: per-replication distributions, sampled with common random numbers."""

import math

import numpy as np
import pytest
from conftest import BASELINE
from pydantic import TypeAdapter, ValidationError

from simulate.inputs.scenario import load_scenario, scenario_from_toml
from simulate.inputs.uncertain import Uncertain
from simulate.model.streams import Streams

ADAPTER = TypeAdapter(Uncertain)
CASES = [
    ({"dist": "uniform", "low": 2, "high": 6}, 4.0, (2, 6)),
    ({"dist": "triangular", "low": 1, "mode": 2, "high": 6}, 3.0, (1, 6)),
    ({"dist": "normal", "mean": 5, "sd": 2}, 5.0, (-math.inf, math.inf)),
    ({"dist": "normal", "mean": 0.4, "sd": 0.1, "low": 0, "high": 1}, 0.4, (0, 1)),
    ({"dist": "lognormal", "mean": 3, "sd": 2}, 3.0, (0, math.inf)),
    ({"dist": "beta", "alpha": 2, "beta": 6}, 0.25, (0, 1)),
    ({"dist": "fixed", "value": 7}, 7.0, (7, 7)),
]


@pytest.mark.parametrize("table, mean, support", CASES, ids=lambda c: str(c)[:30])
def test_inversion_matches_the_analytic_mean_and_support(table, mean, support):
    dist = ADAPTER.validate_python(table)
    assert dist.mean == pytest.approx(mean, rel=1e-4)  # truncation moves a normal's mean a little
    assert dist.support == support
    quantiles = (np.arange(2_000) + 0.5) / 2_000  # midpoints: the mean by quadrature
    values = np.array([dist.ppf(u) for u in quantiles])
    assert values.mean() == pytest.approx(mean, rel=1e-2)
    assert values.min() >= support[0] and values.max() <= support[1]
    assert np.all(np.diff(values) >= 0)  # larger u, larger value: CRN keeps the order


@pytest.mark.parametrize(
    "table",
    [
        {"dist": "uniform", "low": 3, "high": 3},
        {"dist": "triangular", "low": 1, "mode": 7, "high": 6},
        {"dist": "normal", "mean": 1, "sd": 0},
        {"dist": "normal", "mean": 1, "sd": 1, "low": 2, "high": 1},
        {"dist": "lognormal", "mean": -1, "sd": 1},
        {"dist": "beta", "alpha": 0, "beta": 1},
    ],
)
def test_invalid_parameters_are_rejected(table):
    with pytest.raises(ValidationError):
        ADAPTER.validate_python(table)


def _psa(tmp_path, name, extra=""):
    path = tmp_path / f"{name}.toml"
    path.write_text(
        f'extends = "{BASELINE}"\n[hub]\n'
        'minutes_per_1000_per_week = { dist = "triangular", low = 20, mode = 30, high = 45 }\n'
        f"{extra}"
    )
    return load_scenario(path)


def test_one_draw_per_replication_shared_by_scenarios(tmp_path):
    a = _psa(tmp_path, "a")
    b = _psa(tmp_path, "b", '[leavers]\nto_ae_share = { dist = "beta", alpha = 3, beta = 17 }\n')
    assert a.spec.hub.minutes_per_1000_per_week == pytest.approx(95 / 3)  # the nominal mean
    draws = []
    for replication in range(5):
        sa, sb = a.sampled(Streams(1, replication)), b.sampled(Streams(1, replication))
        value = sa.spec.hub.minutes_per_1000_per_week
        assert sb.spec.hub.minutes_per_1000_per_week == value  # common random numbers
        assert dict(sa.sampled_values) == {"hub.minutes_per_1000_per_week": value}
        assert 20 <= value <= 45
        draws.append(value)
        # the same stream, the same draw, however many times it is asked
        assert a.sampled(Streams(1, replication)).spec == sa.spec
    assert len(set(draws)) == 5
    assert b.sampled(Streams(1, 0)).sampled_values[1][0] == "leavers.to_ae_share"


def test_all_fixed_is_the_scenario_itself(tmp_path, baseline_tiny):
    assert baseline_tiny.sampled(Streams(1, 0)) is baseline_tiny
    path = tmp_path / "fixed.toml"
    table = '{ dist = "fixed", value = 30 }'
    path.write_text(f'extends = "{BASELINE}"\n[hub]\nminutes_per_1000_per_week = {table}\n')
    fixed = load_scenario(path)
    streams = Streams(1, 0)
    sampled = fixed.sampled(streams).spec.model_dump(exclude={"description"})
    assert sampled == load_scenario(BASELINE).spec.model_dump(exclude={"description"})
    assert streams.names == []  # a fixed value uses no random number


def test_the_cube_text_rebuilds_the_same_draws(tmp_path):
    a = _psa(tmp_path, "a")
    again = scenario_from_toml(a.toml, tmp_path)
    assert again.uncertain == a.uncertain
    assert again.sampled_values == ()
    assert again.sampled(Streams(3, 2)).sampled_values == a.sampled(Streams(3, 2)).sampled_values


def test_name_is_the_file_stem_unless_set(tmp_path):
    assert _psa(tmp_path, "my-scenario").name == "my-scenario"
    path = tmp_path / "other.toml"
    path.write_text(f'extends = "{BASELINE}"\nname = "chosen"\n')
    assert load_scenario(path).name == "chosen"
    child = tmp_path / "child.toml"
    child.write_text('extends = "other.toml"\n')
    assert load_scenario(child).name == "child"  # a name is never inherited
