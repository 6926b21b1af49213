"""Commissioning by registered list or by residence: the resident shares resolved, outcomes split
by them conserved over places, an isolated place the same under both bases, bad tables one line."""

import numpy as np
import pytest
import xarray as xr
from helpers import PLACES, icsim, one_line_error

from simulate.inputs.residence import resident_shares
from simulate.model.place import load_place
from simulate.model.replication import run_replication
from simulate.model.streams import Streams
from simulate.results.residence import basis, by_place, with_basis

THREE = """
[[places]]
code = "A"
name = "Place A"
practices = ["T01"]
residents = { A = 0.9, B = 0.1 }

[[places]]
code = "B"
name = "Place B"
practices = ["T02"]

[[places]]
code = "C"
name = "Place C"
practices = ["T03"]
"""
"""The tiny place's practices in three places: A and B share patients, C keeps to itself."""


def three_places(tmp_path, places: str = THREE, practice: str = "", head: str = ""):
    """The tiny place split into places; ``practice`` goes into T02's table, ``head`` at the top."""
    import shutil

    text = (PLACES / "tiny.toml").read_text()
    text = text.replace('code = "T02"\n', f'code = "T02"\n{practice}', 1)
    shutil.copy(PLACES / "example-practices.csv", tmp_path)
    path = tmp_path / "three.toml"
    path.write_text(head + text + places)
    return path


@pytest.fixture(scope="module")
def split_run(tmp_path_factory, baseline_tiny, short_clock):
    folder = tmp_path_factory.mktemp("residence")
    place = load_place(str(three_places(folder, practice="residents = { A = 0.05, B = 0.95 }\n")))
    return place, run_replication(baseline_tiny, place, short_clock, Streams(3, 0))


def test_shares_resolve_by_practice_then_place_then_home(split_run):
    place, out = split_run
    expected = [[0.9, 0.1, 0.0], [0.05, 0.95, 0.0], [0.0, 0.0, 1.0]]
    np.testing.assert_allclose(resident_shares(place.spec), expected)
    np.testing.assert_allclose(out["resident_share"].values, expected)
    assert out["residence"].values.tolist() == ["A", "B", "C"]
    assert basis(out) == "registered"  # the default


@pytest.mark.parametrize("name", ["gp_appointments", "emergency_admissions", "cost", "bed_days"])
def test_totals_over_places_are_the_same_on_both_bases(split_run, name):
    _, out = split_run
    registered = by_place(out[name], out)
    resident = by_place(out[name], with_basis(out, "resident"))
    whole = out[name].sum("practice")
    # to rounding: measured at most 2e-16 relative (sums of three terms in other orders)
    np.testing.assert_allclose(registered.sum("place"), whole, rtol=1e-14)
    np.testing.assert_allclose(resident.sum("place"), whole, rtol=1e-14)
    # C lives and registers within itself: the same numbers, bit for bit, on both bases
    assert registered.sel(place="C").identical(resident.sel(place="C"))
    # A and B: B gains A's 10% less its own 5% sent to A (by the practices' own numbers)
    a, b = (out[name].isel(practice=i) for i in (0, 1))
    np.testing.assert_allclose(resident.sel(place="B"), 0.1 * a + 0.95 * b, rtol=1e-12)
    assert float(abs(resident.sel(place="B") - registered.sel(place="B")).sum()) > 0


def test_a_cube_made_before_residence_groups_by_the_practices_place(split_run):
    _, out = split_run
    old = out.drop_vars(["resident_share", "residence"])
    np.testing.assert_array_equal(
        by_place(out["gp_appointments"], old), out["gp_appointments"].groupby("place").sum()
    )
    assert by_place(out["ae_4h_breaches"], out) is None  # system-level: no place


@pytest.mark.parametrize(
    ("places", "practice", "head", "needle", "key", "says"),
    [
        (
            THREE.replace("B = 0.1 }", "B = 0.05, X = 0.05 }"),
            "",
            "",
            "residents = { A = 0.9",
            "places[0].residents.X",
            "names place 'X', not one of the places A, B, C",
        ),
        (
            THREE.replace("B = 0.1 }", "B = 0.2 }"),
            "",
            "",
            "residents = { A = 0.9",
            "places[0].residents",
            "shares sum to 1.1, not 1",
        ),
        (
            THREE,
            "residents = { B = 0.5 }\n",
            "",
            "residents = { B = 0.5 }",
            "practices[1].residents",
            "shares sum to 0.5, not 1",
        ),
        (
            "",
            "residents = { B = 1.0 }\n",
            "",
            "residents = { B = 1.0 }",
            "practices[1].residents",
            "resident shares need [[places]] to live in; none listed",
        ),
        (
            "",
            "",
            'commissioning = "resident"\n',
            'commissioning = "resident"',
            "commissioning",
            "a resident basis needs [[places]]; none are listed",
        ),
        (
            THREE,
            "",
            'commissioning = "lived"\n',
            'commissioning = "lived"',
            "commissioning",
            "",
        ),
    ],
)
def test_bad_resident_shares_are_one_located_line_and_exit_2(
    tmp_path, places, practice, head, needle, key, says
):
    path = three_places(tmp_path, places, practice, head)
    line_number = next(i for i, t in enumerate(path.read_text().splitlines(), 1) if needle in t)
    line = one_line_error(icsim("validate", path))
    assert line.startswith(f"icsim: {path}:{line_number}: {key}: {says}"), line


def test_a_cube_keeps_the_shares_and_the_basis_through_netcdf(split_run, tmp_path):
    _, out = split_run
    out = with_basis(out, "resident")
    out.attrs = {}
    out.to_netcdf(tmp_path / "part.nc", engine="h5netcdf")
    back = xr.open_dataset(tmp_path / "part.nc", engine="h5netcdf")
    assert basis(back) == "resident"
    np.testing.assert_array_equal(back["resident_share"], out["resident_share"])


def test_scenarios_with_their_own_shares_are_each_split_by_their_own(split_run):
    _, out = split_run
    data = out["gp_appointments"].expand_dims(scenario=["a", "b"])
    shares = out["resident_share"]
    other = shares.copy(data=[[0.5, 0.5, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    both = xr.concat(
        [shares, other], dim=xr.DataArray(["a", "b"], dims="scenario", name="scenario")
    )
    cube = with_basis(out.expand_dims(scenario=["a", "b"]), "resident")
    cube = cube.assign_coords(resident_share=(both.dims, both.values, cube.resident_share.attrs))
    found = by_place(data, cube)
    np.testing.assert_allclose(
        found.sel(scenario="a"), by_place(data.sel(scenario="a"), with_basis(out, "resident"))
    )
    a = out["gp_appointments"].isel(practice=0)
    np.testing.assert_allclose(found.sel(scenario="b", place="A"), 0.5 * a, rtol=1e-12)
