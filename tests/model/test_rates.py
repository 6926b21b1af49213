"""Demand rates by age and LTCs: published age rates kept, activity rising as published."""

import numpy as np
import pytest
from conftest import BASELINE

from simulate.inputs.scenario import load_scenario
from simulate.model.place import load_place
from simulate.model.rates import Rates, reference_ltc_mix


@pytest.fixture(scope="module")
def rates():
    place = load_place("default")
    return Rates.of(load_scenario(BASELINE).spec, place), place


def test_each_age_band_keeps_its_published_rate(rates):
    r, place = rates
    demand = load_scenario(BASELINE).spec.demand
    mix = reference_ltc_mix(place)
    np.testing.assert_allclose(
        (mix * r.gp_requests).sum(axis=1),
        np.asarray(demand.gp_requests_per_person_year_by_age) * demand.gp_requests_growth,
    )
    np.testing.assert_allclose(
        (mix * r.emergency_admissions).sum(axis=1),
        demand.emergency_admissions_per_person_year_by_age,
    )


@pytest.mark.parametrize(
    "name, bands",
    # published shapes: GP use is U-shaped, lowest at 5-14 (Hobbs et al. 2016); A&E use is
    # J-shaped, lowest in middle age; admissions rise from childhood on; outpatient use rises to
    # 75-84 and dips after (the baseline's assumed shape)
    [
        ("gp_requests", slice(1, None)),
        ("ae_attendances", slice(4, None)),
        ("emergency_admissions", slice(1, None)),
        ("outpatient_attendances", slice(1, 7)),
    ],
)
def test_activity_rises_with_ltcs_in_every_age_band_and_with_age(rates, name, bands):
    r, place = rates
    rate = getattr(r, name)
    assert (np.diff(rate, axis=1) > 0).all()
    # per person in each age band over the place's own population (its own LTC mix)
    base = place.population.demand_base.sum(axis=0)
    per_person = (base * rate).sum(axis=1) / base.sum(axis=1)
    assert (np.diff(per_person[bands]) > 0).all(), per_person


def test_admission_chances_are_probabilities_and_length_of_stay_keeps_its_mean(rates):
    r, place = rates
    raw = r.emergency_admissions / (r.ae_attendances * (1 - r.minor_share)[:, None])
    assert raw.max() < 1  # no admissions are lost to clipping
    admitted = place.population.demand_base.sum(axis=0) * r.emergency_admissions
    assert (admitted * r.stay_ratio).sum() / admitted.sum() == pytest.approx(1.0)
