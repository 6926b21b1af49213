"""A two-trust system of two places through the command line: compare by provider and place."""

import json

import pytest
from helpers import icsim, one_line_error, two_trust_place

from simulate.shipped import shipped_dir

PLACES = """
[[places]]
code = "N"
name = "North place"
practices = ["T01", "T02"]
residents = { N = 0.9, S = 0.1 }

[[places]]
code = "S"
name = "South place"
practices = ["T03"]
"""


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("providers")
    place = two_trust_place(
        folder, "{ emergency = { A = 0.7, B = 0.3 } }", "{ emergency = { B = 1.0 } }", PLACES
    )
    out = folder / "run"
    result = icsim("run", "--place", place, "-n", "2", "--months", "2", "--out", out, "-q")
    assert result.returncode == 0, result.stderr
    return out


def records(run, by, basis=None):
    more = ("--basis", basis) if basis else ()
    result = icsim("compare", run, "--by", by, "--format", "json", *more)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["effects"]


def test_compare_by_provider_gives_each_trust_and_they_add_up(run):
    found = records(run, "provider")
    groups = {r["group"] for r in found}
    assert groups == {"A", "B"}
    variables = {r["variable"] for r in found}
    assert variables == {
        "ae_attendances",
        "ae_4h_breaches",
        "emergency_admissions",
        "beds_occupied",
        "provider_cost",
    }
    # the trusts' attendances and admissions add up to the system's, scenario and baseline alike
    system = json.loads(icsim("compare", run, "--format", "json").stdout)["effects"]
    for whole in system:
        if whole["variable"] not in ("ae_attendances", "emergency_admissions"):
            continue
        mine = [
            r
            for r in found
            if (r["variable"], r["scenario"]) == (whole["variable"], whole["scenario"])
        ]
        assert len(mine) == 2
        for key in ("baseline_mean", "scenario_mean"):
            assert sum(r[key] for r in mine) == pytest.approx(whole[key], rel=1e-12)
    # B sees all of the south (8,000 patients) and 30% of the north (8,000): more than A
    seen = {r["group"]: r["baseline_mean"] for r in found if r["variable"] == "ae_attendances"}
    assert seen["B"] > seen["A"] > 0


def test_compare_by_place_groups_the_practices_of_each_place(run):
    found = records(run, "place")
    assert {r["group"] for r in found} == {"N", "S"}
    system = json.loads(icsim("compare", run, "--format", "json").stdout)["effects"]
    for whole in system:
        if whole["variable"] not in ("gp_appointments", "emergency_admissions"):
            continue
        key = (whole["variable"], whole["scenario"])
        parts = [r["difference"] for r in found if (r["variable"], r["scenario"]) == key]
        assert len(parts) == 2
        assert sum(parts) == pytest.approx(whole["difference"], rel=1e-9, abs=1e-9)


def test_by_place_without_places_is_one_line(tiny_run):
    line = one_line_error(icsim("compare", tiny_run, "--by", "place"))
    assert line == (
        "icsim: --by: the cube's place lists no [[places]], so there is nothing to break down "
        "by place"
    )


def test_compare_by_place_says_its_basis_and_both_bases_give_the_same_totals(run):
    table = icsim("compare", run, "--by", "place")
    assert table.returncode == 0, table.stderr
    assert "Places by registered list: each practice's patients count in its own place." in (
        table.stdout.replace("\n", " ")
    )
    registered, resident = records(run, "place"), records(run, "place", "resident")
    assert {r["basis"] for r in registered} == {"registered"}
    assert {r["basis"] for r in resident} == {"resident"}
    for key in ("baseline_mean", "difference"):
        for variable in ("gp_appointments", "emergency_admissions", "cost"):
            total = [
                sum(r[key] for r in found if (r["variable"], r["how"]) == (variable, "total"))
                for found in (registered, resident)
            ]
            # the same sums in another order: rounding of values up to ~1e7 is ~1e-9, and a
            # difference that is zero on one basis may be -3e-12 on the other
            assert total[0] == pytest.approx(total[1], rel=1e-12, abs=1e-6)
    # 10% of the north's lists live in the south: the south's residents' admissions are more
    south = [
        next(r for r in found if (r["group"], r["variable"]) == ("S", "emergency_admissions"))
        for found in (registered, resident)
    ]
    assert south[1]["baseline_mean"] > south[0]["baseline_mean"] * 1.05
    line = one_line_error(icsim("compare", run, "--basis", "resident"))
    assert line == "icsim: --basis: a commissioning basis applies to --by place only"


def test_report_shows_the_trusts_side_by_side_and_the_places(run):
    result = icsim("report", run)
    assert result.returncode == 0, result.stderr
    text = (run / "report.html").read_text()
    assert "<h2>By place (registered lists), a year</h2>" in text
    assert "<h2>By acute trust, a year</h2>" in text
    assert "How does each acute trust fare?" in text
    svg = (run / "figures" / "provider_plot.svg").read_text()
    assert "The acute trusts side by side" in svg and "run run |" in svg


def test_the_mean_field_runs_several_trusts_and_its_cube_has_each(run, tmp_path):
    import xarray as xr

    place, out = run.parent / "two.toml", tmp_path / "sd"
    result = icsim("run", shipped_dir() / "baseline.toml", "--place", place, "--mode", "sd",
                   "-n", "1", "--months", "1", "--out", out, "-q")  # fmt: skip
    assert result.returncode == 0, result.stderr
    with xr.open_dataset(out / "cube.nc") as cube:
        assert cube["provider"].values.tolist() == ["A", "B"]
        by_trust = cube["provider_ae_attendances"].sum(("scenario", "replication", "month"))
        total = cube["ae_attendances"].sum()
        assert float(by_trust.sum()) == pytest.approx(float(total), rel=1e-12)
        assert float(by_trust[1]) > float(by_trust[0]) > 0  # B: all the south, 30% of the north


def test_calibration_by_place_divides_each_place_by_its_own_people(run):
    from simulate.model.place import load_place
    from simulate.results.calibration import by_place, table
    from simulate.results.cube import load

    cube, place = load(run / "cube.nc"), load_place(str(run.parent / "two.toml"))
    found = by_place(cube, place)
    assert list(found) == ["N", "S", "trust A", "trust B"]
    people = place.population.demand_base.sum(axis=(1, 2))
    share = {"N": people[:2].sum() / people.sum(), "S": people[2:].sum() / people.sum()}
    whole = {t.name: mean for t, mean, _ in table(cube, place)}
    # a per-1,000 rate of the whole is the places' rates weighted by their people
    name = "A&E attendances per 1,000 residents a year"
    parts = sum(share[code] * dict((t.name, m) for t, m, _ in found[code])[name] for code in share)
    assert parts == pytest.approx(whole[name], rel=1e-9)
    assert all(len(found[f"trust {p}"]) == 1 for p in "AB")
