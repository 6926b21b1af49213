"""Mental-health crisis care against queueing theory and conservation.

Liaison psychiatry is M/M/c when referrals are Poisson and assessments exponential: its mean
wait is Erlang C's, and the time-average number waiting is arrivals × mean wait (Little's law).
The mental-health beds are a loss system: the share placed out of area is Erlang B's. In a whole
replication every crisis presentation is accounted for, and the crisis rates follow their
formula (community teams' contact, multimorbidity normalised to the place's mix) exactly.
"""

import json
import math

import numpy as np
import pytest
from test_acute import erlang_b, erlang_c

from simulate.errors import InputError
from simulate.inputs.mental_health import MentalHealthSpec
from simulate.inputs.scenario import load_scenario
from simulate.model.place import load_place
from simulate.model.replication import run_replication
from simulate.model.streams import Streams
from simulate.model.tiers.mental_health import crisis_rates
from simulate.model.tiers.mh_services import Liaison, LossBeds
from simulate.shipped import shipped_dir

MH = """
[mental_health]
code = "MHT"
name = "Tiny Mental Health Trust"
beds = {beds}
liaison_practitioners_per_ae = {liaison}
cmht_caseload = {caseload}
"""


def mm_c_waits(rate: float, service: float, servers: int, n: int, seed: int):
    """Referral times and waits of ``n`` Poisson referrals through one liaison team."""
    rng = np.random.default_rng(seed)
    referred = np.cumsum(rng.exponential(1 / rate, n))
    team = Liaison(servers)
    started = team.serve(referred, rng.exponential(service, n))
    return referred, started - referred


def test_liaison_waits_are_erlang_c():
    # M/M/2 at load 1.5 (75% busy): P(wait) = 0.643, mean wait = 0.643 x 1 / (2 - 1.5) = 1.286
    # assessment-times. 200,000 referrals give the mean within about 2% (batch means: the
    # waits are correlated); 5% tolerance, with the fixed seed measured 1.7% off (P(wait) 0.2%).
    rate, service, servers = 1.5, 1.0, 2
    _, waits = mm_c_waits(rate, service, servers, 200_000, seed=16)
    p_wait = erlang_c(servers, rate * service)
    expected = p_wait * service / (servers - rate * service)
    assert waits[1000:].mean() == pytest.approx(expected, rel=0.05)
    assert (waits[1000:] > 0).mean() == pytest.approx(p_wait, rel=0.03)


def test_liaison_queue_obeys_littles_law():
    # The number waiting, read at 20,000 random instants, averages arrivals x mean wait (L = lW);
    # a different measurement from the wait itself (instants, not patients), so it can fail.
    rate, service, servers = 1.5, 1.0, 2
    referred, waits = mm_c_waits(rate, service, servers, 100_000, seed=17)
    started = referred + waits
    rng = np.random.default_rng(18)
    t = np.sort(rng.uniform(referred[500], referred[-500], 20_000))
    queue = np.searchsorted(referred, t, side="right") - np.searchsorted(
        np.sort(started), t, side="right"
    )
    window = (referred > referred[500]) & (referred < referred[-500])
    assert queue.mean() == pytest.approx(rate * waits[window].mean(), rel=0.05)


@pytest.mark.parametrize(("beds", "load"), [(20, 18.0), (10, 6.0)])
def test_mental_health_beds_overflow_out_of_area_as_erlang_b(beds, load):
    # Poisson admissions, exponential stays: the share out of area is B(beds, load) (0.109 and
    # 0.043). 100,000 admissions; tolerance 5% of the blocking, measured within 1.9%.
    rng = np.random.default_rng(beds)
    n, stay = 100_000, 1.0
    times = np.cumsum(rng.exponential(stay / load, n))
    local = LossBeds(beds).admit(times, rng.exponential(stay, n))
    assert (~local[2000:]).mean() == pytest.approx(erlang_b(beds, load), rel=0.05)


def test_crisis_rates_follow_contact_and_multimorbidity():
    spec = MentalHealthSpec()
    people = np.array([[6000.0, 2000, 1000, 600, 400], [3000, 1500, 800, 500, 200]])
    total = people.sum()
    need = spec.cmht_need_share * total
    for caseload, contact in ((0, 0.0), (int(need / 2), int(need / 2) / need), (10**6, 1.0)):
        rates, n, held = crisis_rates(spec, people, caseload)
        per_person = (1 - spec.cmht_need_share) * spec.crisis_presentations_per_1000_per_year / 1000
        per_person += spec.cmht_need_share * (
            contact * spec.crisis_presentations_per_person_year_in_contact
            + (1 - contact) * spec.crisis_presentations_per_person_year_not_in_contact
        )
        assert rates.sum() == pytest.approx(total * per_person, rel=1e-12)
        assert n == pytest.approx(need) and held == pytest.approx(min(need, caseload))
        # the cohort with 4+ conditions presents 3.79 times as often as the one with none
        ratio = rates[0, 4] / people[0, 4] / (rates[0, 0] / people[0, 0])
        assert ratio == pytest.approx(spec.crisis_rate_ratio_by_ltc_count[4])
    assert crisis_rates(spec, people, 0)[0].sum() > crisis_rates(spec, people, 10**6)[0].sum()


