"""``--help`` explains every option, ``-n`` says what it counts, bare ``icsim`` lists commands."""

import pytest

from simulate.cli import main, parser


def _commands():
    (commands,) = [a for a in parser()._actions if isinstance(a.choices, dict)]
    return commands.choices


def test_every_option_and_argument_has_help():
    """Defect 12: several options had no help."""
    bare = [
        (name, action.option_strings or action.dest)
        for name, sub in _commands().items()
        for action in sub._actions
        if not action.help
    ]
    assert bare == []


def test_n_says_what_it_counts_in_each_command():
    """Defect 12: ``-n`` meant replications in run but trajectories in sensitivity, unsaid."""
    for name, sub in _commands().items():
        for action in sub._actions:
            if "-n" in action.option_strings:
                words = action.help.lower()
                assert "replications" in words, name
                if action.dest != "replications":
                    assert "not replications" in words, name


def test_bare_icsim_lists_the_commands(capsys):
    """Defect 12: bare ``icsim`` printed an argparse error."""
    assert main([]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in ("run", "compare", "report", "export", "place"))


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["validate"], "icsim validate: the following arguments are required: FILE"),
        (["rnu"], "icsim: argument COMMAND: invalid choice: 'rnu'"),
        (["run", "-n", "x"], "icsim run: argument -n/--replications: invalid int value: 'x'"),
    ],
)
def test_a_wrong_option_is_one_line_and_exit_2(capsys, argv, says):
    """argparse prints its usage over the error; icsim's errors are one line each."""
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(says) and line.endswith("--help)")
