"""The elective pathway: every referral ends in one place, Little's law, event and fluid agree."""

import datetime as dt
from types import SimpleNamespace

import numpy as np
import pytest
from conftest import BASELINE

from simulate.inputs.scenario import load_scenario
from simulate.model.clock import Clock
from simulate.model.collector import Collector
from simulate.model.demand import Demand
from simulate.model.levers.referral_management import Pathway
from simulate.model.rates import Rates
from simulate.model.streams import Streams
from simulate.model.tiers.electives import Drawn, Electives, Expected
from simulate.model.tiers.month import Month


def run(place, sets=(), months=24, warmup=6, seed=0, fluid=False, pathway=None):
    """The electives tier alone on ``place``: its collector after ``months`` reported months."""
    spec = load_scenario(BASELINE, ('place="tiny"', *sets)).spec
    clock = Clock(dt.date(2019, 4, 1), months=months, warmup_months=warmup)
    rates = Rates.of(spec, place)
    demand = Demand.of(rates, place.population.demand_base, clock.working_days_per_year)
    collector = Collector(clock, place)
    draws = Expected() if fluid else Drawn(Streams(seed, 0))
    tier = Electives(place, spec, rates, clock, collector, draws)
    effects = SimpleNamespace(outpatient_referrals=1.0, pathway=pathway)
    bounds = clock.boundaries
    for first, end in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        m = int(clock.month_of_day[first])
        tier.enter(Month(first, end, m, spec, rates, demand, effects))
    return collector, tier, clock


def total(collector, name):
    return collector.pk[name].sum()


def test_every_referral_ends_in_exactly_one_place(tiny):
    # with triage and a community clinic that is full on some days, so every branch is taken
    pathway = Pathway(np.full(tiny.registered.shape, 0.6), 0.3, 0.25, 0.8)
    collector, tier, _ = run(tiny, months=12, warmup=0, pathway=pathway)
    n, end = collector.ledger, tier.ledger()
    assert n["outpatient_referrals"] > 2_000 and n["community_clinic_attendances"] > 50
    assert n["referrals_triaged"] * 0.3 > n["community_clinic_attendances"] * 1.1  # clinic full
    # where each referral is now: resolved at the clinic, discharged from outpatients, a day case,
    # home after an elective stay, or still in a stage (waiting for outpatients, on the list, in
    # an elective bed)
    places = (
        n["community_clinic_attendances"]
        - n["community_clinic_onward_referrals"]
        + n["outpatient_first_attendances"]
        - n["elective_decisions"]
        + n["elective_day_cases"]
        + n["elective_discharges"]
        + end["outpatient_waiting_at_end"]
        + end["elective_list_at_end"]
        + end["elective_beds_at_end"]
    )
    assert places == n["outpatient_referrals"]
    assert n["elective_decisions"] == n["elective_admissions"] + end["elective_list_at_end"]


def test_elective_waiting_list_obeys_littles_law(tiny):
    # capacity 1% above need: a busy list (the mean number waiting L, the decisions a day λ and
    # the mean wait W of those admitted measured apart, patient by patient); over 8 years the
    # list at either end is a small share of those who passed
    collector, _, clock = run(tiny, ("electives.capacity_ratio=1.01",), months=96, warmup=12)
    days = clock.days_in_month.sum()
    waiting = total(collector, "elective_waiting_list") / days  # census summed: patient-days
    per_day = total(collector, "elective_decisions") / days
    wait = total(collector, "elective_wait_days_sum") / total(collector, "elective_admissions")
    assert wait > 2.0  # a real queue, not an empty one
    assert waiting == pytest.approx(per_day * wait, rel=0.05)


def test_capacity_binds_when_below_need(tiny):
    # at 80% of need the list never empties after the first months: admissions run at capacity
    collector, tier, clock = run(tiny, ("electives.capacity_ratio=0.8",), months=12, warmup=6)
    working = clock.working_days_in_month.sum()
    assert total(collector, "elective_admissions") == pytest.approx(tier.capacity * working, abs=2)


