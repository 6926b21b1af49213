"""Refresh the output shown under each ``$ icsim`` line of a docs page from a real run.

Run from the repository root after a change that moves the model's numbers::

    python tests/refresh_docs.py docs/tutorial.md docs/how-to/sensitivity.md

Each shown line that the command no longer prints is replaced by the printed line with the same
label (the text before its first number), taken in the order printed, so a page keeps the
lines it chose to show. Lines with
no such label are reported, for a person to fix. tests/cli/test_docs.py then checks the page.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "cli"))
from test_docs import BLOCK, _commands  # noqa: E402

LABEL = re.compile(r"^(\s*[^\d+\-−]*?)\s*[\d+\-−]")


def label(line: str) -> str:
    """The line's text before its first number (or the whole line)."""
    found = LABEL.match(line)
    return found.group(1).strip() if found and found.group(1).strip() else line.strip()


def refresh(page: Path) -> list[str]:
    """Rewrite ``page`` in place; return the shown lines it could not match."""
    text, unmatched = page.read_text(), []
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(ROOT / "scenarios", Path(tmp) / "scenarios")
        for kind, body in BLOCK.findall(text):
            if kind != "console":
                continue
            for line, shown in _commands(body):
                args = shlex.split(line[len("$ icsim ") :])
                result = subprocess.run(
                    [sys.executable, "-m", "simulate", *args],
                    capture_output=True,
                    text=True,
                    cwd=tmp,
                )
                printed = [out.rstrip() for out in result.stdout.splitlines()]
                at = 0  # shown lines follow the printed order: match each from the last match on
                for want in shown:
                    rest = printed[at:]
                    same = [i for i, p in enumerate(rest) if p == want or label(p) == label(want)]
                    if not same:
                        unmatched.append(f"{page}: {want}")
                        continue
                    at += same[0] + 1
                    text = text.replace(want + "\n", rest[same[0]] + "\n", 1)
    page.write_text(text)
    return unmatched


if __name__ == "__main__":
    left = [line for page in sys.argv[1:] for line in refresh(Path(page))]
    print("\n".join(left) if left else "every shown line refreshed")
