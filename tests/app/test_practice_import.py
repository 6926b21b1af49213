"""A place from an NHS Digital practice-list CSV and the Place page's form.

It is read as the command line reads a place file, and refused with its one-line messages.
"""

from __future__ import annotations

import pytest

from simulate.app.files import accept_practice_list
from simulate.app.practice_import import Form, codes_in, federation_lines, parse_federations
from simulate.cli import main
from simulate.errors import InputError
from simulate.model.place import load_place
from simulate.shipped import shipped_dir

CSV = (shipped_dir() / "places" / "example-practices.csv").read_bytes()
FORM = Form(
    name="Two federations",
    federations="F1: T01\nF2: t02",
    deprivation_quintile=3,
    gp_fte_per_100k=57.8,
    nurse_fte_per_100k=27,
    trust="Small Trust",
    ae_cubicles=3,
    beds=40,
    nursing_caseload=45,
    stepdown_beds=4,
)


def test_the_csv_and_the_form_make_a_place_the_command_line_reads(tmp_path, capsys):
    path = accept_practice_list(FORM, [("NHS list.csv", CSV)], tmp_path)
    place = load_place(str(path))  # the reader icsim place and icsim run use
    spec = place.file.spec if hasattr(place, "file") else place.spec
    assert [f.code for f in spec.federations] == ["F1", "F2"]
    assert [(p.code, p.federation) for p in spec.practices] == [("T01", "F1"), ("t02", "F2")]
    # the example file's lists: T01 3,000 and T02 5,000 persons (summed from its rows by hand)
    assert place.age_sex.sum(axis=(1, 2)).tolist() == [3000, 5000]
    # FTE = list x rate / 100,000: 3,000 x 57.8 = 1.734 GPs, 5,000 x 27 = 1.35 nurses
    assert spec.practices[0].gp_fte == pytest.approx(1.73) and spec.practices[1].nurse_fte == 1.35
    assert spec.trust.beds == 40 and spec.community.stepdown_beds == 4
    assert (path.parent / "NHS-list.csv").read_bytes() == CSV
    assert main(["place", str(path)]) == 0
    assert "Two federations: 8,000 registered patients" in capsys.readouterr().out


def test_the_federations_box_is_filled_from_the_csvs_codes():
    assert codes_in(CSV) == ["T01", "T02"]
    assert federation_lines(codes_in(CSV)) == "F1: T01 T02"
    assert codes_in(b"A,B\n1,2\n") == [] and federation_lines([]) == ""
    assert parse_federations("F1: A1, A2\n\nF2:A3") == {"F1": ["A1", "A2"], "F2": ["A3"]}


@pytest.mark.parametrize(
    "change, said",
    [
        ({"federations": "F1 T01"}, "federations: line 1: 'F1 T01' is not a federation code"),
        ({"federations": " "}, "federations: list at least one federation"),
        ({"beds": None}, "trust.beds: missing key"),
        ({"beds": 40.5}, "trust.beds"),
        ({"deprivation_quintile": 7}, "deprivation_quintile"),
        ({"federations": "F1: T01 X99"}, "practice X99 is not in a practice CSV"),
    ],
)
def test_a_form_the_command_line_would_refuse_is_one_line(tmp_path, change, said):
    form = Form(**{**FORM.__dict__, **change})
    with pytest.raises(InputError) as caught:
        accept_practice_list(form, [("list.csv", CSV)], tmp_path)
    line = str(caught.value.problems[0])
    assert said in line and "\n" not in line and str(tmp_path) not in line
    assert [p for p in tmp_path.iterdir() if not p.name.startswith(".")] == []


def test_a_malformed_csv_is_one_line_naming_it_and_its_row(tmp_path):
    broken = CSV.replace(b"5_9", b"5_11", 1)
    with pytest.raises(InputError) as caught:
        accept_practice_list(FORM, [("list.csv", broken)], tmp_path)
    assert str(caught.value) == "list.csv:4: row 4: age band '5_11' is not a five-year band"
    with pytest.raises(InputError, match="upload one practice-list .csv"):
        accept_practice_list(FORM, [("list.toml", CSV)], tmp_path)
