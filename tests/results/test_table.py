"""The printed comparison fits a terminal, says its period, keeps one scale a row, and a single
deterministic run says it has no interval instead of "n/a to n/a"."""

import xarray as xr
from test_compare import synthetic_cube

from simulate.results.formats import headline_table


def test_table_fits_80_columns_and_gives_the_period():
    """Defect 10: ~140 columns, no period ("cost per head 2,821" over 4 years), mixed decimals."""
    cube = synthetic_cube()
    cube.attrs["replications"] = 4
    text = headline_table(cube)
    assert max(len(line) for line in text.splitlines()) <= 80, text
    assert text.startswith("Against base, a year (2 months from 2019-04; mean of 4 paired")
    rows = {line.split("  ")[0]: line for line in text.splitlines()}
    # 2 months x 2 practices x 5 cohorts x 10 admissions = 200 in the run: 1,200 a year
    assert rows["Emergency admissions"].split()[2] == "1,200"
    cost = rows["Cost per head, GBP"].split()
    assert all(len(cost[i].split(".")[1]) == 1 for i in (4, 5, 6, 8))  # one decimal throughout
    by = headline_table(cube, by="federation")
    assert max(len(line) for line in by.splitlines()) <= 80


def test_one_replication_says_it_has_no_interval():
    """Defect 10: ``--mode sd`` printed "95% confidence interval n/a to n/a"."""
    from simulate.results.report import summary

    one = synthetic_cube().isel(replication=[0])
    text = headline_table(one)
    assert "n/a to n/a" not in text and "one run: none" in text
    assert not any("n/a to n/a" in s for s in summary(one))


def test_when_care_is_open_shows_the_services_either_run_has():
    cube = synthetic_cube()  # every variable 1 a cell a month
    shut = xr.DataArray([0.25, 0.5], dims="scenario", coords={"scenario": cube.scenario})
    cube["ae_attendances_out_of_hours"] = cube.ae_attendances * shut  # the scenario's: a half
    cube["utc_attendances"] = cube.utc_attendances * 0  # no centre in either run
    text = headline_table(cube)
    assert max(len(line) for line in text.splitlines()) <= 80, text
    block = text.split("scen: when care is open, and where need goes")[1]
    rows = {line.split("  ")[0]: line.split() for line in block.splitlines()[3:] if line}
    # 2 months x 2 practices x 5 cohorts = 20 attendances in the run, 120 a year; a quarter
    # arrive while practices are shut
    assert rows["A&E, practices open"][3] == "90" and rows["A&E, practices shut"][3] == "30"
    # sent on past tolerance, hub full and out-of-hours need: 3 a cell a month
    assert rows["Primary-care need sent to A&E"][5] == "360"
    assert "UTC attendances" not in rows and "7-day appointments" in rows
    # a scenario in which nothing of access moves shows no such block
    same = synthetic_cube()
    assert "when care is open" not in headline_table(same)
