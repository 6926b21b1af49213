"""A cube with damaged provenance is one line naming it, exit 2, never a crash or a long run."""

import json

import pytest
import xarray as xr

from simulate.errors import InputError
from simulate.experiment.reproduce import experiment_of
from simulate.model.place import load_place
from simulate.shipped import shipped_dir

GOOD = {
    "scenario_toml": json.dumps({"b": (shipped_dir() / "baseline.toml").read_text()}),
    "place_toml": json.dumps({"b": load_place("tiny").text}),  # as a cube has it: stamped
    "replications": 2,
    "root_seed": 1,
    "months": 1,
    "warmup_months": 0,
}


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"scenario_toml": "{not json"}, "damaged"),
        ({"scenario_toml": json.dumps(["a list"])}, "damaged"),
        ({"root_seed": "one"}, "damaged"),
        ({"replications": 10**9}, "replications"),
        ({"place_toml": json.dumps({})}, "provenance"),
    ],
)
def test_damaged_provenance_is_bad_input(tmp_path, change, says):
    cube = xr.Dataset(attrs={**GOOD, **change})
    with pytest.raises(InputError, match=says) as raised:
        experiment_of(cube, tmp_path / "cube.nc")
    assert "\n" not in str(raised.value) and str(tmp_path / "cube.nc") in str(raised.value)
