"""Helpers the tests in several folders share (tests/ is on the path, as conftest's folder)."""

import shutil
import subprocess
import sys

from simulate.shipped import shipped_dir


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


PLACES = shipped_dir() / "places"
TWO_TRUSTS = """
[[trusts]]
code = "A"
name = "Trust A"
ae_cubicles = 2
beds = 20

[[trusts]]
code = "B"
name = "Trust B"
ae_cubicles = 1
beds = 20
"""


def two_trust_place(tmp_path, north: str, south: str = "{ emergency = { B = 1.0 } }", extra=""):
    """The tiny place with two trusts, the localities' catchments given, in ``tmp_path``."""
    text = (PLACES / "tiny.toml").read_text()
    start, end = text.index("[trust]"), text.index("[[practices]]")
    text = text[:start] + TWO_TRUSTS + "\n" + text[end:] + extra
    text = text.replace('name = "North"', f'name = "North"\ncatchment = {north}', 1)
    text = text.replace('name = "South"', f'name = "South"\ncatchment = {south}', 1)
    shutil.copy(PLACES / "example-practices.csv", tmp_path)
    path = tmp_path / "two.toml"
    path.write_text(text)
    return path
