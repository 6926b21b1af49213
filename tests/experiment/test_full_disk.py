"""A full disk: one line naming the file, nothing partial left, and a re-run resumes."""

import errno
import os

from simulate.cli import main
from simulate.results import cube as cube_module

RUN = ["run", "--place", "tiny", "-n", "2", "--months", "1", "--warmup-months", "1", "-q"]


def test_a_full_disk_fails_in_one_line_and_resumes_after(tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    real, writes = os.fdopen, []

    def filling(handle, mode="r", *args, **kwargs):
        file = real(handle, mode, *args, **kwargs)
        if "w" in mode:
            writes.append(1)
            if len(writes) > 3:  # the disk is full from the fourth file on
                file.write = lambda data: (_ for _ in ()).throw(
                    OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                )
        return file

    monkeypatch.setattr(cube_module.os, "fdopen", filling)
    assert main([*RUN, "--out", str(out)]) == 1
    stderr = capsys.readouterr().err.splitlines()
    assert len(stderr) == 1, stderr
    assert "No space left on device" in stderr[0] and str(out / "parts") in stderr[0]
    assert "Error" not in stderr[0]
    left = sorted(p.name for p in (out / "parts").iterdir())
    assert len(left) == 3 and not [n for n in left if n.endswith(".tmp")]
    assert not (out / "cube.nc").exists()

    monkeypatch.setattr(cube_module.os, "fdopen", real)  # space freed
    assert main([*RUN, "--out", str(out)]) == 0
    assert (out / "cube.nc").is_file() and len(list((out / "parts").glob("*.npz"))) == 6
