"""The mental-health keys of place and scenario files: a bad one is one located line, exit 2."""

import pytest
from helpers import icsim, one_line_error

from simulate.cli import main
from simulate.shipped import shipped_dir

TINY = shipped_dir() / "places" / "tiny.toml"
BASELINE = shipped_dir() / "baseline.toml"
MH = """
[mental_health]
code = "MHT"
name = "Tiny Mental Health Trust"
beds = 3
liaison_practitioners_per_ae = 1
cmht_caseload = 50
"""


def place(tmp_path, table: str):
    (tmp_path / "example-practices.csv").write_bytes(
        (TINY.parent / "example-practices.csv").read_bytes()
    )
    path = tmp_path / "mh.toml"
    path.write_text(TINY.read_text() + table)
    return path


def line_of(path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_a_place_with_a_mental_health_trust_is_valid(tmp_path):
    path = place(tmp_path, MH)
    result = icsim("validate", path)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("old", "new", "key", "says"),
    [
        (
            "beds = 3",
            "beds = 3\nbeds_out_of_area = 3",
            "mental_health.beds_out_of_area",
            "unknown key",
        ),
        ("beds = 3", "beds = -3", "mental_health.beds", ""),
        (
            "liaison_practitioners_per_ae = 1",
            "liaison_practitioners_per_ae = 0",
            "mental_health.liaison_practitioners_per_ae",
            "",
        ),
        (
            'code = "MHT"',
            'code = "Tiny Trust"',
            "mental_health.code",
            "'Tiny Trust' is an acute trust's code too",
        ),
    ],
)
def test_a_bad_mental_health_key_is_one_located_line_and_exit_2(tmp_path, old, new, key, says):
    path = place(tmp_path, MH.replace(old, new))
    line = one_line_error(icsim("validate", path))
    assert line.startswith(f"icsim: {path}:{line_of(path, new.splitlines()[-1])}: {key}: "), line
    assert says in line


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ("[mental_health]\nadmission_share = 1.5\n", "mental_health.admission_share"),
        (
            "[mental_health]\ncrisis_rate_ratio_by_ltc_count = [1, 2]\n",
            "mental_health.crisis_rate_ratio_by_ltc_count",
        ),
        ("[mental_health]\nbed_day_cost = 420\n", "mental_health.bed_day_cost"),
    ],
)
def test_a_bad_scenario_mental_health_key_is_one_line(tmp_path, capsys, body, key):
    path = tmp_path / "s.toml"
    path.write_text(f'extends = "{BASELINE}"\nplace = "tiny"\n{body}')
    code = main(["validate", str(path)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1, err
    assert err[0].startswith(f"icsim: {path}:4: {key}: "), err[0]
