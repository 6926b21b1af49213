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
        for line, expected in _commands(body):
            args = shlex.split(line[len("$ icsim ") :])
            result = subprocess.run(
                [sys.executable, "-m", "simulate", *args], capture_output=True, text=True
            )
            assert result.returncode == 0, f"{line}\n{result.stderr}"
            printed = [out.rstrip() for out in result.stdout.splitlines()]
            missing = [want for want in expected if want not in printed]
            assert not missing, f"{page.name}: {line} no longer prints:\n" + "\n".join(missing)


def _commands(body: str) -> list[tuple[str, list[str]]]:
    """Each ``$ icsim`` line of a console block and the output shown under it.

    The shown lines (all but blank ones and ``...``) must each be printed, so a page's numbers
    are checked, not only its exit codes. A ``\\`` at the end of a line continues the command.
    """
    found: list[tuple[str, list[str]]] = []
    command = ""
    for line in body.splitlines():
        if command.endswith("\\"):
            command = command[:-1] + " " + line.strip()
            if found[-1][0]:
                found[-1] = (command, [])
            continue
        if line.startswith("$ "):
            command = line
            found.append((line, []) if line.startswith("$ icsim ") else ("", []))
        elif found and found[-1][0] and line.strip() and line.strip() != "...":
            found[-1][1].append(line.rstrip())
    return [(c, shown) for c, shown in found if c]


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
