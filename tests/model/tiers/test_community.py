"""Community services against theory: step-down beds as M/M/c, nursing as M/G/infinity."""

import datetime as dt

import numpy as np
import pytest
from test_acute import erlang_c

from simulate.inputs.schema import AcuteSpec
from simulate.model.clock import Clock
from simulate.model.collector import Collector
from simulate.model.tiers.acute import AcuteTrust, Arrivals
from simulate.model.tiers.community import CommunityNursing, StepDown


def test_delayed_discharges_match_erlang_c(tiny):
    # Admissions Poisson 2 a day, ample acute beds and cubicles: patients become fit as the output
    # of an M/G/infinity queue, itself Poisson. Each needs step-down (exponential, mean 3 days) from
    # 8 beds: an M/M/8 queue at load 6, whose mean wait is C(8, 6) x 3 / (8 - 6) days.
    c, per_day, mean_stay = 8, 2.0, 3.0
    expected = erlang_c(c, per_day * mean_stay) * mean_stay / (c - per_day * mean_stay)
    delayed = transfers = 0.0
    for seed in range(4):
        clock = Clock(dt.date(2019, 1, 1), months=48, warmup_months=3)
        spec = AcuteSpec(
            treatment_hours={"dist": "fixed", "value": 0.1},
            admission_probability=[1.0] * 5,
            length_of_stay_days={"dist": "lognormal", "mean": 4.0, "sd": 3.0},
        )
        collector = Collector(clock, tiny)
        trust = AcuteTrust(50, 500, spec, collector, stepdown=StepDown(c))
        rng = np.random.default_rng(seed)
        for first, end in zip(clock.boundaries[:-1], clock.boundaries[1:]):
            n = rng.poisson(per_day * (end - first))
            times = np.sort(first + rng.random(n) * (end - first))
            batch = Arrivals.draw(times, np.zeros(n, int), np.zeros(n, int), spec, rng)
            batch.stepdown_stay = rng.exponential(mean_stay, n)
            trust.run(batch, until=float(end))
        delayed += collector.pk["delayed_discharge_days"].sum()
        transfers += collector.pk["stepdown_admissions"].sum()
    # about 4 x 2,900 transfers; the mean delay (1.07 days expected) is within 10%
    assert delayed / transfers == pytest.approx(expected, rel=0.10)


def test_delays_hold_acute_beds_and_everyone_is_accounted_for(tiny):
    clock = Clock(dt.date(2019, 1, 1), months=3, warmup_months=0)
    spec = AcuteSpec(
        treatment_hours={"dist": "fixed", "value": 0.1},
        admission_probability=[1.0] * 5,
        length_of_stay_days={"dist": "fixed", "value": 1.0},
    )
    collector = Collector(clock, tiny)
    trust = AcuteTrust(10, 100, spec, collector, stepdown=StepDown(1))
    # five patients at once, each needing 10 days of step-down from a single bed
    times = np.linspace(0.0, 0.01, 5)
    batch = Arrivals.draw(times, np.zeros(5, int), np.zeros(5, int), spec, np.random.default_rng(0))
    batch.stepdown_stay = np.full(5, 10.0)
    trust.run(batch, until=35.0)
    # by day 35 three have moved (days 1, 11, 21: delays 0, 10, 20), one at day 31 (30)
    assert collector.ledger["stepdown_admissions"] == 4
    assert collector.pk["delayed_discharge_days"].sum() == pytest.approx(0 + 10 + 20 + 30, abs=0.1)
    assert trust.in_beds == 1 and trust.stepdown.waiting == 1 and trust.stepdown.occupied == 1


def test_ample_nursing_caseload_is_m_g_infinity():
    # referrals 5 a day, geometric episodes of mean 40 days: mean caseload 200 (Little's law)
    rng = np.random.default_rng(1)
    nursing = CommunityNursing(10_000, 40.0, (1, 1), rng)
    totals = []
    for day in range(4000):
        nursing.day(rng.poisson(5.0, (1, 1)))
        if day >= 400:
            totals.append(nursing.caseload.sum())
    assert np.mean(totals) == pytest.approx(200.0, rel=0.03)


def test_full_caseload_makes_a_waiting_list_and_loses_no_one():
    rng = np.random.default_rng(2)
    nursing = CommunityNursing(50, 40.0, (3, 5), rng)
    referred = admitted = 0
    for _ in range(500):
        referrals = rng.poisson(0.1, (3, 5))
        referred += referrals.sum()
        admitted += nursing.day(referrals).sum()
        assert nursing.caseload.sum() <= 50
    # demand 1.5 a day, at most 50 / 40 = 1.25 a day leave: about 0.25 a day queue up
    assert nursing.waiting.sum() > 50
    assert referred == admitted + nursing.waiting.sum()


def test_an_idle_month_of_nursing_skips_its_days_bit_for_bit(tiny):
    # no referrals for two months, then 40 a day (a caseload of 20, full): the idle months
    # skip their days, and every number, the ledger and both streams are what running them gives
    from types import SimpleNamespace

    from conftest import BASELINE

    from simulate.inputs.scenario import load_scenario
    from simulate.model.streams import Streams
    from simulate.model.tiers.community import EventCommunity
    from simulate.model.tiers.month import Month

    spec = load_scenario(BASELINE, ('place="tiny"',)).spec
    busy = np.full(tiny.registered.shape, 40.0 / tiny.registered.size)

    def months(skip):
        clock = Clock(dt.date(2019, 1, 1), months=3, warmup_months=1)
        collector, streams = Collector(clock, tiny), Streams(4, 0)
        tier = EventCommunity(tiny, spec, streams, collector)
        tier.nursing.capacity = 20
        bounds = clock.boundaries.tolist()
        for first, end in zip(bounds[:-1], bounds[1:]):
            m = int(clock.month_of_day[first])
            demand = SimpleNamespace(nursing_referrals=busy * (m >= 1))
            tier.enter(Month(first, end, m, spec, None, demand, None))
            tier.idle = tier.idle and skip
            for day in range(first, end):
                tier.day(day)
        states = {n: streams[n].bit_generator.state for n in streams.names}
        return collector, states

    (skipped, a), (ran, b) = months(skip=True), months(skip=False)
    assert a == b
    assert skipped.ledger == ran.ledger and ran.ledger["nursing_admissions"] > 30
    for name, values in ran.pk.items():
        assert np.array_equal(skipped.pk[name], values), name
