"""`icsim validate`: every problem of a file at once, each one exact line, never a traceback."""

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from simulate.cli import main
from simulate.shipped import shipped_dir

BASELINE = shipped_dir() / "baseline.toml"
TINY = shipped_dir() / "places" / "tiny.toml"


def validate(capsys, *files):
    code = main(["validate", *map(str, files)])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, err.strip().splitlines()


def scenario(tmp_path, body, name="s.toml"):
    path = tmp_path / name
    path.write_text(f'extends = "{BASELINE}"\nplace = "tiny"\n{body}')
    return path


CLASSES = {
    "unknown key": (
        "[hub]\nminutes_per_1000_per_wek = 30\n",
        "4: hub.minutes_per_1000_per_wek: unknown key; did you mean 'minutes_per_1000_per_week'?",
    ),
    "text for a number": (
        '[hub]\nminutes_per_appointment = "10 minutes"\n',
        "4: hub.minutes_per_appointment: expected a number, got '10 minutes': write the number "
        "alone, in minutes",
    ),
    "key in another unit": (
        "[acute]\nlength_of_stay_hours = 190\n",
        "4: acute.length_of_stay_hours: unknown key; wrong unit? this is given in days, as "
        "'length_of_stay_days'",
    ),
    "negative capacity": (
        "[hub]\nminutes_per_1000_per_week = -5\n",
        "4: hub.minutes_per_1000_per_week: Input should be greater than or equal to 0 (got -5)",
    ),
    "share above 1": (
        "[leavers]\nto_hub_share = 1.5\n",
        "4: leavers.to_hub_share: Input should be less than or equal to 1 (got 1.5)",
    ),
    "share below 0": (
        "[demand]\nsame_day_share = -0.1\n",
        "4: demand.same_day_share: Input should be greater than or equal to 0 (got -0.1)",
    ),
    "untruncated normal share": (
        '[demand]\nsame_day_share = { dist = "normal", mean = 0.4, sd = 0.1 }\n',
        "4: demand.same_day_share: must be a share, from 0 to 1, but this normal distribution can "
        "give values from -inf to inf; truncate it with low and high",
    ),
    "distribution out of order": (
        '[hub]\nminutes_per_appointment = { dist = "triangular", low = 12, mode = 10, high = 15 }'
        "\n",
        "4: hub.minutes_per_appointment: needs low <= mode <= high and low < high",
    ),
    "misspelt distribution key": (
        '[hub]\nminutes_per_appointment = { dist = "triangular", low = 8, mod = 10, high = 15 }\n',
        "4: hub.minutes_per_appointment.mod: unknown key; did you mean 'mode'?",
    ),
    "unknown distribution": (
        '[hub]\nminutes_per_appointment = { dist = "gamma", mean = 10 }\n',
        "4: hub.minutes_per_appointment: unknown distribution 'gamma'; use one of fixed, uniform, "
        "triangular, normal, lognormal, beta",
    ),
    "uncertain shares past 1 together": (
        '[leavers]\nto_hub_share = { dist = "uniform", low = 0.5, high = 0.9 }\n',
        "3: leavers: with the uncertain parameters at their highest values: to_hub_share + "
        "to_ae_share must not exceed 1",
    ),
    "change of no such key": (
        '[[changes]]\nkey = "hub.minutes_per_100_per_week"\nto = 60\nstart_month = 3\n',
        "4: changes[0].key: no such parameter; did you mean 'hub.minutes_per_1000_per_week'?",
    ),
    "change of a table": (
        '[[changes]]\nkey = "acute.treatment_hours"\nto = 3\nstart_month = 3\n',
        "4: changes[0].key: only a real-valued parameter can change in time",
    ),
    "change past a bound": (
        '[[changes]]\nkey = "leavers.to_ae_share"\nto = 1.2\nstart_month = 0\n',
        "5: changes[0].to: leavers.to_ae_share must be a share, from 0 to 1 (got 1.2)",
    ),
    "negative start month": (
        '[[changes]]\nkey = "hub.minutes_per_1000_per_week"\nto = 60\nstart_month = -1\n',
        "6: changes[0].start_month: Input should be greater than or equal to 0 (got -1)",
    ),
    "a week that is not a week": (
        "[hub]\nshare_by_weekday = [0.5, 0.5, 0, 0, 0, 0, 0.5]\n",
        "4: hub.share_by_weekday: the shares of Monday .. Sunday must sum to 1, not 1.5 (got "
        "[0.5, 0.5, 0, 0, 0, 0, 0.5])",
    ),
    "a week of six days": (
        "[hub]\nshare_by_weekday = [0.2, 0.2, 0.2, 0.2, 0.1, 0.1]\n",
        "4: hub.share_by_weekday: List should have at least 7 items after validation, not 6 (got "
        "[0.2, 0.2, 0.2, 0.2, 0.1, 0.1])",
    ),
    "weekend opening past midnight": (
        "[seven_day]\nopening_hours = [8, 25]\n",
        "4: seven_day.opening_hours: opening hours must satisfy 0 <= opens < closes <= 24 (got "
        "[8, 25])",
    ),
    "a centre that closes before it opens": (
        "[utc]\nopening_hours = [20, 8]\n",
        "4: utc.opening_hours: opening hours must satisfy 0 <= opens < closes <= 24 (got [20, 8])",
    ),
    "an A&E week that is not a week": (
        "[acute]\narrival_share_by_weekday = [0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2]\n",
        "4: acute.arrival_share_by_weekday: the shares must sum to 1, not 1.4 (got [0.2, 0.2, "
        "0.2, 0.2, 0.2, 0.2, 0.2])",
    ),
    "a negative weekend share": (
        "[seven_day]\nsaturday_share = -0.2\n",
        "4: seven_day.saturday_share: Input should be greater than or equal to 0 (got -0.2)",
    ),
    "out-of-hours choices past 1": (
        "[access]\nout_of_hours_to_ae_share = 0.7\nout_of_hours_to_111_share = 0.5\n",
        "3: access: out_of_hours_to_ae_share + out_of_hours_to_111_share exceed 1",
    ),
    "changes pushing shares past 1": (
        '[[changes]]\nkey = "leavers.to_hub_share"\nto = 0.9\nstart_month = 2\n',
        "5: changes[0].to: in month 2 the changes break a rule: leavers: to_hub_share + "
        "to_ae_share must not exceed 1",
    ),
}


