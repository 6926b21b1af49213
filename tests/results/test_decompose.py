"""The decomposition of a combined scenario: parts sum exactly; a lever at zero contributes zero.

A made-up cube whose outcome is a known non-additive function of which levers are on (an
interaction between two of them, and a lever that does nothing), so Shapley values are known
in closed form: each lever's own effect plus half of the pairwise interaction it shares.
"""

import itertools
import json

import numpy as np
import pytest
import xarray as xr

from simulate.errors import InputError
from simulate.inputs.decompose import subset_name, subsets
from simulate.results.decompose import OTHER, contributions, decompose

LEVERS = ["symphony", "mcp", "at_scale"]  # at_scale does nothing here
OWN = {"symphony": -30.0, "mcp": -20.0, "at_scale": 0.0}
INTERACTION = 8.0  # symphony and mcp together save less than apart
HUB = -5.0  # the file's other change


def _value(on: frozenset, replication: int) -> float:
    noise = [0.0, 3.0, -2.0][replication]  # common to every subset of one replication
    if on is None:
        return 1000.0 + noise
    both = INTERACTION if {"symphony", "mcp"} <= on else 0.0
    return 1000.0 + noise + HUB + sum(OWN[x] for x in on) + both


def _cube(how: str) -> xr.Dataset:
    names, values = ["baseline"], [[_value(None, r) for r in range(3)]]
    for subset in [*subsets(LEVERS, how), tuple(LEVERS)]:
        names.append("combined" if len(subset) == 3 else subset_name("combined", subset))
        values.append([_value(frozenset(subset), r) for r in range(3)])
    data = np.array(values)[:, :, None, None, None] * np.ones((1, 1, 2, 1, 1)) / 2
    dims = ("scenario", "replication", "month", "practice", "cohort")
    cube = xr.Dataset(
        {v: (dims, data) for v in ("ae_attendances", "emergency_admissions", "bed_days", "cost")},
        coords={"scenario": names, "replication": [0, 1, 2]},
    )
    text = "[interventions.symphony]\n[interventions.mcp]\n[interventions.at_scale]\n"
    cube.attrs["scenario_toml"] = json.dumps({"combined": text, "baseline": ""})
    return cube


def _parts(cube):
    found = decompose(cube)
    return {
        p.part: np.array(p.per_replication) for p in found if p.headline.label == "A&E attendances"
    }


def test_shapley_parts_sum_exactly_and_split_an_interaction_evenly():
    parts = _parts(_cube("shapley"))
    total = parts.pop("total")
    assert np.array_equal(sum(parts.values()), total)  # exactly, replication by replication
    np.testing.assert_allclose(total, HUB + sum(OWN.values()) + INTERACTION)
    np.testing.assert_allclose(parts[OTHER], HUB)
    np.testing.assert_allclose(parts["symphony"], OWN["symphony"] + INTERACTION / 2)
    np.testing.assert_allclose(parts["mcp"], OWN["mcp"] + INTERACTION / 2)
    assert np.array_equal(parts["at_scale"], np.zeros(3))  # a lever at zero contributes zero


def test_sequential_parts_sum_exactly_and_give_the_interaction_to_the_later_lever():
    parts = _parts(_cube("sequential"))
    total = parts.pop("total")
    assert np.allclose(sum(parts.values()), total, rtol=0, atol=1e-12)
    np.testing.assert_allclose(parts["symphony"], OWN["symphony"])
    np.testing.assert_allclose(parts["mcp"], OWN["mcp"] + INTERACTION)
    assert np.array_equal(parts["at_scale"], np.zeros(3))


def test_shapley_values_of_a_random_game_sum_to_the_grand_coalition():
    rng = np.random.default_rng(4)
    levers = list("abcd")
    values = {
        frozenset(c): rng.normal(size=5) * bool(c)
        for k in range(5)
        for c in itertools.combinations(levers, k)
    }
    found = contributions(values, levers)
    np.testing.assert_allclose(sum(found.values()), values[frozenset(levers)], atol=1e-12)


def test_a_cube_without_the_subsets_is_one_clear_error():
    with pytest.raises(InputError, match="--decompose"):
        contributions({frozenset(): np.zeros(1), frozenset("ab"): np.ones(1)}, ["a", "b"])


def test_on_the_model_a_zero_lever_gets_exactly_zero_and_the_parts_sum(tmp_path):
    """The real chain: subset scenarios from a file, runs with common random numbers, a cube."""
    import datetime as dt

    from conftest import BASELINE

    from simulate.inputs.decompose import decomposition
    from simulate.inputs.scenario import load_scenario
    from simulate.model.clock import Clock
    from simulate.model.place import load_place
    from simulate.model.replication import run_replication
    from simulate.model.streams import Streams

    path = tmp_path / "two.toml"
    path.write_text(
        f'extends = "{BASELINE}"\nplace = "tiny"\n'
        '[interventions.primary_care_home]\npractices = "all"\nmdt_fte_per_10000 = 3.0\n'
        "mdt_appointments_per_fte_day = 16.0\n"
        '[interventions.at_scale]\npractices = "all"\ngp_time_released_share = 0.0\n'
    )
    combined = load_scenario(path)
    scenarios = [
        load_scenario(BASELINE, ('place="tiny"',)),
        combined,
        *decomposition(combined, "shapley"),
    ]
    place, clock = load_place("tiny"), Clock(dt.date(2019, 4, 1), months=2, warmup_months=1)
    parts = [
        xr.concat(
            [run_replication(s, place, clock, Streams(7, r)) for r in range(2)], "replication"
        )
        for s in scenarios
    ]
    cube = xr.concat(parts, "scenario").assign_coords(scenario=[s.name for s in scenarios])
    cube.attrs["scenario_toml"] = json.dumps({s.name: s.toml for s in scenarios})
    parts = _parts(cube)
    total = parts.pop("total")
    assert sorted(parts) == sorted([OTHER, "at_scale", "primary_care_home"])
    assert np.array_equal(parts["at_scale"], np.zeros(2))
    assert np.array_equal(parts[OTHER], np.zeros(2))
    assert np.array_equal(sum(parts.values()), total) and (total < 0).all()


def test_compare_decompose_without_subsets_is_one_line_and_exit_2(tiny_run):
    from helpers import icsim, one_line_error

    line = one_line_error(icsim("compare", tiny_run, "--decompose"))
    assert "no scenario in the cube was run with --decompose" in line
