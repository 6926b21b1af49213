"""Place files with several trusts and places: catchments resolved, bad ones one line and exit 2."""

import numpy as np
import pytest
from helpers import icsim, one_line_error, two_trust_place

from simulate.inputs.catchment import catchment_shares
from simulate.model.place import load_place


def line_of(path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_shares_resolve_by_practice_then_locality_then_emergency(tmp_path):
    path = two_trust_place(
        tmp_path,
        "{ emergency = { A = 0.75, B = 0.25 }, outpatients = { A = 0.5, B = 0.5 } }",
        extra="catchment = { emergency = { A = 1.0 } }\n",  # the last practice, T03 (SOUTH)
    )
    spec = load_place(str(path)).spec
    np.testing.assert_allclose(
        catchment_shares(spec, "emergency"), [[0.75, 0.25], [0.75, 0.25], [1.0, 0.0]]
    )
    # T03 gives emergency only: its outpatients follow its own emergency shares
    np.testing.assert_allclose(
        catchment_shares(spec, "outpatients"), [[0.5, 0.5], [0.5, 0.5], [1.0, 0.0]]
    )
    # a one-trust place needs no tables: one column of ones
    assert catchment_shares(load_place("tiny").spec, "emergency").tolist() == [[1.0]] * 3


@pytest.mark.parametrize(
    ("north", "extra", "needle", "key", "says"),
    [
        (
            "{ emergency = { A = 0.5, C = 0.5 } }",
            "",
            "catchment = { emergency = { A = 0.5, C",
            "localities[0].catchment.emergency.C",
            "names provider 'C', not one of the trusts A, B",
        ),
        (
            "{ emergency = { A = 0.5, B = 0.4 } }",
            "",
            "catchment = { emergency = { A = 0.5, B = 0.4",
            "localities[0].catchment.emergency",
            "shares sum to 0.9, not 1",
        ),
        (
            "{ emergency = { A = 1.0 } }",
            '\n[[places]]\ncode = "N"\nname = "N"\npractices = ["T01", "T02"]\n'
            '\n[[places]]\ncode = "S"\nname = "S"\npractices = ["T03", "T02"]\n',
            'practices = ["T03", "T02"]',
            "places[1].practices",
            "practice T02 is in two places: N and S",
        ),
        (
            "{ emergency = { A = 1.0 } }",
            '\n[[places]]\ncode = "N"\nname = "N"\npractices = ["T01", "T02"]\n'
            '\n[[places]]\ncode = "S"\nname = "S"\npractices = ["T03", "T09"]\n',
            'practices = ["T03", "T09"]',
            "places[1].practices",
            "names practice 'T09', not listed in [[practices]]",
        ),
        (
            "{ emergency = { A = 1.0 } }",
            '\n[[places]]\ncode = "N"\nname = "N"\npractices = ["T01", "T02"]\n',
            'code = "T03"',
            "practices[2].code",
            "practice T03 is in no place",
        ),
    ],
)
def test_a_bad_catchment_or_place_is_one_located_line_and_exit_2(
    tmp_path, north, extra, needle, key, says
):
    path = two_trust_place(tmp_path, north, extra=extra)
    for command in (("validate", path), ("place", path)):
        line = one_line_error(icsim(*command))
        assert line == f"icsim: {path}:{line_of(path, needle)}: {key}: {says}"


def test_several_trusts_need_an_emergency_catchment_for_every_practice(tmp_path):
    path = two_trust_place(tmp_path, "{ outpatients = { A = 1.0 } }")
    line = one_line_error(icsim("validate", path))
    assert line.startswith(f"icsim: {path}:{line_of(path, 'outpatients = { A = 1.0')}: ")
    assert "localities[0].catchment.emergency: missing key: the place has 2 acute trusts" in line


def test_a_trust_code_listed_twice_is_one_located_line(tmp_path):
    path = two_trust_place(tmp_path, "{ emergency = { A = 1.0 } }", "{ emergency = { A = 1.0 } }")
    text = path.read_text().replace('code = "B"', 'code = "A"', 1)
    path.write_text(text)
    line = one_line_error(icsim("validate", path))
    second = [i for i, t in enumerate(text.splitlines(), 1) if t == 'code = "A"'][1]
    assert line == f"icsim: {path}:{second}: trusts[1].code: trust 'A' is listed twice"