@pytest.mark.parametrize("body, expected", CLASSES.values(), ids=CLASSES.keys())
def test_each_class_of_problem_is_one_exact_line(tmp_path, capsys, body, expected):
    path = scenario(tmp_path, body)
    code, lines = validate(capsys, path)
    assert code == 2
    assert lines == [f"icsim: {path}:{expected}"]


def test_overlapping_changes_of_one_key(tmp_path, capsys):
    body = (
        '[[changes]]\nkey = "hub.minutes_per_1000_per_week"\nto = 45\nstart_month = 0\n'
        "ramp_months = 6\n"
        '[[changes]]\nkey = "hub.minutes_per_1000_per_week"\nto = 60\nstart_month = 5\n'
    )
    path = scenario(tmp_path, body)
    code, lines = validate(capsys, path)
    assert (code, lines) == (
        2,
        [
            f"icsim: {path}:11: changes[1].start_month: overlaps change 1 of "
            "hub.minutes_per_1000_per_week (months 0-5)"
        ],
    )


def test_every_problem_is_reported_in_file_order(tmp_path, capsys):
    path = scenario(
        tmp_path,
        "[hub]\nminutes_per_1000_per_week = -5\nminutes_per_appointmnt = 10\n"
        "[leavers]\nto_hub_share = 1.5\n"
        '[[changes]]\nkey = "hub.minutes_per_100_per_week"\nto = 60\nstart_month = 3\n',
    )
    code, lines = validate(capsys, path)
    assert code == 2
    assert [line.split(":")[2] for line in lines] == ["4", "5", "7", "9"]
    assert all(line.startswith(f"icsim: {path}:") for line in lines)


def test_problem_in_an_inherited_key_names_the_parent_file(tmp_path, capsys):
    parent = scenario(tmp_path, "[hub]\nminutes_per_appointment = 0\n", name="parent.toml")
    child = tmp_path / "child.toml"
    child.write_text('extends = "parent.toml"\n[hub]\nminutes_per_1000_per_week = 45\n')
    code, lines = validate(capsys, child)
    assert (code, lines) == (
        2,
        [f"icsim: {parent}:4: hub.minutes_per_appointment: Input should be greater than 0 (got 0)"],
    )


def test_missing_extends_target(tmp_path, capsys):
    path = tmp_path / "c.toml"
    path.write_text('extends = "gone.toml"\n')
    assert validate(capsys, path) == (
        2,
        [f"icsim: {path}: extends: extends 'gone.toml', which does not exist"],
    )


def test_cycle_of_extends(tmp_path, capsys):
    (tmp_path / "a.toml").write_text('extends = "b.toml"\n')
    (tmp_path / "b.toml").write_text('extends = "a.toml"\n')
    assert validate(capsys, tmp_path / "a.toml") == (
        2,
        [f"icsim: {tmp_path / 'b.toml'}: extends: cycle of extends: a.toml -> b.toml -> a.toml"],
    )


def test_negative_capacity_in_a_place(tmp_path, capsys):
    place = tmp_path / "place.toml"
    place.write_text(TINY.read_text().replace("\nbeds = ", "\nbeds = -", 1))
    place_csv = TINY.parent / "example-practices.csv"
    (tmp_path / place_csv.name).write_text(place_csv.read_text())
    code, lines = validate(capsys, place)
    line = next(
        n for n, t in enumerate(place.read_text().splitlines(), 1) if t.startswith("beds = -")
    )
    assert code == 2 and len(lines) == 1
    assert lines[0].startswith(f"icsim: {place}:{line}: ") and "greater than 0 (got -" in lines[0]


