"""The mean field's queues from theory: A&E cubicles, beds, step-down beds and the hub's slots.

A&E's cubicle queue is M/M/c (Erlang C) or, with patience, M/M/c+M (Erlang A), at each hour's
modified offered load (:meth:`~simulate.model.tiers.cubicles.Cubicles.times`).

The fluid trust's occupancy is that of infinite beds (M/G/∞): the expected number of patients
who would be in a bed if there were always one, which queueing theory calls the *modified offered
load* of a time-varying many-server queue (Jennings, Mandelbaum, Massey & Whitt, Management
Science 1996). The number of patients in beds with unlimited beds is Poisson at that mean (M/G/∞
with Poisson admissions, at any length-of-stay distribution), so with ``c`` beds:

- **boarding** (``when_no_bed = "board"``): a wait for a bed of hours against stays of days, so
  the patients waiting are those the infinite-bed system holds beyond the beds,
  ``E[(X - c)+]`` for ``X`` Poisson at the day's load: the *offered-load* (infinite-server)
  approximation of a many-server queue whose waits are short beside its service times (Whitt,
  "Offered load analysis for staffing", MSOM 2013; Green, Kolesar & Whitt, POMS 2007). They
  wait in A&E cubicles, so no more than the cubicles can: ``E[min((X - c)+, K)]``.
- **diversion** (``"divert"``): the Erlang B share of admissions that find every bed full, exact
  for M/G/c/c at any length-of-stay distribution (Erlang B is insensitive to it).

Measured against the event trust alone (40 cubicles, 280 arrivals a day, 620 beds, the baseline's
treatment and stay; 36 months, two seeds), the overflow is a lower bound: at a load of 580, 590
and 600 beds it holds 0.5, 1.3 and 2.8 boarders where the event trust holds 0.6-0.9, 1.8-2.5 and
4.3-4.9 (waiting lengthens the occupancy beyond the infinite-bed one, and blocked cubicles feed
back). A stationary M/G/c (Erlang C with Allen-Cunneen) bed queue was tried first and held about
5, 8 and 22: far above, since with stays 50-100 times the waits the queue follows the
occupancy's slow swings rather than reaching its stationary law.

- **step-down beds**: patients fit to leave wait for one in their acute bed, for days against
  stays of weeks, so neither the overflow nor the stationary queue serves: the queue is followed
  in distribution, day by day (:class:`WaitingQueue`, M(t)/M/c by uniformization; its waiting
  scaled by the Allen-Cunneen factor of the step-down stay by the fluid trust).
- **the hub's slots**: a day's Poisson wanting fills ``E[min(X, slots)]`` (:func:`poisson_min`).
"""

from __future__ import annotations

import math

import numpy as np


def erlang_c(arrivals: float, service: float, servers: int) -> tuple[float, float]:
    """``(P(wait), mean wait)`` of M/M/c: ``arrivals`` per unit time, mean ``service`` time."""
    load = arrivals * service
    if load >= servers:
        return 1.0, math.inf
    term, total = 1.0, 1.0
    for k in range(1, servers):
        term *= load / k
        total += term
    last = term * load / servers / (1 - load / servers)
    p_wait = last / (total + last)
    return p_wait, p_wait * service / (servers - load)


def erlang_a(arrivals: float, service: float, servers: int, patience: float):
    """``(P(wait), mean wait of all arrivals, P(leave unseen))`` of M/M/c+M (Erlang A).

    The birth-death chain of patients in A&E, served at ``min(n, c) / service`` and leaving the
    queue at ``(n - c) / patience`` (Palm 1943; Garnett, Mandelbaum & Reiman 2002), summed in logs
    far enough into the queue that what is cut is negligible; stable at any load.
    """
    top = servers + int(20 * arrivals * patience + 200)
    n = np.arange(1, top + 1)
    deaths = np.minimum(n, servers) / service + np.maximum(n - servers, 0) / patience
    log_pi = np.concatenate([[0.0], np.cumsum(np.log(arrivals) - np.log(deaths))])
    pi = np.exp(log_pi - log_pi.max())
    pi /= pi.sum()
    queue = float(np.sum(np.maximum(np.arange(top + 1) - servers, 0) * pi))
    return float(pi[servers:].sum()), queue / arrivals, queue / patience / arrivals


def erlang_b(load: np.ndarray, servers: int) -> np.ndarray:
    """Blocking probability of M/G/c/c at each offered ``load`` (erlangs), ``servers`` = c.

    The stable recursion ``B(k) = a B(k-1) / (k + a B(k-1))``, vectorised over loads, so a trust
    of 600 beds at a load of 600 neither overflows nor loops per day.
    """
    load = np.asarray(load, dtype=float)
    b = np.ones_like(load)
    for k in range(1, int(servers) + 1):
        b = load * b / (k + load * b)
    return b


