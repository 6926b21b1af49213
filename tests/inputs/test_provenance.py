"""A cube's place text never makes icsim read a path it names (item 9 of issue 20)."""

import pytest

from simulate.errors import InputError
from simulate.model.place import place_from_toml
from simulate.shipped import shipped_dir

TINY = (shipped_dir() / "places" / "tiny.toml").read_text()
CSV = shipped_dir() / "places" / "example-practices.csv"


def cube_text(csv_name: str, stamp: bool) -> str:
    text = TINY.replace('practice_csv = "example-practices.csv"', f'practice_csv = "{csv_name}"')
    return text + (f"\n# {csv_name} sha256 {'0' * 64}\n" if stamp else "")


def test_a_cube_naming_a_csv_without_its_hash_reads_nothing(tmp_path):
    elsewhere = tmp_path / "secret"
    elsewhere.mkdir()
    (elsewhere / "example-practices.csv").write_bytes(CSV.read_bytes())
    with pytest.raises(InputError, match="records no hash"):
        place_from_toml(cube_text(str(elsewhere / "example-practices.csv"), False), tmp_path)


def test_a_cube_naming_an_absolute_path_looks_only_for_the_name_beside_it(tmp_path):
    elsewhere = tmp_path / "secret"
    elsewhere.mkdir()
    (elsewhere / "example-practices.csv").write_bytes(CSV.read_bytes())
    folder = tmp_path / "cube"
    folder.mkdir()
    with pytest.raises(InputError) as raised:
        place_from_toml(cube_text(str(elsewhere / "example-practices.csv"), True), folder)
    assert str(folder / "example-practices.csv") in str(raised.value)
    assert "secret" not in str(raised.value).replace(str(elsewhere / "example-practices.csv"), "")
