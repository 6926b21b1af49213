"""Resume refuses a part whose numbers were altered after it was saved (attributes kept)."""

from simulate.cli import main
from simulate.experiment.parts import read_part, save_part

RUN = ["run", "--place", "tiny", "-n", "1", "--months", "1", "--warmup-months", "1", "-q"]


def test_an_altered_part_is_refused_on_resume(tmp_path, capsys):
    out = tmp_path / "out"
    assert main([*RUN, "--out", str(out)]) == 0
    assert main([*RUN, "--out", str(out)]) == 0  # an untouched resume reuses every part
    part_file = sorted((out / "parts").glob("*.npz"))[0]
    part = read_part(part_file)
    part["gp_appointments"] = part["gp_appointments"] * 2  # the attributes stay as they were
    save_part(part, part_file)
    (out / "cube.nc").unlink()
    capsys.readouterr()
    assert main([*RUN, "--out", str(out)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith(f"icsim: {part_file}: ")
    assert "numbers changed since saved" in err[0]
    assert not (out / "cube.nc").exists()


def test_an_interrupted_cube_write_leaves_no_temporary_for_ever(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / ".cube.nc.abc123.tmp").write_bytes(b"half a cube")
    assert main([*RUN, "--out", str(out)]) == 0
    assert not list(out.glob(".*.tmp"))