def boarders(load: np.ndarray, beds: int, room: int) -> np.ndarray:
    """Mean patients waiting for a bed, ``E[min((X - beds)+, room)]``, X Poisson at ``load``.

    ``sum_{j=1..room} P(X >= beds + j)``: each of the ``room`` cubicles past the beds is held
    while the occupancy reaches it.
    """
    from scipy import stats  # here: importing scipy.stats costs a run a second of start-up

    load = np.asarray(load, dtype=float)
    above = beds + np.arange(room)  # X > beds + j - 1, j = 1..room
    return stats.poisson.sf(above[None, :], load.reshape(-1, 1)).sum(axis=1).reshape(load.shape)


def poisson_min(mean: np.ndarray, slots: np.ndarray) -> np.ndarray:
    """``E[min(X, s)]`` for ``X`` Poisson at ``mean`` and ``s`` slots: how many a day's slots seat.

    For whole ``c``, ``E[min(X, c)] = E[X; X < c] + c P(X >= c) = mean F(c - 2) + c (1 - F(c - 1))``
    (``k P(X = k) = mean P(X = k - 1)``), ``F`` the Poisson distribution function. A fractional
    ``s`` is taken linearly between its whole neighbours: the event hub's whole slots are the
    floor and the ceiling of the expected ones in the shares that keep their mean.
    """
    from scipy.special import pdtr

    mean = np.asarray(mean, dtype=float)
    slots = np.maximum(np.asarray(slots, dtype=float), 0.0)

    def whole(c: np.ndarray) -> np.ndarray:
        below = np.where(c >= 2, pdtr(np.maximum(c - 2, 0), mean), 0.0)
        at_least = np.where(c >= 1, 1 - pdtr(np.maximum(c - 1, 0), mean), 0.0)
        return mean * below + c * at_least

    low = np.floor(slots)
    part = slots - low
    return (1 - part) * whole(low) + part * whole(low + 1)


class WaitingQueue:
    """``c`` servers whose customers all wait, in distribution, a day at a time: M(t)/M/c.

    The number in the system (served or waiting) is a birth-death chain, arrivals at the day's
    rate and service ending at ``min(n, c) / mean``, so its distribution follows each day exactly
    by uniformization (Grassmann, "Transient solutions in Markovian queueing systems", Computers
    & Operations Research 1977): with ``L`` the largest total rate and ``M = I + Q / L``,
    ``P(1) = sum_k Pois(k; L) P(0) M^k``, and the day's mean distribution is the same sum with
    weights ``P(Pois(L) > k) / L``. Unlike the overflow of a Poisson occupancy (:func:`boarders`)
    this keeps the queue's slow build-up: near full, with services of weeks, the waiting takes
    years to reach its stationary (Erlang C) level, and the overflow would stay far below it.
    The queue has no limit, as the event trust's has none: the chain's states double whenever
    the top quarter of them holds more than ``1e-12`` of the chance.
    """

    def __init__(self, servers: int, mean_service: float):
        self.servers, self.mean_service = servers, mean_service
        self.p = np.zeros(2 * servers + 64)
        self.p[0] = 1.0  # empty at the start, as the event trust's step-down beds are
        self._states()

    def _states(self) -> None:
        self.n = np.arange(len(self.p))
        self.deaths = np.minimum(self.n, self.servers) / self.mean_service

    def day(self, arrivals: float) -> tuple[float, float]:
        """``(mean waiting, mean served)`` over one day of Poisson ``arrivals`` a day."""
        while self.p[-len(self.p) // 4 :].sum() > 1e-12:
            self.p = np.concatenate([self.p, np.zeros(len(self.p))])
            self._states()
        births = np.full(len(self.n), max(arrivals, 0.0))
        births[-1] = 0.0
        rate = float(births.max() + self.deaths.max())
        if rate <= 0:
            return 0.0, 0.0
        up, down, stay = births / rate, self.deaths / rate, 1 - (births + self.deaths) / rate
        weight = math.exp(-rate)  # Pois(0; rate)
        beyond = 1.0 - weight  # P(Pois > 0)
        v, end, mean = self.p, weight * self.p, beyond / rate * self.p
        k = 0
        while beyond > 1e-13:
            k += 1
            step = v * stay
            step[1:] += v[:-1] * up[:-1]
            step[:-1] += v[1:] * down[1:]
            v = step
            weight *= rate / k
            beyond -= weight
            end = end + weight * v
            mean = mean + max(beyond, 0.0) / rate * v
        self.p = end / end.sum()
        waiting = float(mean @ np.maximum(self.n - self.servers, 0))
        return waiting, float(mean @ np.minimum(self.n, self.servers))