def test_outpatient_waiting_is_mg_infinity(tiny):
    # uncapacitated first attendances: the number waiting is referrals a day x mean wait (42 days)
    collector, _, clock = run(tiny, months=36, warmup=12)
    days = clock.days_in_month.sum()
    per_day = total(collector, "outpatient_referrals") / days
    waiting = total(collector, "outpatient_waiting") / days
    assert waiting == pytest.approx(per_day * 42.0, rel=0.04)


@pytest.fixture(scope="module")
def both(tiny):
    """The fluid tier's collector and six event replications', 12 months each."""
    return run(tiny, months=12, fluid=True)[0], [run(tiny, months=12, seed=s)[0] for s in range(6)]


@pytest.mark.parametrize(
    "name",
    [
        "outpatient_first_attendances",
        "outpatient_waiting",
        "elective_admissions",
        "elective_bed_days",
        "outpatient_attendances",
    ],
)
def test_event_and_fluid_agree_within_sampling_error(both, name):
    # the capacity is 5% above need, so it seldom binds: the fluid limit is the event mean
    fluid, events = both
    fluid = total(fluid, name)
    event = np.array([total(c, name) for c in events])
    se = event.std(ddof=1) / np.sqrt(len(event))
    assert se > 0 and abs(event.mean() - fluid) < 3.5 * se


def test_referral_management_moves_the_expected_share_from_outpatients(tiny):
    # an ample clinic: of the referrals, 50% triaged x 40% redirected x (1 - 20% onward) = 16% are
    # kept from outpatients; first attendances fall by that share of referrals, in expectation
    pathway = Pathway(np.full(tiny.registered.shape, 0.5), 0.4, 0.2, 1000.0)
    off = run(tiny, months=24, fluid=True)[0]
    on = run(tiny, months=24, fluid=True, pathway=pathway)[0]
    fall = total(off, "outpatient_first_attendances") - total(on, "outpatient_first_attendances")
    kept = total(on, "community_clinic_attendances") - total(
        on, "community_clinic_onward_referrals"
    )
    assert kept == pytest.approx(0.16 * total(on, "outpatient_referrals"), rel=1e-9)
    assert fall == pytest.approx(kept, rel=0.02)  # the difference: those still waiting at the end
    ratio = total(on, "elective_admissions") / total(off, "elective_admissions")
    assert ratio == pytest.approx(1 - 0.16, abs=0.02)


def test_an_idle_month_skips_its_days_bit_for_bit(tiny, monkeypatch):
    # no referrals until month 1 (the levers' multiplier 0), then the usual ones: the months
    # with nothing to do skip their days, and every number, the ledger, the admission credit and
    # every stream are exactly what running their days gives (draws of nobody take no numbers)
    def months(idle):
        spec = load_scenario(BASELINE, ('place="tiny"',)).spec
        clock = Clock(dt.date(2019, 4, 1), months=5, warmup_months=1)
        rates = Rates.of(spec, tiny)
        demand = Demand.of(rates, tiny.population.demand_base, clock.working_days_per_year)
        collector, streams = Collector(clock, tiny), Streams(3, 0)
        tier = Electives(tiny, spec, rates, clock, collector, Drawn(streams))
        if not idle:
            monkeypatch.setattr(tier, "_idle", lambda referrals: False)
        bounds = clock.boundaries
        for first, end in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
            m = int(clock.month_of_day[first])
            effects = SimpleNamespace(outpatient_referrals=float(m >= 1), pathway=None)
            tier.enter(Month(first, end, m, spec, rates, demand, effects))
        states = {n: streams[n].bit_generator.state for n in streams.names}
        return collector, tier, states

    skipped, ran = months(idle=True), months(idle=False)
    assert skipped[0].ledger == ran[0].ledger and ran[0].ledger["outpatient_referrals"] > 300
    for name, values in ran[0].pk.items():
        assert np.array_equal(skipped[0].pk[name], values), name
    assert skipped[1].credit == ran[1].credit and skipped[1].capacity > 0
    assert skipped[2] == ran[2]
