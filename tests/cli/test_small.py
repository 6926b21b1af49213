"""Small ones (issue 20, item 11): a place file is checked as one; outputs respect the umask."""

import os
import re

import xarray as xr

from simulate.cli import main
from simulate.results.cube import write_atomic
from simulate.shipped import shipped_dir


def test_a_place_file_without_practices_is_checked_as_a_place(tmp_path, capsys):
    text = (shipped_dir() / "places" / "tiny.toml").read_text()
    cut = re.split(r"^\[\[practices\]\]", text, flags=re.M)[0]
    place = tmp_path / "place.toml"
    place.write_text(cut)
    assert main(["validate", str(place)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "practices" in err[0], err


def test_outputs_respect_the_umask(tmp_path):
    previous = os.umask(0o022)
    try:
        write_atomic(xr.Dataset({"a": ("x", [1.0])}, coords={"x": [0]}), tmp_path / "cube.nc")
    finally:
        os.umask(previous)
    assert (tmp_path / "cube.nc").stat().st_mode & 0o777 == 0o644
