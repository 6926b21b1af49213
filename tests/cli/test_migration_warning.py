"""A place's projection that empties an age band is warned about before anything runs."""

import shutil
import subprocess
import sys

from simulate.inputs.categories import AGE_BANDS, SEXES
from simulate.shipped import shipped_dir


def _projection(path, top_band_outflow):
    rows = ["year,sex,age_band,net_migration"]
    for year in (2019, 2020):
        for sex in SEXES:
            for band in AGE_BANDS:
                rows.append(f"{year},{sex},{band},{-top_band_outflow if band == '85+' else 10}")
    path.write_text("\n".join(rows) + "\n")


def _validate(tmp_path, outflow):
    shutil.copy(shipped_dir() / "baseline.toml", tmp_path)
    _projection(tmp_path / "mig.csv", outflow)
    (tmp_path / "mine.toml").write_text(
        'extends = "baseline.toml"\nplace = "tiny"\n[dynamics]\nnet_migration_csv = "mig.csv"\n'
    )
    return subprocess.run(
        [sys.executable, "-m", "simulate", "validate", str(tmp_path / "mine.toml")],
        capture_output=True,
        text=True,
    )


def test_an_outflow_larger_than_the_band_is_one_warning_line(tmp_path):
    """The tiny place has 174 men of 85+; 5,000 leaving a year would empty the band silently."""
    result = _validate(tmp_path, 5000)
    assert result.returncode == 0, result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("icsim: warning: mig.csv: net migration in 2019 takes 5,000 males aged")
    assert "starts with 174" in line and "(4 such year, sex and band cells)" in line


def test_an_outflow_the_band_can_bear_is_not_warned(tmp_path):
    result = _validate(tmp_path, 20)
    assert result.returncode == 0 and result.stderr == "", result.stderr
