"""The benchmark's workload as icsim expresses it, and the agreement rule (no timings here)."""

import numpy as np
import pytest

from simulate.bench import workload
from simulate.bench.agreement import agreement, interval
from simulate.model.place import load_place
from simulate.shipped import shipped_dir

WORKLOAD_SIZES = [
    2553, 3251, 3706, 4077, 4407, 4711, 5001, 5281, 5556, 5829, 6102, 6379, 6660, 6948, 7246, 7555,
    7879, 8220, 8582, 8971, 9392, 9854, 10367, 10947, 11620, 12423, 13427, 14774, 16840, 21442,
]  # fmt: skip


def test_generated_place_matches_workload_md_at_250k():
    place = workload.place(250_000)
    assert place.list_sizes.tolist() == WORKLOAD_SIZES
    assert place.registered.sum(axis=0).tolist() == [144_499, 47_500, 22_500, 13_999, 21_502]
    assert workload.daily_slots(place.list_sizes).sum() == 4_500
    assert (place.spec.trust.ae_cubicles, place.spec.trust.beds) == (40, 340)
    assert workload.hub_per_day(250_000) == 150
    slots = place.gp_fte * 25
    np.testing.assert_allclose(slots, workload.daily_slots(place.list_sizes), atol=1e-9)


def test_shipped_250k_place_is_the_generators_output():
    shipped = shipped_dir() / "bench" / "place-250k.toml"
    assert shipped.read_text() == workload.place_toml(250_000)
    assert load_place("place-250k.toml", shipped.parent).total == 250_000


@pytest.mark.parametrize("n", [62_500, 125_000, 1_000_000])
def test_place_scales_by_the_rule(n):
    place = workload.place(n)
    assert place.total == n and len(place.practice_codes) == 30
    assert place.spec.trust.beds == round(1.36 * n / 1000)
    scenario = workload.scenario(n)
    per_day = scenario.spec.hub.minutes_per_1000_per_week * n / 1000 / 10 / 7
    assert per_day == pytest.approx(workload.hub_per_day(n))


def test_clock_is_workload_md_section_1():
    clock = workload.clock()
    assert clock.reported_boundaries.tolist() == [
        56, 87, 117, 148, 178, 209, 239, 269, 300, 330, 361, 391, 421
    ]  # fmt: skip
    assert clock.first_weekday == 0 and clock.is_working_day.sum() == 301
    assert clock.month_of_day[55] == -1 and clock.month_of_day[56] == 0


def test_agreement_rule_overlap_and_fixed_values():
    mean, low, high = interval([1.0, 2.0, 3.0])
    assert mean == 2.0 and high - mean == pytest.approx(4.302653 * 1 / np.sqrt(3), rel=1e-6)
    a = [{"x": v, "fixed": 5.0} for v in (1.0, 2.0, 3.0)]
    near = [{"x": v, "fixed": 5.0} for v in (3.0, 4.0, 5.0)]
    far = [{"x": v, "fixed": 6.0} for v in (10.0, 11.0, 12.0)]
    assert [r["agree"] for r in agreement(a, near)] == [True, True]
    assert [r["agree"] for r in agreement(a, far)] == [False, False]
