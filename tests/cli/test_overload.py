"""An overloaded place is warned about, and a gridlocked A&E never reports breaches as zero."""

import re

import numpy as np
from test_cli import icsim

from simulate.shipped import shipped_dir


def test_validate_and_place_warn_of_an_overloaded_place(tmp_path):
    """Defect 7: beds far below need passed ``icsim validate`` without a word."""
    text = (shipped_dir() / "places" / "tiny.toml").read_text()
    text = text.replace('practice_csv = "example-practices.csv"', 'practice_csv = "list.csv"')
    lines = [("beds = 12" if line.startswith("beds =") else line) for line in text.splitlines()]
    (tmp_path / "over.toml").write_text("\n".join(lines) + "\n")
    (tmp_path / "list.csv").write_bytes(
        (shipped_dir() / "places" / "example-practices.csv").read_bytes()
    )
    for command in ("validate", "place"):
        result = icsim(command, "over.toml", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert "icsim: warning:" in result.stderr
        # Little's law: about 4.1 admissions a day x 7.9 days' stay over 12 beds is about 270%
        # (icsim place prints both factors; the admissions are weighted by deprivation, as the
        # run's are); the population's drift moves it by a point or two
        load = re.search(r"acute beds at (\d+)% of capacity", result.stderr)
        assert load and 255 <= int(load.group(1)) <= 285, result.stderr
    calm = icsim("validate", shipped_dir() / "places" / "tiny.toml")
    assert calm.returncode == 0 and "warning" not in calm.stderr


def test_breaches_from_no_departures_are_not_zero():
    """Defect 7: a gridlocked A&E showed ``ae_4h_breaches`` as 0.0."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parents[1] / "results"))
    from test_compare import synthetic_cube

    from simulate.results.compare import effects
    from simulate.results.formats import headline_table

    cube = synthetic_cube()
    cube["ae_4h_breaches"] = cube["ae_4h_breaches"] * 0
    # departures 1 a month; attendances 1 a month in each of 10 cells: 10% ever left A&E
    cube["ae_departures"] = cube["ae_departures"] * 0 + 1
    breaches = next(e for e in effects(cube) if e.headline.variable == "ae_4h_breaches")
    assert np.isnan(breaches.baseline_mean) and np.isnan(breaches.difference)
    table = headline_table(cube)
    (row,) = [line for line in table.splitlines() if line.startswith("A&E 4-hour breaches")]
    assert row.split()[3:] == ["n/a", "n/a", "n/a", "n/a"], row
    assert "only 10% of A&E attendances left A&E" in table
