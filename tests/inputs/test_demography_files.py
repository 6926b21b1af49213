"""Bad life tables and projections: one line naming the file, the row and the problem, exit 2."""

import pytest
from helpers import icsim, one_line_error

from simulate.errors import InputError
from simulate.inputs.demography import life_table_path, read_life_table, read_net_migration
from simulate.shipped import shipped_dir

HEADER = "year,sex,age_band,net_migration\n"


def projection(rows: list[str], year: int = 2019) -> str:
    """A valid year of 16 rows, with ``rows`` replacing its first ones."""
    bands = ("0-4", "5-14", "15-24", "25-44", "45-64", "65-74", "75-84", "85+")
    valid = [f"{year},{sex},{band},10" for sex in ("male", "female") for band in bands]
    return HEADER + "\n".join(rows + valid[len(rows) :]) + "\n"


def test_the_example_projection_and_the_shipped_life_table_read():
    example = read_net_migration(shipped_dir() / "places" / "default-net-migration.csv")
    assert example.years == (2019, 2021)
    assert example.of_year(2020)[1, 2] == 750  # 2020 uses 2019's row; female 15-24
    assert example.of_year(2030)[0, 3] == -300  # after the last year, the last one
    mx = read_life_table(life_table_path("england"))
    assert mx.shape == (2, 101) and (mx[:, 1:] > 0).all()


@pytest.mark.parametrize(
    "text, words",
    [
        (
            "year,sex,age,persons\n2019,male,0-4,1\n",
            "columns must be year,sex,age_band,net_migration",
        ),
        (projection(["2019,male,0-5,10"]), "'0-5' is not one of 0-4, 5-14"),
        (projection(["2019,man,0-4,10"]), "'man' is not male or female"),
        (projection(["2019,male,0-4,lots"]), "'lots' is not a number"),
        (projection(["2019.5,male,0-4,10"]), "is not a year"),
        (projection(["2019,male,0-4,10", "2019,male,0-4,10"]), "given twice"),
        (HEADER + "2019,male,0-4,10\n", "year 2019 has no row for male 5-14"),
        (HEADER, "no rows after the header"),
    ],
)
def test_a_bad_projection_is_one_line_naming_the_problem(tmp_path, text, words):
    bad = tmp_path / "migration.csv"
    bad.write_text(text)
    with pytest.raises(InputError) as error:
        read_net_migration(bad)
    assert str(error.value).startswith(str(bad)) and words in str(error.value)


def life_table(edit) -> str:
    lines = life_table_path("england").read_text().splitlines()
    return "\n".join(edit(lines)) + "\n"


@pytest.mark.parametrize(
    "edit, words",
    [
        (
            lambda ls: [
                row.replace("male,40,", "male,40,-") if row.startswith("male,40,") else row
                for row in ls
            ],
            "negative",
        ),
        (
            lambda ls: [row.replace("female,3,", "female,101,") for row in ls],
            "101 is not an age 0-100",
        ),
        (lambda ls: [row for row in ls if not row.startswith("male,7,")], "no row for male age 7"),
        (
            lambda ls: [row.replace("sex,age,mx,qx", "sex,age,qx") for row in ls],
            "columns must be sex,age,mx,qx",
        ),
        (lambda ls: [row.replace("female,3,", "female,-3,") for row in ls], "-3 is not an age"),
        (
            lambda ls: [
                ",".join(row.split(",")[:3] + ["1.5"]) if row.startswith("male,60,") else row
                for row in ls
            ],
            "qx: 1.5 is not a probability 0-1",
        ),
    ],
)
def test_a_bad_life_table_is_one_line(tmp_path, edit, words):
    bad = tmp_path / "table.csv"
    bad.write_text(life_table(edit))
    with pytest.raises(InputError) as error:
        read_life_table(bad)
    assert str(error.value).startswith(str(bad)) and words in str(error.value)


def test_the_command_stops_on_a_bad_projection_before_running(tmp_path):
    (tmp_path / "migration.csv").write_text(projection(["2019,male,90+,10"]))
    scenario = tmp_path / "scenario.toml"
    scenario.write_text(
        f'extends = "{shipped_dir() / "baseline.toml"}"\n'
        '[dynamics]\nnet_migration_csv = "migration.csv"\n'
    )
    line = one_line_error(icsim("run", scenario, "--months", "1", "--out", tmp_path / "out"))
    assert f"{tmp_path / 'migration.csv'}:2: age_band: '90+' is not one of" in line
    assert not (tmp_path / "out").exists()
    # a negative death rate in a life table the scenario names, likewise
    (tmp_path / "table.csv").write_text(
        life_table(lambda ls: [row.replace("female,50,", "female,50,-") for row in ls])
    )
    scenario.write_text(
        f'extends = "{shipped_dir() / "baseline.toml"}"\n[dynamics]\nlife_table = "table.csv"\n'
    )
    line = one_line_error(icsim("validate", scenario))
    assert "table.csv" in line and "mx: " in line and "is negative" in line


def test_the_command_names_a_life_table_whose_columns_do_not_match(tmp_path):
    (tmp_path / "table.csv").write_text(
        life_table(lambda ls: [row.replace("sex,age,mx,qx", "sex,age,deaths") for row in ls])
    )
    scenario = tmp_path / "scenario.toml"
    scenario.write_text(
        f'extends = "{shipped_dir() / "baseline.toml"}"\n[dynamics]\nlife_table = "table.csv"\n'
    )
    line = one_line_error(icsim("run", scenario, "--months", "1", "--out", tmp_path / "out"))
    assert str(tmp_path / "table.csv") in line
    assert "columns must be sex,age,mx,qx; found sex,age,deaths" in line
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "assignment, key",
    [
        ("dynamics.total_fertility_rate=-1", "dynamics.total_fertility_rate"),
        ("dynamics.net_migration_per_1000_per_year_by_age=[1,2]", "net_migration_per_1000"),
        ("dynamics.mortality_improvement_per_year=0.5", "mortality_improvement_per_year"),
        ("dynamics.deaths_ratio_by_ltc=[1,-1,2,3,4]", "dynamics.deaths_ratio_by_ltc"),
        (
            "demand.gp_requests_female_to_male_ratio_by_age=[1,1,-2,1,1,1,1,1]",
            "demand.gp_requests_female_to_male_ratio_by_age",
        ),
        (
            "demand.emergency_ratio_most_vs_least_deprived_quintile=-1.7",
            "demand.emergency_ratio_most_vs_least_deprived_quintile",
        ),
    ],
)
def test_a_negative_or_out_of_range_rate_is_one_line_naming_its_key(tmp_path, assignment, key):
    table, setting = assignment.split(".", 1)
    scenario = tmp_path / "scenario.toml"
    base = shipped_dir() / "baseline.toml"
    scenario.write_text(f'extends = "{base}"\n[{table}]\n{setting.replace("=", " = ", 1)}\n')
    line = one_line_error(icsim("validate", scenario))
    assert "scenario.toml" in line and key in line, line
