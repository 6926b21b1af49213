"""The report says what is true of the run: generated methods, what each scenario is, and
cost-effectiveness only where both intervals support it."""

import json

import numpy as np
import pytest
from test_compare import synthetic_cube

from simulate.results.compare import cost_per_admission_avoided, effects, fieller, ratio_words
from simulate.results.cube import load
from simulate.results.report import summary, write_report
from simulate.results.scope import scope
from simulate.shipped import shipped_dir

CONTRADICTIONS = (
    "does not age",
    "no system dynamics yet",
    "SimPy",
    "leaves out community care",
    "not yet been explored in a sensitivity analysis",
)


@pytest.fixture(scope="module")
def written(tiny_run, tmp_path_factory):
    cube = load(tiny_run / "cube.nc")
    cube.attrs["command"] += " --set hub.minutes_per_appointment=10"
    folder = tmp_path_factory.mktemp("report")
    return cube, write_report(cube, folder, "words").read_text()


def test_methods_and_limitations_do_not_contradict_the_model(written):
    """Defect 4: hard-coded Methods and Limitations said things untrue of the model."""
    cube, text = written
    assert not [c for c in CONTRADICTIONS if c in text]
    assert "This run used a discrete-event engine" in text
    assert "shipped with icsim" in text  # the tiny place is shipped
    own = cube.copy()
    places = json.loads(own.attrs["place_toml"])
    own.attrs["place_toml"] = json.dumps({k: v + "\n# edited\n" for k, v in places.items()})
    found = scope(own)
    assert found.own_place and found.practice_csv == ("example-practices.csv",)


def test_report_says_what_each_scenario_is(written):
    """Defect 5: no description, no differences, and the GBP 10 change shown as 0.0."""
    _, text = written
    assert "<h2>Scenarios</h2>" in text
    for name in ("baseline", "extended-access", "funding-per-head"):
        description = _description(name)
        assert description in text.replace("&#x27;", "'")
    assert "docs/interventions/funding-per-head.md" in text
    assert "30 in the baseline, 60 here" in text  # the hub minutes of extended-access
    assert "0; then 10 from reported month 0 at once" in text  # the assumptions table
    assert "--set hub.minutes_per_appointment=10" in text


def _description(name):
    from simulate.inputs.toml import tomllib

    return tomllib.loads((shipped_dir() / f"{name}.toml").read_text())["description"]


def _noisy_cost(cube, spread):
    """The scenario's cost (+3 GBP a cell) plus ``spread`` x (-1, 1, -1, 1) a cell by rep."""
    cost = cube["cost"].values.copy()
    for r in range(cost.shape[1]):
        cost[1, r] += spread * (-1) ** (r + 1)
    return cube.assign(cost=(cube["cost"].dims, cost, cube["cost"].attrs))


def test_no_cost_effectiveness_claim_when_cost_shows_no_clear_change():
    """Defect 6: "saves about GBP 509.7 per admission avoided" right after "no clear change in
    Cost (... includes no change)"."""
    cube = _noisy_cost(synthetic_cube(), spread=50.0)
    found = effects(cube)
    cost = next(e for e in found if e.headline.label == "Cost")
    assert not cost.clear
    sentences = " ".join(summary(cube))
    assert "saves about" not in sentences and "costs about" not in sentences
    assert "includes no change" in sentences


def test_cost_effectiveness_claim_carries_its_own_interval():
    cube = synthetic_cube()  # admissions fall clearly; cost rises by exactly 60 in every rep
    (ratio,) = cost_per_admission_avoided(effects(cube), cube)
    assert ratio.value == pytest.approx(60.0 / 25.0)
    assert ratio.low < ratio.value < ratio.high
    assert "95% CI GBP" in ratio_words(ratio)
    # Fieller's interval against a brute-force check of its defining inequality
    cost, avoided = np.array([60.0] * 4), np.array([10.0, 20.0, 30.0, 40.0])
    low, high = fieller(cost, avoided)
    assert low == pytest.approx(ratio.low) and high == pytest.approx(ratio.high)
    assert low < 60 / 25 < high


PAYLOADS = ("<script>alert(1)</script>", '<img src=x onerror="alert(2)">')


def test_text_from_the_run_is_escaped_in_the_report(tiny_run, tmp_path):
    """Descriptions and place names reach the HTML as text, never as markup (issue 20, item 10)."""
    import tomli_w

    from simulate.inputs.toml import tomllib

    cube = load(tiny_run / "cube.nc")
    texts = json.loads(cube.attrs["scenario_toml"])
    for name, text in texts.items():
        data = tomllib.loads(text)
        data["description"] = " ".join(PAYLOADS) + f" {name}"
        texts[name] = tomli_w.dumps(data)
    cube.attrs["scenario_toml"] = json.dumps(texts)
    places = json.loads(cube.attrs["place_toml"])
    for key, text in places.items():
        data = tomllib.loads(text)
        data["name"] = PAYLOADS[1]
        places[key] = tomli_w.dumps(data)
    cube.attrs["place_toml"] = json.dumps(places)
    html = write_report(cube, tmp_path, "hostile").read_text()
    for payload in PAYLOADS:
        assert payload not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "onerror=" not in html.replace("onerror=&quot;", "")  # only as escaped text
    assert html.count("<script") == html.count("</script>")  # the report's own, if any
