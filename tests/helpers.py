"""Helpers the tests in several folders share (tests/ is on the path, as conftest's folder)."""

import subprocess
import sys


def icsim(*args, cwd=None):
    """Run the command as a user would, in a fresh process."""
    return subprocess.run(
        [sys.executable, "-m", "simulate", *map(str, args)], capture_output=True, text=True, cwd=cwd
    )


def one_line_error(result, code=2):
    """The one line on stderr of a failed command, checked to be just that."""
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]
