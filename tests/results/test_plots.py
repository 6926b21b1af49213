"""Every figure writes a non-empty PNG and SVG that carry the provenance stamp as text."""

import pytest
from test_compare import synthetic_cube

from simulate.results.plots import FIGURES, stamp


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
