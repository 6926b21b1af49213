"""Two runs on one --out: the second is refused in one line naming the first."""

import subprocess
import sys
import time

from simulate.cli import main

HOLD = """
import sys, time
from pathlib import Path
from simulate.experiment.lock import locked
with locked(Path(sys.argv[1]), "icsim run first"):
    print("held", flush=True)
    time.sleep(60)
"""


def args(out):
    return ["run", "--place", "tiny", "-n", "1", "--months", "1", "--out", str(out), "-q"]


def test_a_second_run_on_a_locked_out_is_refused(tmp_path, capsys):
    out = tmp_path / "out"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(out)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        assert main(args(out)) == 2
        stderr = capsys.readouterr().err.splitlines()
        assert len(stderr) == 1
        assert stderr[0].startswith(f"icsim: {out}: another icsim run is using this folder")
        assert f"process {holder.pid}" in stderr[0] and "icsim run first" in stderr[0]
        assert not (out / "parts").exists()
    finally:
        holder.kill()
        holder.wait()
    time.sleep(0.1)  # the kernel freed the lock with the process: a run goes ahead
    assert main(args(out)) == 0
