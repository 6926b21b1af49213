"""The reference workload (shared/bench/WORKLOAD.md), written per patient in SimPy.

What a competent modeller writes by default, and the peer icsim is measured against: one SimPy
process per GP request, hub referral and A&E attendance, and ``simpy.Resource`` for every capacity
(a practice's daily slots, the hub's daily appointments, A&E cubicles, beds). It shares no code
with icsim, so agreement between the two is evidence about both.

How daily capacities map onto resources (time in days; day 0 is a Monday):
- a practice is a Resource of S_p slots. A served request holds its slot until the start of the
  next working day (``+0.1``), so at most S_p are served a day and unused slots are lost. Requests
  arrive at ``+0.2`` of a working day, in random order, and queue FIFO; a request not granted by
  the end (``+0.9``) of its last allowed working day leaves (to the hub or A&E next day);
- the hub is a Resource of H appointments held until the next day; the day's referrals come at
  ``+0.25`` to ``+0.3`` (before A&E opens to them at 08:00) in random order and are seen while
  it has room, otherwise go to A&E that day;
- A&E cubicles and beds are Resources; an admitted patient keeps the cubicle until a bed is free.

Run as a script: ``python benchmarks/per_patient_simpy.py --population 62500 --seed 1``.
"""

from __future__ import annotations

import argparse
import math
import random
import time

import numpy as np
import simpy
from scipy.stats import norm

