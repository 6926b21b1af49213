"""Garbage refused: non-finite numbers and values of the wrong TOML type, one line, exit 2."""

import numpy as np
import pytest
import xarray as xr

from simulate.cli import main
from simulate.experiment.integrity import NonFinite, check_finite
from simulate.shipped import shipped_dir

BASELINE = (shipped_dir() / "baseline.toml").read_text()
TINY = (shipped_dir() / "places" / "tiny.toml").read_text()


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("appointments_per_gp_fte_day", "inf", "finite"),
        ("appointments_per_gp_fte_day", "nan", "finite"),
        ("appointments_per_gp_fte_day", "-inf", "finite"),
        ("to_hub_share", '"0.3"', "remove the quotes"),
        ("minutes_per_1000_per_week", "true", "valid number"),
    ],
)
def test_a_scenario_value_of_the_wrong_kind_is_refused(tmp_path, capsys, key, value, says):
    lines = BASELINE.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(f"{key} ="))
    lines[at] = f"{key} = {value}"
    bad = tmp_path / "bad.toml"
    bad.write_text("\n".join(lines) + "\n")
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith(f"icsim: {bad}:{at + 1}: ") and says in err[0]


def test_a_switch_given_as_text_is_refused(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'extends = "' + str(shipped_dir() / "baseline.toml") + '"\n[dynamics]\ncoupled = "yes"\n'
    )
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "dynamics.coupled" in err[0] and f"{bad}:3" in err[0]


def test_a_list_size_given_as_text_is_refused(tmp_path, capsys):
    bad = tmp_path / "place.toml"
    bad.write_text(TINY.replace("list_size = 8000", 'list_size = "8000"', 1))
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "list_size" in err[0] and str(bad) in err[0]


def part(values, long_name="appointments given"):
    variable = xr.DataArray(np.array(values, dtype=float), dims="month")
    return xr.Dataset({"gp_capacity": variable.assign_attrs(long_name=long_name)})


def test_a_part_with_infinity_or_nan_is_refused_naming_the_variable():
    check_finite(part([1.0, 2.0]), "r0")
    check_finite(part([np.nan], "mean wait of those seen"), "r0")  # the mean of nobody
    with pytest.raises(NonFinite, match="infinite values of gp_capacity"):
        check_finite(part([1.0, -np.inf]), "r0")
    with pytest.raises(NonFinite, match=r"undefined \(NaN\) values of gp_capacity"):
        check_finite(part([np.nan]), "r0")
