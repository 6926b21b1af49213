"""Place-level effects: a known between-place variance of practice propensities is recovered."""

from types import SimpleNamespace

import numpy as np
import pytest

from simulate.inputs.place import PracticeVariationSpec
from simulate.model.levers.base import propensities


def system(places: int, per_place: int, practice_sd: float, place_sd: float, seed: int = 3):
    """A stand-in place with ``places`` places of ``per_place`` practices (what the draw reads)."""
    codes = [f"P{i:05d}" for i in range(places * per_place)]
    spec = SimpleNamespace(
        variation=PracticeVariationSpec(
            emergency_admission_sd_log=practice_sd, place_emergency_admission_sd_log=place_sd
        ),
        population=SimpleNamespace(seed=seed),
        places=[
            SimpleNamespace(code=f"L{j}", practices=codes[j * per_place : (j + 1) * per_place])
            for j in range(places)
        ],
    )
    return SimpleNamespace(spec=spec, practice_codes=codes)


def test_between_place_and_between_practice_variances_are_recovered():
    # log propensity = 0.1 z_practice + 0.3 z_place + c. One-way ANOVA over 400 places of 5:
    # within-place variance estimates 0.1^2 on 1,600 degrees of freedom (standard error 3.5%),
    # the variance of place means 0.3^2 + 0.1^2 / 5 on 399 (7%): 15% and 25% are over 3.5 of them.
    places, k, practice_sd, place_sd = 400, 5, 0.1, 0.3
    place = system(places, k, practice_sd, place_sd)
    n = places * k
    found = propensities(
        place, {"emergency_admissions": np.ones(n), "outpatient_referrals": np.ones(n)}
    )
    log = np.log(found["emergency_admissions"]).reshape(places, k)
    within = log.var(axis=1, ddof=1).mean()
    between = log.mean(axis=1).var(ddof=1) - within / k
    assert within == pytest.approx(practice_sd**2, rel=0.15)
    assert between == pytest.approx(place_sd**2, rel=0.25)
    # the mean of 1 is over the whole system, so places keep their differences
    assert found["emergency_admissions"].mean() == pytest.approx(1.0, rel=1e-12)
    np.testing.assert_array_equal(found["outpatient_referrals"], np.ones(n))


def test_no_place_spread_leaves_the_practice_draws_as_they_were():
    with_places = propensities(
        system(4, 5, 0.2, 0.0),
        {"emergency_admissions": np.ones(20), "outpatient_referrals": np.ones(20)},
    )
    alone = system(4, 5, 0.2, 0.0)
    alone.spec.places = []
    without = propensities(
        alone, {"emergency_admissions": np.ones(20), "outpatient_referrals": np.ones(20)}
    )
    np.testing.assert_array_equal(
        with_places["emergency_admissions"], without["emergency_admissions"]
    )