def _tiny_with_mh(tmp_path, beds=3, liaison=1, caseload=50):
    text = (shipped_dir() / "places" / "tiny.toml").read_text()
    text += MH.format(beds=beds, liaison=liaison, caseload=caseload)
    (tmp_path / "example-practices.csv").write_bytes(
        (shipped_dir() / "places" / "example-practices.csv").read_bytes()
    )
    path = tmp_path / "tiny-mh.toml"
    path.write_text(text)
    return load_place(str(path))


HIGH = (
    'place="tiny"',
    "mental_health.crisis_presentations_per_1000_per_year=150",
    "mental_health.admission_share=0.1",
)


@pytest.fixture(scope="module")
def mh_run(tmp_path_factory, short_clock):
    place = _tiny_with_mh(tmp_path_factory.mktemp("mh"))
    scenario = load_scenario(shipped_dir() / "baseline.toml", HIGH)
    return run_replication(scenario, place, short_clock, Streams(3, 0))


def test_every_crisis_presentation_is_accounted_for(mh_run):
    ledger = json.loads(mh_run.attrs["ledger"])
    ended = sum(
        ledger[k]
        for k in ("mh_home_from_ae", "mh_admitted_local_from_ae", "mh_out_of_area_from_ae")
    )
    assert ledger["mh_crisis_presentations"] == ended + ledger["mh_in_ae_at_end"]
    assert ledger["mh_crisis_presentations"] > 500  # about 2,400 a year in all, 4 months
    total = mh_run["mh_crisis_presentations"].sum()
    assert mh_run["provider_mh_crisis_presentations"].sum() == total
    # 3 beds, about 0.6 admissions a day for 33 days: far over, most are placed out of area
    assert mh_run["mh_out_of_area_placements"].sum() > mh_run["mh_admissions"].sum()
    assert (mh_run["mh_beds_occupied"] <= 3).all()
    assert (mh_run["mh_ae_12h_waits"].sum() > 0) and np.isfinite(mh_run["mh_ae_wait_hours"]).all()
    for name in ("mh_cost", "mh_ae_wait_hours", "provider_mh_cost"):
        assert mh_run[name].attrs["units"] and mh_run[name].attrs["long_name"]


def test_the_mental_health_trust_is_a_provider_beside_the_acute_trust(mh_run):
    assert mh_run["provider"].values.tolist() == ["Tiny Trust", "MHT"]
    assert mh_run["provider_kind"].values.tolist() == ["acute", "mental_health"]
    assert float(mh_run["provider_ae_attendances"].sel(provider="MHT").sum()) == 0.0
    assert math.isnan(float(mh_run["provider_ae_wait_hours"].sel(provider="MHT").isel(month=0)))
    cost = mh_run["provider_mh_cost"].sel(provider="MHT")
    np.testing.assert_allclose(cost, mh_run["mh_cost"])


def test_a_place_without_a_mental_health_trust_runs_as_before(baseline_tiny, tiny, short_clock):
    out = run_replication(baseline_tiny, tiny, short_clock, Streams(3, 0))
    assert not [v for v in out.data_vars if v.startswith(("mh_", "provider_mh_"))]
    assert out["provider"].values.tolist() == ["Tiny Trust"]


def test_the_mental_health_trust_draws_from_its_own_streams(tmp_path, short_clock):
    # Adding the trust shifts no other number: the acute tier's A&E and beds are the same.
    scenario = load_scenario(shipped_dir() / "baseline.toml", HIGH)
    with_mh = run_replication(scenario, _tiny_with_mh(tmp_path), short_clock, Streams(4, 0))
    without = run_replication(scenario, load_place("tiny"), short_clock, Streams(4, 0))
    for name in ("ae_attendances", "ae_4h_breaches", "bed_days", "gp_appointments", "cost"):
        np.testing.assert_array_equal(with_mh[name].values, without[name].values)


def test_presentations_are_the_poisson_counts_of_their_rates(mh_run, tmp_path, short_clock):
    # The place's crisis rates over the 4 reported months (122 days) give the expected count;
    # a Poisson total lies within 4 standard deviations of it (775, sd 28; measured 769).
    place = _tiny_with_mh(tmp_path)
    spec = load_scenario(shipped_dir() / "baseline.toml", HIGH).spec.mental_health
    rates, _, _ = crisis_rates(spec, place.population.demand_base.sum(axis=1), 50)
    expected = rates.sum() * short_clock.days_in_month.sum() / 365.0
    seen = float(mh_run["mh_crisis_presentations"].sum())
    assert abs(seen - expected) < 4 * math.sqrt(expected), (seen, expected)


def test_the_mean_field_refuses_a_mental_health_trust(tmp_path, short_clock):
    scenario = load_scenario(
        shipped_dir() / "baseline.toml", ('place="tiny"', 'dynamics.mode="sd"')
    )
    with pytest.raises(InputError, match="does not model the mental-health trust") as error:
        run_replication(scenario, _tiny_with_mh(tmp_path), short_clock, Streams(1, 0))
    assert error.value.key == "dynamics.mode"