def test_set_is_named_as_the_source(tmp_path):
    from simulate.errors import InputError
    from simulate.inputs.scenario import load_scenario

    with pytest.raises(InputError) as caught:
        load_scenario(BASELINE, ("hub.minutes_per_1000_per_week=-1",))
    assert str(caught.value) == (
        "--set: hub.minutes_per_1000_per_week: Input should be greater than or equal to 0 (got -1)"
    )


def test_good_files_are_ok(tmp_path, capsys):
    path = scenario(
        tmp_path,
        '[hub]\nminutes_per_1000_per_week = { dist = "triangular", low = 20, mode = 30, high = 45 }'
        '\n[[changes]]\nkey = "hub.minutes_per_appointment"\nto = 15\nstart_month = 3\n',
    )
    assert main(["validate", str(path)]) == 0


# --- fuzzing: whatever the file, exit 0 or 2 and one line per problem ----------------------------

BASE_TEXT = BASELINE.read_text().replace('place = "default"', 'place = "tiny"')
BASE_LINES = [line for line in BASE_TEXT.splitlines()]
VALUES = st.one_of(
    st.integers(-(10**6), 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(lambda x: repr(x).replace("nan", "nan")),
    st.sampled_from(
        [
            '"30 minutes"',
            "true",
            "[]",
            "[1, 2]",
            "{}",
            '{ dist = "normal", mean = 1, sd = 1 }',
            '{ dist = "beta", alpha = 1, beta = 2 }',
            '{ dist = "uniform", low = 2, high = 1 }',
            '{ dist = "fixed" }',
            "{ dist = 3 }",
            "2019-04-01",
            '"baseline.toml"',
            "-0.5",
            "1e400",
        ]
    ),
    st.text(max_size=8).map(lambda t: '"' + t.replace("\\", "").replace('"', "") + '"'),
)
EDITS = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, len(BASE_LINES) - 1), st.none()),
    st.tuples(st.just("value"), st.integers(0, len(BASE_LINES) - 1), VALUES),
    st.tuples(
        st.just("rename"),
        st.integers(0, len(BASE_LINES) - 1),
        st.text("abcxyz_.", min_size=1, max_size=6),
    ),
    st.tuples(st.just("insert"), st.integers(0, len(BASE_LINES)), st.text(max_size=30)),
    st.tuples(
        st.just("insert"),
        st.integers(0, len(BASE_LINES)),
        st.sampled_from(
            [
                "[[changes]]\nkey = 'hub.minutes_per_1000_per_week'\nto = 60\nstart_month = 2",
                "[[changes]]\nkey = 'costs'\nto = 1\nstart_month = 0",
                "[[changes]]\nkey = 3",
                'extends = "baseline.toml"',
                'extends = "nowhere.toml"',
                "[hub.x]\ny = 1",
                "changes = 5",
            ]
        ),
    ),
)


def _mutate(edits) -> str:
    lines = list(BASE_LINES)
    for kind, index, payload in edits:
        index = min(index, len(lines) - 1) if kind != "insert" else min(index, len(lines))
        if kind == "delete" and lines:
            del lines[index]
        elif kind == "value" and "=" in lines[index]:
            lines[index] = lines[index].split("=", 1)[0] + "= " + payload
        elif kind == "rename" and "=" in lines[index]:
            lines[index] = payload + " =" + lines[index].split("=", 1)[1]
        elif kind == "insert":
            lines.insert(index, payload)
    return "\n".join(lines) + "\n"


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(EDITS, min_size=1, max_size=4))
def test_fuzzed_baselines_give_exit_0_or_2_and_one_line_each(capsys, edits):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "baseline.toml"
        path.write_text(_mutate(edits), encoding="utf-8", errors="surrogatepass")
        (Path(folder) / "places").mkdir()
        code = main(["validate", str(path)])
    out, err = capsys.readouterr()
    event(f"exit {code}, {len(err.splitlines())} lines")
    assert code in (0, 2), err
    assert "Traceback" not in err and "failed:" not in err
    for line in err.strip().splitlines():
        assert line.startswith("icsim: "), err
    if code == 0:
        assert out.strip() == f"{path}: ok"


def test_a_key_the_model_reads_once_cannot_change_in_time(tmp_path, capsys):
    body = '[[changes]]\nkey = "dynamics.gp_leaving_rate_per_year"\nto = 0.2\nstart_month = 3\n'
    path = scenario(tmp_path, body)
    code, lines = validate(capsys, path)
    assert (code, lines) == (
        2,
        [
            f"icsim: {path}:4: changes[0].key: the stocks read this once, at the start (only "
            "extra funding can change in time)"
        ],
    )
