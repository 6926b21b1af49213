"""The reference workload (shared/bench/WORKLOAD.md) as a plain NumPy day loop, with no framework.

The floor ``icsim bench`` measures a whole ``icsim run`` against: what a modeller who knows NumPy
writes for this one workload, in one file, importing nothing but NumPy and the standard library
(no scipy, no xarray, no netCDF), and sharing no code with icsim. It produces the workload's
outputs (§7) and saves each replication's as one ``.npz`` file; it writes no cube, keeps no
provenance and cannot resume.

- General practice, a day at a time over working days: each practice's backlog is counts
  ``[age in working days, same-day|routine, cohort]``. Today's requests join at age 0; up to S_p
  are served oldest day first; within the one day that is partly served, which requests are served
  is a multivariate hypergeometric draw (a day's requests are in uniformly random order, which
  type and cohort do not change); at the end of the day, same-day requests at age 2 and routine
  ones at age 14 leave, each to the hub or to A&E (probability 0.5) the next calendar day.
- The hub sees up to H of the day's referrals, chosen uniformly at random; the rest go to A&E.
- A&E and beds: every arrival of the horizon (background Poisson processes and the GP-origin
  ones, uniform in 08:00-22:00) is drawn first, then one heap-based event loop over cubicles
  (FIFO), beds and boarding (FIFO) runs in continuous time.

Its outputs agree with icsim's by WORKLOAD §8 (38 of 38 scalars' 95% intervals overlap, 8
replications each at 250,000).

Run as a script: ``python benchmarks/per_day_numpy.py --population 250000 --replications 8
--out DIR`` (seeds 1..R unless ``--seeds``).
"""

from __future__ import annotations

import argparse
import heapq
import math
import time
from collections import deque
from pathlib import Path
from statistics import NormalDist

import numpy as np

