"""``--help`` explains every option, ``-n`` says what it counts, bare ``icsim`` lists commands."""

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
