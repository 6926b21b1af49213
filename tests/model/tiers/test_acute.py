"""The acute trust against queueing theory: Erlang C, M/G/infinity and Erlang B."""

import datetime as dt
import math

import numpy as np
import pytest
from scipy import stats

from simulate.inputs.schema import AcuteSpec
from simulate.model.clock import Clock
from simulate.model.collector import Collector
from simulate.model.tiers.acute import AcuteTrust, Arrivals


def erlang_b(c: int, load: float) -> float:
    """Blocking probability of M/G/c/c (recursive form)."""
    b = 1.0
    for k in range(1, c + 1):
        b = load * b / (k + load * b)
    return b


def erlang_c(c: int, load: float) -> float:
    """Probability of waiting in M/M/c."""
    b = erlang_b(c, load)
    return c * b / (c - load * (1 - b))


def simulate(
    place,
    *,
    rate_per_day,
    cubicles,
    beds,
    treatment,
    admission,
    stay,
    when_no_bed,
    months=24,
    seed=0,
):
    clock = Clock(dt.date(2019, 1, 1), months=months, warmup_months=2)
    spec = AcuteSpec(
        treatment_hours=treatment,
        admission_probability=[admission] * 5,
        length_of_stay_days=stay,
        when_no_bed=when_no_bed,
    )
    collector = Collector(clock, place)
    trust = AcuteTrust(cubicles, beds, spec, collector)
    rng = np.random.default_rng(seed)
    for first, end in zip(clock.boundaries[:-1], clock.boundaries[1:]):
        n = rng.poisson(rate_per_day * (end - first))
        times = np.sort(first + rng.random(n) * (end - first))
        zeros = np.zeros(n, dtype=np.int64)
        trust.run(Arrivals.draw(times, zeros, zeros, spec, rng), until=float(end))
    return collector, clock, trust


def test_mmc_mean_wait_matches_erlang_c(tiny):
    # M/M/5, mean treatment 2 h, 1.75 arrivals an hour: offered load 3.5 erlangs (rho = 0.7)
    c, mean_hours, per_hour = 5, 2.0, 1.75
    load = per_hour * mean_hours
    expected = erlang_c(c, load) * mean_hours / (c - load)  # hours
    waits, counts = [], []
    # 8 x 24 months, about 245,000 patients: the pooled mean's standard error is about 1.5%
    # (measured over seeds), so 5% is over three standard errors
    for seed in range(8):
        collector, _, _ = simulate(
            tiny,
            rate_per_day=per_hour * 24,
            cubicles=c,
            beds=1,
            treatment={"dist": "exponential", "mean": mean_hours},
            admission=0.0,
            stay={"dist": "fixed", "value": 1.0},
            when_no_bed="board",
            seed=seed,
        )
        waits.append(collector.system["ae_cubicle_wait_sum_hours"].sum())
        counts.append(collector.system["ae_cubicle_starts"].sum())
    observed = sum(waits) / sum(counts)
    assert observed == pytest.approx(expected, rel=0.05)


def test_ample_beds_behave_as_m_g_infinity(tiny):
    # admissions 0.5 x 20 a day = 10 a day, lognormal stay of mean 5 days: 50 beds on average.
    # One 3-year run's mean is within about 1.2% (one sd, measured over seeds); four pooled, 0.6%.
    bed_days = days = 0.0
    for seed in range(4):
        collector, clock, _ = simulate(
            tiny,
            rate_per_day=20.0,
            cubicles=200,
            beds=1000,
            treatment={"dist": "exponential", "mean": 1.0},
            admission=0.5,
            stay={"dist": "lognormal", "mean": 5.0, "sd": 6.0},
            when_no_bed="board",
            months=36,
            seed=seed,
        )
        bed_days += collector.pk["bed_days"].sum()
        days += clock.days_in_month.sum()
    assert bed_days / days == pytest.approx(10.0 * 5.0, rel=0.03)


def test_loss_system_blocking_matches_erlang_b(tiny):
    # 10 beds, admissions 4 a day, mean stay 2 days (lognormal: Erlang B is insensitive to it)
    c, per_day, mean_stay = 10, 4.0, 2.0
    diverted = admitted = 0
    for seed in range(6):  # 6 x 5 years, about 44,000 admissions asked for
        collector, _, _ = simulate(
            tiny,
            rate_per_day=per_day,
            cubicles=100,
            beds=c,
            treatment={"dist": "exponential", "mean": 0.5},
            admission=1.0,
            stay={"dist": "lognormal", "mean": mean_stay, "sd": 3.0},
            when_no_bed="divert",
            months=60,
            seed=seed,
        )
        diverted += collector.system["admissions_diverted"].sum()
        admitted += collector.pk["emergency_admissions"].sum()
    expected = erlang_b(c, per_day * mean_stay)  # 0.1217
    # one 5-year run's share varies by about 0.005 (sd over seeds); six pooled, 0.002: allow
    # 7.5% of the expected share (0.009, over four standard errors)
    assert diverted / (diverted + admitted) == pytest.approx(expected, rel=0.075)


