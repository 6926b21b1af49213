"""Every figure writes a non-empty PNG and SVG that carry the provenance stamp as text."""

import pytest
from test_compare import synthetic_cube

from simulate.results.figures import FIGURES
from simulate.results.plots import stamp

FIGURES = tuple(f for f in FIGURES if f.__name__ != "provider_plot")  # needs a run's cube:
# the synthetic cube has no provider_* variables (tests/cli/test_providers.py draws it)


@pytest.fixture(scope="module")
def cube():
    data = synthetic_cube()
    data.attrs.update(
        icsim_version="9.9.9",
        created="2026-01-02T03:04:05+00:00",
        scenario_sha256='{"base": "abcdef0123456789", "scen": "fedcba9876543210"}',
    )
    return data


def test_stamp_names_run_hashes_version_and_date(cube):
    text = stamp(cube, "run-42")
    assert text == "run run-42 | scenario base abcdef01, scen fedcba98 | icsim 9.9.9 | 2026-01-02"


@pytest.mark.parametrize("figure", FIGURES, ids=lambda f: f.__name__)
def test_figure_writes_stamped_png_and_svg(cube, tmp_path, figure):
    png, svg = figure(cube, tmp_path, "run-42")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000
    text = svg.read_text()
    assert "run run-42" in text and "abcdef01" in text and "icsim 9.9.9" in text
    assert "2026-01-02" in text and "<svg" in text


@pytest.mark.parametrize("figure", FIGURES, ids=lambda f: f.__name__)
def test_every_figure_shows_every_scenario_of_nine(cube, tmp_path, figure):
    """Defect 3: the fan chart drew the first 6 scenarios, the plane 5; the forest plot was
    2,600 px tall with colours repeated and its stamp cut off."""
    import re

    from many import many_scenarios
    from PIL import Image

    many = many_scenarios(cube, 9)
    png, svg = figure(many, tmp_path, "run-42")
    text = svg.read_text()
    names = [str(s) for s in many.scenario.values]
    shown = names[:1] if figure.__name__ == "funnel_plot" else names[1:]
    # once in the stamp (with its hash), at least once more in the figure itself
    assert all(text.count(name) >= 2 for name in shown), [n for n in shown if text.count(n) < 2]
    assert "icsim 9.9.9" in text and all(h in text for h in ("08abcdef",))
    width, height = Image.open(png).size
    assert height < 1800 and width < 1300
    if figure.__name__ in ("forest_plot", "cost_effect_plane"):
        colours = set(re.findall(r"stroke: ?(#[0-9a-f]{6})", text)) - {"#333333", "#000000"}
        assert len(colours) >= 8


@pytest.mark.parametrize(("months", "step"), [(3, 1), (12, 2), (24, 3), (120, 24)])
def test_month_ticks_never_repeat_a_label(months, step):
    """A 3-month run's fan chart labelled its day ticks 'Apr 2019' over and over."""
    import datetime as dt

    import matplotlib.pyplot as plt
    import numpy as np

    from simulate.results.plots import month_ticks

    dates = np.arange("2019-04", np.datetime64("2019-04") + months, dtype="datetime64[M]")
    figure, axis = plt.subplots()
    axis.plot(dates.astype("datetime64[D]"), np.arange(months))
    month_ticks(axis, months)
    figure.canvas.draw()
    labels = [t.get_text() for t in axis.get_xticklabels() if t.get_text()]
    plt.close(figure)
    ticks = [dt.datetime.strptime(label, "%b %Y") for label in labels]
    apart = {(b.year - a.year) * 12 + b.month - a.month for a, b in zip(ticks, ticks[1:])}
    assert apart == {step} and 2 <= len(ticks) <= 9