P, K = 30, 5
SHARES = (0.578, 0.190, 0.090, 0.056, 0.086)
GP_RATE = (2.5, 5.0, 8.0, 11.0, 15.0)
AE_RATE = (0.12, 0.20, 0.30, 0.40, 0.60)
ADMIT = (0.12, 0.18, 0.26, 0.34, 0.44)
WARMUP, OBSERVED, HORIZON, WORKING_DAYS = 56, 365, 421, 301
TREAT_MU, TREAT_SIGMA = 0.47000, 0.66805  # hours
STAY_MU, STAY_SIGMA = 0.99325, 1.01077  # days
BOUNDS = [WARMUP + -(-OBSERVED * m // 12) for m in range(13)]
PK_NAMES = (
    "gp_requests",
    "gp_appointments",
    "gp_wait_days_sum",
    "gp_overflow_hub",
    "gp_overflow_ae",
    "hub_appointments",
    "hub_overflow_ae",
    "ae_attendances",
    "emergency_admissions",
)
MONTH_NAMES = (
    "ae_4h_breaches",
    "ae_departures",
    "ae_time_hours_sum",
    "ae_cubicle_wait_hours_sum",
    "bed_days",
)


def largest_remainder(total, weights):
    """Integers proportional to ``weights`` summing to ``total`` (ties to the lower index)."""
    exact = [total * w / sum(weights) for w in weights]
    counts = [math.floor(x) for x in exact]
    order = sorted(range(len(exact)), key=lambda i: -(exact[i] - counts[i]))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def month(t):
    """Observed month of time ``t`` (days), or None in the warm-up or after the horizon."""
    d = math.floor(t)
    return (d - WARMUP) * 12 // OBSERVED if WARMUP <= d < HORIZON else None


def calendar_day(w):
    """Calendar day of working day ``w``."""
    return 7 * (w // 5) + w % 5


class Economy:
    """One replication: the processes and resources, and the counters they add to."""

    def __init__(self, population, seed):
        self.env = env = simpy.Environment()
        self.rand = random.Random(seed)
        self.np = np.random.default_rng(seed)
        z = [norm.ppf((p + 0.5) / P) for p in range(P)]
        sizes = largest_remainder(population, [math.exp(0.5 * x) for x in z])
        self.n = [largest_remainder(s, SHARES) for s in sizes]
        self.slots = [simpy.Resource(env, math.floor(90 * s / 5000 + 0.5)) for s in sizes]
        self.hub = simpy.Resource(env, math.floor(0.6 * population / 1000 + 0.5))
        self.cubicles = simpy.Resource(env, math.floor(0.16 * population / 1000 + 0.5))
        self.beds = simpy.Resource(env, math.floor(1.36 * population / 1000 + 0.5))
        self.pk = {name: np.zeros((12, P, K)) for name in PK_NAMES}
        self.by_month = {name: np.zeros(12) for name in MONTH_NAMES}
        self.episodes = 0
        for p in range(P):
            env.process(self.practice_day(p))
            for k in range(K):
                env.process(self.background(p, k))

    # general practice
    def practice_day(self, p):
        """A practice's requests, day by day, each its own process."""
        env = self.env
        for w in range(WORKING_DAYS):
            yield env.timeout(calendar_day(w) + 0.2 - env.now)
            requests = []
            for k in range(K):
                n = self.np.poisson(self.n[p][k] * GP_RATE[k] * 7 / (5 * 365))
                requests += [k] * int(n)
            self.rand.shuffle(requests)
            for k in requests:
                env.process(self.gp_request(p, k, w, self.rand.random() < 0.4))

    def gp_request(self, p, k, w, same_day):
        """One GP request: a slot before its tolerance runs out, or away to the hub or A&E."""
        env, slots = self.env, self.slots[p]
        self.episodes += 1
        m = month(env.now)
        if m is not None:
            self.pk["gp_requests"][m, p, k] += 1
        last_day = calendar_day(w + (2 if same_day else 14))
        request = slots.request()
        yield request | env.timeout(last_day + 0.9 - env.now)
        if request.triggered:
            day = math.floor(env.now)
            m = month(day)
            if m is not None:
                served_w = 5 * (day // 7) + day % 7
                self.pk["gp_appointments"][m, p, k] += 1
                self.pk["gp_wait_days_sum"][m, p, k] += served_w - w
            next_working = day + (3 if day % 7 == 4 else 1)
            yield env.timeout(next_working + 0.1 - env.now)
            slots.release(request)
            return
        request.cancel()
        m = month(env.now)
        next_day = math.floor(env.now) + 1
        if self.rand.random() < 0.5:
            if m is not None:
                self.pk["gp_overflow_hub"][m, p, k] += 1
            env.process(self.hub_referral(p, k, next_day))
        else:
            if m is not None:
                self.pk["gp_overflow_ae"][m, p, k] += 1
            env.process(self.to_ae(p, k, next_day))

    # federation hub
    def hub_referral(self, p, k, day):
        """A referral at the hub the day after it left its practice."""
        env = self.env
        yield env.timeout(day + 0.25 + 0.05 * self.rand.random() - env.now)
        m = month(day)
        if self.hub.count < self.hub.capacity:
            request = self.hub.request()
            yield request
            if m is not None:
                self.pk["hub_appointments"][m, p, k] += 1
            yield env.timeout(day + 1.05 - env.now)
            self.hub.release(request)
        else:
            if m is not None:
                self.pk["hub_overflow_ae"][m, p, k] += 1
            yield from self.to_ae(p, k, day)

    # A&E and beds
    def to_ae(self, p, k, day):
        """Sent to A&E on ``day``, arriving between 08:00 and 22:00."""
        env = self.env
        yield env.timeout(day + (8 + 14 * self.rand.random()) / 24 - env.now)
        yield from self.ae_patient(p, k)

    def background(self, p, k):
        """A&E arrivals not from general practice: a Poisson process."""
        env, rate = self.env, self.n[p][k] * AE_RATE[k] / 365
        if rate <= 0:
            return
        while True:
            yield env.timeout(self.rand.expovariate(rate))
            env.process(self.ae_patient(p, k))

    def ae_patient(self, p, k):
        """One A&E attendance: a cubicle, treatment, and maybe a bed (boarding until then)."""
        env, rand = self.env, self.rand
        self.episodes += 1
        arrived = env.now
        m = month(arrived)
        if m is not None:
            self.pk["ae_attendances"][m, p, k] += 1
        cubicle = self.cubicles.request()
        yield cubicle
        treated = env.now
        yield env.timeout(rand.lognormvariate(TREAT_MU, TREAT_SIGMA) / 24)
        if rand.random() < ADMIT[k]:
            bed = self.beds.request()
            yield bed
            stay = rand.lognormvariate(STAY_MU, STAY_SIGMA)
            self.admitted(p, k, stay)
            env.process(self.stay(bed, stay))
        self.cubicles.release(cubicle)
        if m is not None:
            hours = (env.now - arrived) * 24
            months = self.by_month
            months["ae_departures"][m] += 1
            months["ae_time_hours_sum"][m] += hours
            months["ae_cubicle_wait_hours_sum"][m] += (treated - arrived) * 24
            months["ae_4h_breaches"][m] += hours > 4

    def admitted(self, p, k, stay):
        """Count an admission and its bed days by month."""
        start = self.env.now
        m = month(start)
        if m is not None:
            self.pk["emergency_admissions"][m, p, k] += 1
        for i in range(12):
            overlap = min(start + stay, BOUNDS[i + 1]) - max(start, BOUNDS[i])
            if overlap > 0:
                self.by_month["bed_days"][i] += overlap

    def stay(self, bed, days):
        """Hold a bed for the length of stay."""
        yield self.env.timeout(days)
        self.beds.release(bed)

    def run(self):
        """Simulate the whole horizon; outputs by name (month × practice × cohort or month)."""
        self.env.run(until=HORIZON)
        return {**self.pk, **self.by_month}


def run(population, seed):
    """One replication: ``(outputs, patient episodes)``."""
    economy = Economy(population, seed)
    outputs = economy.run()
    return outputs, economy.episodes


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--population", type=int, default=62_500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    began = time.perf_counter()
    outputs, episodes = run(args.population, args.seed)
    seconds = time.perf_counter() - began
    print(f"{seconds:.1f} s, {episodes:,} episodes, {episodes / seconds:,.0f} a second")
    for name, values in outputs.items():
        print(f"{name:<28} {values.sum():>14,.1f}")