P, K = 30, 5
SHARES = (0.578, 0.190, 0.090, 0.056, 0.086)
GP_RATE = np.array([2.5, 5.0, 8.0, 11.0, 15.0])
AE_RATE = np.array([0.12, 0.20, 0.30, 0.40, 0.60])
ADMIT = np.array([0.12, 0.18, 0.26, 0.34, 0.44])
WARMUP, OBSERVED, HORIZON, WORKING_DAYS = 56, 365, 421, 301
SAME_DAY, ROUTINE = 2, 14  # tolerances, working days
TREAT_MU, TREAT_SIGMA = 0.47000, 0.66805  # hours
STAY_MU, STAY_SIGMA = 0.99325, 1.01077  # days
BOUNDS = np.array([WARMUP + -(-OBSERVED * m // 12) for m in range(13)], dtype=float)
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


def largest_remainder(total: int, weights) -> np.ndarray:
    """Integers proportional to ``weights`` summing to ``total`` (ties to the lower index)."""
    exact = total * np.asarray(weights, dtype=float) / sum(weights)
    counts = np.floor(exact).astype(np.int64)
    order = np.argsort(-(exact - counts), kind="stable")
    counts[order[: total - counts.sum()]] += 1
    return counts


def economy(population: int):
    """Cohort counts n[p, k], daily GP slots S[p], hub H, cubicles and beds (WORKLOAD §2-§6)."""
    z = [NormalDist().inv_cdf((p + 0.5) / P) for p in range(P)]
    sizes = largest_remainder(population, [math.exp(0.5 * x) for x in z])
    n = np.array([largest_remainder(int(s), SHARES) for s in sizes])
    slots = np.floor(90 * sizes / 5000 + 0.5).astype(np.int64)
    rounded = [math.floor(f * population / 1000 + 0.5) for f in (0.6, 0.16, 1.36)]
    return n, slots, *rounded


def month_of(day: int) -> int:
    """Observed month of calendar ``day``, or -1 in the warm-up."""
    return (day - WARMUP) * 12 // OBSERVED if WARMUP <= day < HORIZON else -1


def serve(backlog: np.ndarray, slots: np.ndarray, rng) -> np.ndarray:
    """Requests served today from ``backlog[p, age, type, k]``: oldest day first, then at random."""
    total = backlog.sum(axis=(2, 3))  # [p, age]
    oldest_first = total[:, ::-1]
    before = np.cumsum(oldest_first, axis=1) - oldest_first
    take = np.clip(slots[:, None] - before, 0, oldest_first)[:, ::-1]  # [p, age]
    served = np.where((take == total)[:, :, None, None], backlog, 0)
    # at most one day a practice is partly served: which of its requests, drawn cell by cell
    partial = (take > 0) & (take < total)
    age = partial.argmax(axis=1)
    rows = np.arange(P)
    cells = np.where(partial.any(axis=1)[:, None], backlog[rows, age].reshape(P, -1), 0)
    need = np.where(partial.any(axis=1), take[rows, age], 0)
    left = cells.sum(axis=1)
    drawn = np.zeros_like(cells)
    for c in range(cells.shape[1]):
        left = left - cells[:, c]
        drawn[:, c] = rng.hypergeometric(cells[:, c], left, need)
        need = need - drawn[:, c]
    served[rows, age] += drawn.reshape(P, 2, K)
    return served


def general_practice(n, slots, hub_per_day, rng, out):
    """The working days; returns the GP-origin A&E arrivals per calendar day [day, p, k]."""
    backlog = np.zeros((P, ROUTINE + 1, 2, K), dtype=np.int64)
    ages = np.arange(ROUTINE + 1)[None, :, None, None]
    to_hub = np.zeros((HORIZON + 1, P, K), dtype=np.int64)
    to_ae = np.zeros((HORIZON + 1, P, K), dtype=np.int64)
    mean = n * GP_RATE * 7 / (5 * 365)
    episodes = 0
    for w in range(WORKING_DAYS):
        day = 7 * (w // 5) + w % 5
        m = month_of(day)
        backlog[:, 1:] = backlog[:, :-1].copy()
        new = rng.poisson(mean)
        same = rng.binomial(new, 0.4)
        backlog[:, 0, 0], backlog[:, 0, 1] = same, new - same
        episodes += int(new.sum())
        served = serve(backlog, slots, rng)
        backlog -= served
        leavers = backlog[:, SAME_DAY, 0] + backlog[:, ROUTINE, 1]
        backlog[:, SAME_DAY, 0] = backlog[:, ROUTINE, 1] = 0
        hub = rng.binomial(leavers, 0.5)
        to_hub[day + 1], to_ae[day + 1] = hub, leavers - hub
        if m >= 0:
            out["gp_requests"][m] += new
            out["gp_appointments"][m] += served.sum(axis=(1, 2))
            out["gp_wait_days_sum"][m] += (served * ages).sum(axis=(1, 2))
            out["gp_overflow_hub"][m] += hub
            out["gp_overflow_ae"][m] += leavers - hub
    for day in range(HORIZON):  # the hub: up to H of yesterday's referrals, chosen at random
        referred = to_hub[day]
        seen = referred
        if referred.sum() > hub_per_day:
            who = np.repeat(np.arange(P * K), referred.ravel())
            chosen = rng.choice(len(who), hub_per_day, replace=False)
            seen = np.bincount(who[chosen], minlength=P * K).reshape(P, K)
        to_ae[day] += referred - seen
        if month_of(day) >= 0:
            out["hub_appointments"][month_of(day)] += seen
            out["hub_overflow_ae"][month_of(day)] += referred - seen
    return to_ae[:HORIZON], episodes


def arrivals(n, gp_origin, rng):
    """Every A&E arrival of the horizon: times (days), practice and cohort, sorted by time."""
    counts = rng.poisson(n * AE_RATE / 365 * HORIZON)
    cell = np.repeat(np.arange(P * K), counts.ravel())
    times = rng.random(len(cell)) * HORIZON
    day, gp_cell = np.nonzero(gp_origin.reshape(HORIZON, P * K))
    repeats = gp_origin.reshape(HORIZON, P * K)[day, gp_cell]
    gp_day = np.repeat(day, repeats)
    gp_times = gp_day + (8 + 14 * rng.random(len(gp_day))) / 24
    times = np.concatenate([times, gp_times])
    cell = np.concatenate([cell, np.repeat(gp_cell, repeats)])
    order = np.argsort(times, kind="stable")
    return times[order], cell[order] // K, cell[order] % K


def emergency(times, cohort, cubicles, beds, rng):  # long: one event loop, as a modeller writes
    """Cubicles, beds and boarding, event by event: (treated, departed, bed start, stay)."""
    count = len(times)
    treat = rng.lognormal(TREAT_MU, TREAT_SIGMA, count) / 24
    admit = (rng.random(count) < ADMIT[cohort]).tolist()
    stay = rng.lognormal(STAY_MU, STAY_SIGMA, count)
    treated, departed, bed = (np.full(count, np.nan) for _ in range(3))
    arrive, treat_l, stay_l = times.tolist(), treat.tolist(), stay.tolist()
    events, waiting, boarding = [], deque(), deque()
    free_cubicles, free_beds, sequence, i = cubicles, beds, 0, 0
    while True:
        t_arrival = arrive[i] if i < count else math.inf
        t_event = events[0][0] if events else math.inf
        now = min(t_arrival, t_event)
        if now >= HORIZON:
            break
        freed = False  # a cubicle freed at ``now``
        if t_arrival <= t_event:
            if free_cubicles:
                free_cubicles -= 1
                treated[i] = now
                sequence += 1
                heapq.heappush(events, (now + treat_l[i], sequence, 0, i))
            else:
                waiting.append(i)
            i += 1
            continue
        _, _, kind, j = heapq.heappop(events)
        if kind == 0 and not admit[j]:
            departed[j], freed = now, True
        elif kind == 0 and not free_beds:
            boarding.append(j)
        else:
            if kind == 0:
                free_beds -= 1
            elif boarding:
                j = boarding.popleft()
            else:
                free_beds += 1
                continue
            departed[j] = bed[j] = now
            sequence += 1
            heapq.heappush(events, (now + stay_l[j], sequence, 1, j))
            freed = True
        if freed and waiting:
            k = waiting.popleft()
            treated[k] = now
            sequence += 1
            heapq.heappush(events, (now + treat_l[k], sequence, 0, k))
        elif freed:
            free_cubicles += 1
    return treated, departed, bed, stay


def acute(times, practice, cohort, cubicles, beds, rng, out):
    """A&E and beds for the horizon, counted into ``out`` (by arrival or bed-start month)."""
    treated, departed, bed, stay = emergency(times, cohort, cubicles, beds, rng)
    m = np.where((times >= WARMUP) & (times < HORIZON), (np.floor(times) - WARMUP) * 12 // 365, -1)
    m = m.astype(np.int64)
    seen = m >= 0
    np.add.at(out["ae_attendances"], (m[seen], practice[seen], cohort[seen]), 1)
    gone = seen & ~np.isnan(departed)
    hours = (departed[gone] - times[gone]) * 24
    out["ae_departures"] += np.bincount(m[gone], minlength=12)
    out["ae_time_hours_sum"] += np.bincount(m[gone], hours, minlength=12)
    waits = (treated[gone] - times[gone]) * 24
    out["ae_cubicle_wait_hours_sum"] += np.bincount(m[gone], waits, minlength=12)
    out["ae_4h_breaches"] += np.bincount(m[gone], hours > 4, minlength=12)
    took = ~np.isnan(bed)
    start, end = bed[took], bed[took] + stay[took]
    b = np.where(start >= WARMUP, (np.floor(start) - WARMUP) * 12 // 365, -1).astype(np.int64)
    np.add.at(
        out["emergency_admissions"], (b[b >= 0], practice[took][b >= 0], cohort[took][b >= 0]), 1
    )
    overlap = np.minimum(end[:, None], BOUNDS[None, 1:]) - np.maximum(
        start[:, None], BOUNDS[None, :-1]
    )
    out["bed_days"] += np.maximum(overlap, 0).sum(axis=0)


def run(population: int, seed: int):
    """One replication: ``(outputs, patient episodes)``, outputs as the SimPy peer's."""
    rng = np.random.default_rng(seed)
    n, slots, hub_per_day, cubicles, beds = economy(population)
    out = {name: np.zeros((12, P, K)) for name in PK_NAMES}
    out.update({name: np.zeros(12) for name in ("ae_4h_breaches", "ae_departures")})
    out.update({name: np.zeros(12) for name in ("ae_time_hours_sum", "ae_cubicle_wait_hours_sum")})
    out["bed_days"] = np.zeros(12)
    gp_origin, episodes = general_practice(n, slots, hub_per_day, rng, out)
    times, practice, cohort = arrivals(n, gp_origin, rng)
    acute(times, practice, cohort, cubicles, beds, rng, out)
    return out, episodes + len(times)


def main() -> None:
    """Run the replications and save each one's outputs as ``OUT/r<seed>.npz``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--population", type=int, default=250_000)
    parser.add_argument("--replications", type=int, default=1)
    parser.add_argument("--seeds", type=int, nargs="+")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    seeds = args.seeds or list(range(1, args.replications + 1))
    for seed in seeds:
        began = time.perf_counter()
        outputs, episodes = run(args.population, seed)
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            np.savez(args.out / f"r{seed:04d}.npz", **outputs)
        else:
            seconds = time.perf_counter() - began
            print(f"seed {seed}: {seconds:.2f} s, {episodes:,} episodes")


if __name__ == "__main__":
    main()
