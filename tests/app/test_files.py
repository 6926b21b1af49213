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
    path = accept_place(data, "../../my place.toml", tmp_path)
    assert path.parent == tmp_path and path.name.startswith("my-place-")
    assert path.read_bytes() == data


@pytest.mark.parametrize(
    "text, said",
    [
        (b"name = 'x'\n[[practices]\n", "broken.toml:2: invalid TOML"),
        (b"name = 'x'\n", "broken.toml"),
        (b"[population]\npractice_csv = '/etc/passwd'\n", "cannot name a practice_csv"),
    ],
)
def test_a_bad_place_is_one_line_a_problem_naming_the_file_as_given(tmp_path, text, said):
    with pytest.raises(InputError) as caught:
        accept_place(text, "broken.toml", tmp_path)
    lines = [str(p) for p in caught.value.problems]
    assert all("\n" not in line and str(tmp_path) not in line for line in lines)
    assert said in lines[0]
    assert list(tmp_path.iterdir()) == []  # nothing refused is kept


def test_an_upload_is_a_toml_file_of_sensible_size(tmp_path):
    with pytest.raises(InputError, match="a place is a .toml file"):
        accept_place(b"x", "place.py", tmp_path)
    with pytest.raises(InputError, match="too large"):
        accept_place(b"#" * 3_000_000, "place.toml", tmp_path)


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
