"""What a browser may send in and take out: uploads read as the command line reads files, and
downloads that cannot leave a run folder."""

from __future__ import annotations

import os

import pytest

from simulate.app.files import accept_place, download, run_folder
from simulate.errors import InputError
from simulate.shipped import shipped_dir


def test_a_shipped_place_uploaded_is_accepted_under_a_name_of_its_own(tmp_path):
    data = (shipped_dir() / "places" / "default.toml").read_bytes()
    path = accept_place([("../../my place.toml", data)], tmp_path)
    assert path.parent.parent == tmp_path and path.name == "my-place.toml"
    assert path.parent.name.startswith("my-place-") and path.read_bytes() == data


def test_a_place_with_its_practice_list_csv_is_accepted_with_both(tmp_path):
    place = (shipped_dir() / "places" / "tiny.toml").read_bytes()
    csv = (shipped_dir() / "places" / "example-practices.csv").read_bytes()
    path = accept_place([("tiny.toml", place), ("example-practices.csv", csv)], tmp_path)
    assert (path.parent / "example-practices.csv").read_bytes() == csv
    with pytest.raises(InputError, match="upload that CSV with the place file"):
        accept_place([("tiny.toml", place)], tmp_path / "alone")
    with pytest.raises(InputError, match="upload that CSV"):
        accept_place([("tiny.toml", place), ("other.csv", csv)], tmp_path / "other")
    broken = csv.replace(b"5_9", b"5_11", 1)
    with pytest.raises(InputError) as caught:
        accept_place([("tiny.toml", place), ("example-practices.csv", broken)], tmp_path / "bad")
    line = str(caught.value.problems[0])
    assert line.startswith("example-practices.csv:") and str(tmp_path) not in line


@pytest.mark.parametrize(
    "text, said",
    [
        (b"name = 'x'\n[[practices]\n", "broken.toml:2: invalid TOML"),
        (b"name = 'x'\n", "broken.toml"),
        (b"[population]\npractice_csv = '/etc/passwd'\n", "upload that CSV with the place"),
    ],
)
def test_a_bad_place_is_one_line_a_problem_naming_the_file_as_given(tmp_path, text, said):
    with pytest.raises(InputError) as caught:
        accept_place([("broken.toml", text)], tmp_path)
    lines = [str(p) for p in caught.value.problems]
    assert all("\n" not in line and str(tmp_path) not in line for line in lines)
    assert said in lines[0]
    assert list(tmp_path.iterdir()) == []  # nothing refused is kept


def test_an_upload_is_a_toml_file_of_sensible_size(tmp_path):
    with pytest.raises(InputError, match="upload one place .toml file"):
        accept_place([("place.py", b"x")], tmp_path)
    with pytest.raises(InputError, match="upload one place .toml file"):
        accept_place([("a.toml", b"x"), ("b.toml", b"x")], tmp_path)
    with pytest.raises(InputError, match="too large"):
        accept_place([("place.toml", b"#" * 3_000_000)], tmp_path)


@pytest.mark.parametrize("run_id", ["..", "../x", "/etc", "a/b", ".app", "", "x\n"])
def test_a_run_id_cannot_name_a_folder_outside_the_results(tmp_path, run_id):
    (tmp_path / "results" / ".app").mkdir(parents=True)
    with pytest.raises(InputError):
        run_folder(tmp_path / "results", run_id)


def test_downloads_are_the_run_folders_own_files_only(tmp_path):
    root = tmp_path / "results"
    (root / "run").mkdir(parents=True)
    (tmp_path / "secret").write_text("no")
    os.symlink(tmp_path, root / "link")
    os.symlink(tmp_path / "secret", root / "run" / "cube.nc")
    with pytest.raises(InputError):
        run_folder(root, "link")
    with pytest.raises(InputError, match="nothing called"):
        download(root, "run", "../secret")
    with pytest.raises(InputError, match="not a file of run"):
        download(root, "run", "cube")
    with pytest.raises(InputError, match="no cube yet"):
        download(root, "run", "report")