def test_erlang_formulas_match_their_closed_forms():
    # B(c, a) is the truncated Poisson's top probability; C(c, a) its explicit sum form
    assert erlang_b(5, 3.0) == pytest.approx(stats.poisson(3.0).pmf(5) / stats.poisson(3.0).cdf(5))
    assert erlang_b(5, 3.0) == pytest.approx(2.025 / 18.4)
    c, a = 5, 3.5
    top = a**c / math.factorial(c) * c / (c - a)
    assert erlang_c(c, a) == pytest.approx(
        top / (sum(a**k / math.factorial(k) for k in range(c)) + top)
    )


def test_boarders_keep_their_cubicle_and_everyone_is_accounted_for(tiny):
    collector, _, trust = simulate(
        tiny,
        rate_per_day=30.0,
        cubicles=4,
        beds=3,
        treatment={"dist": "exponential", "mean": 2.0},
        admission=0.5,
        stay={"dist": "exponential", "mean": 1.0},
        when_no_bed="board",
        months=3,
        seed=3,
    )
    ledger = collector.ledger
    assert ledger["ae_attendances"] == ledger["ae_departures"] + trust.in_ae
    # beds at offered load 15 on 3 beds: boarders hold every cubicle and A&E backs up
    assert trust.in_beds == 3 and trust.cubicles.count == 4
    assert trust.in_ae > 100
    departed = collector.system["ae_departures"].sum()
    assert departed < 0.1 * collector.pk["ae_attendances"].sum()


def erlang_a_abandonment(c: int, per_hour: float, mean_hours: float, patience_hours: float):
    """P(leave unseen) of M/M/c+M from its birth-death chain's stationary law (Palm 1943)."""
    pi, queue, total = [1.0], 0.0, 1.0
    for n in range(1, 2000):
        pi.append(pi[-1] * per_hour / (min(n, c) / mean_hours + max(n - c, 0) / patience_hours))
        total += pi[-1]
        queue += max(n - c, 0) * pi[-1]
    return queue / total / patience_hours / per_hour


def test_patients_who_will_not_wait_leave_as_erlang_a_says(tiny):
    # M/M/5+M overloaded: 3 arrivals an hour for 5 cubicles of mean 2 h (offered 6 erlangs, so
    # Erlang C's queue grows without bound), patience exponential with mean 3 h
    from simulate.model.tiers.queues import erlang_a

    c, mean_hours, per_hour, patience = 5, 2.0, 3.0, 3.0
    expected = erlang_a_abandonment(c, per_hour, mean_hours, patience)
    assert erlang_a(per_hour * 24, mean_hours / 24, c, patience / 24)[2] == pytest.approx(
        expected, rel=1e-9
    )
    spec = AcuteSpec(
        treatment_hours={"dist": "exponential", "mean": mean_hours},
        admission_probability=[0.0] * 5,
        length_of_stay_days={"dist": "fixed", "value": 1.0},
        ae_patience_hours={"dist": "exponential", "mean": patience},
    )
    clock = Clock(dt.date(2019, 1, 1), months=12, warmup_months=1)
    collector = Collector(clock, tiny)
    trust = AcuteTrust(c, 1, spec, collector, patience_rng=np.random.default_rng(1))
    rng = np.random.default_rng(0)
    for first, end in zip(clock.boundaries[:-1], clock.boundaries[1:]):
        n = rng.poisson(per_hour * 24 * (end - first))
        times = np.sort(first + rng.random(n) * (end - first))
        zeros = np.zeros(n, dtype=np.int64)
        trust.run(Arrivals.draw(times, zeros, zeros, spec, rng), until=float(end))
    system = collector.system
    left, departed = system["ae_left_without_being_seen"].sum(), system["ae_departures"].sum()
    # ~26,000 arrivals, P ~ 0.24: the binomial sd of the share is 0.3%, autocorrelation a few
    # times that; 5% relative is about 4 of those
    assert left / departed == pytest.approx(expected, rel=0.05)
    # the overloaded A&E degrades instead of queueing without bound: mean time stays near the
    # treatment plus a share of the patience
    assert system["ae_time_hours"].sum() / departed < mean_hours + patience
    ledger = collector.ledger
    assert ledger["ae_attendances"] == ledger["ae_departures"] + trust.in_ae
