"""Text from files cannot forge stderr lines, inject HTML into Markdown, or formulas into sheets."""

import shutil

from simulate.cli import main
from simulate.inputs.scenario import load_scenario
from simulate.safe_text import markdown_cell, one_line, spreadsheet_cell
from simulate.shipped import shipped_dir


def test_a_key_with_a_newline_cannot_forge_a_second_stderr_line(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text(f'extends = "{shipped_dir() / "baseline.toml"}"\n"evil\\nicsim: all good" = 1\n')
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and not any(line.startswith("icsim: all good") for line in err)
    assert "evil\\nicsim: all good" in err[0]


def test_the_three_neutralisers():
    assert one_line("a\nb\r\x1b[31mc") == "a\\nb\\r\\x1b[31mc"
    assert markdown_cell('<img src=x onerror="alert(1)">|') == (
        '&lt;img src=x onerror="alert(1)"&gt;\\|'
    )
    assert [spreadsheet_cell(v) for v in ("=1+1", "+1", "-1", "@SUM(A1)", "ok", -1.0)] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "ok",
        -1.0,
    ]


def test_a_file_name_with_spaces_or_dollars_gives_a_valid_scenario_name(tmp_path):
    for name, expected in (("my scenario.toml", "my-scenario"), ("cost$^$.toml", "cost")):
        shutil.copy(shipped_dir() / "baseline.toml", tmp_path / name)
        scenario = load_scenario(tmp_path / name, ('place="tiny"',))
        assert scenario.name == expected
