"""The documentation's examples run, and the generated reference matches the code."""

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from simulate.cli import parser, reference
from simulate.shipped import shipped_dir

DOCS = Path(__file__).resolve().parents[2] / "docs"
BLOCK = re.compile(r"^```(python|console)\n(.*?)^```", re.M | re.S)
PAGES = sorted(p for p in DOCS.rglob("*.md") if BLOCK.search(p.read_text()))


def test_there_are_runnable_pages():
    names = {p.name for p in PAGES}
    assert {"tutorial.md", "intervention.md", "own-practice-list.md"} <= names


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_examples_run(page, tmp_path, monkeypatch):
    shutil.copytree(shipped_dir(), tmp_path / "scenarios")
    monkeypatch.chdir(tmp_path)
    for kind, body in BLOCK.findall(page.read_text()):
        if kind == "python":
            exec(compile(body, f"{page.name} example", "exec"), {})
            continue
        for line in body.splitlines():
            if not line.startswith("$ icsim "):
                continue
            args = shlex.split(line[len("$ icsim ") :])
            result = subprocess.run(
                [sys.executable, "-m", "simulate", *args], capture_output=True, text=True
            )
            assert result.returncode == 0, f"{line}\n{result.stderr}"


@pytest.mark.parametrize("name", ["cube.md", "scenario.md"])
def test_generated_reference_is_current(name):
    committed = (DOCS / "reference" / name).read_text()
    assert committed == reference.PAGES[name](), (
        "run: python -m simulate.cli.reference docs/reference"
    )


def test_cli_reference_names_every_option():
    committed = (DOCS / "reference" / "cli.md").read_text()
    icsim = parser()
    (commands,) = [a for a in icsim._actions if isinstance(a.choices, dict)]
    for name, sub in commands.choices.items():
        assert f"## icsim {name}" in committed
        for action in sub._actions:
            for option in action.option_strings:
                assert option in committed, (name, option)
