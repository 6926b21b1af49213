"""The mean field's queues from theory: A&E cubicles (Erlang C and A) and beds (the overflow).

A&E's cubicle queue is M/M/c (Erlang C) or, with patience, M/M/c+M (Erlang A), at each hour's
modified offered load (:meth:`~simulate.model.tiers.fluid_trust.FluidAcute._ae_times`).

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


def delayed_transfers(occupancy: np.ndarray, stepdown_beds: int, beds: int) -> np.ndarray:
    """Patients fit to leave who wait in an acute bed for a step-down bed, [day, ...] as given.

    ``occupancy`` [day, practice, cohort] is the infinite step-down beds' occupancy; those beyond
    the ``stepdown_beds`` (the same overflow as :func:`boarders`, at most the acute ``beds``)
    stay in their acute bed, shared out as the day's step-down occupancy is. No step-down beds:
    the event trust sends them on (nobody waits).
    """
    total = occupancy.sum(axis=tuple(range(1, occupancy.ndim)))
    if stepdown_beds <= 0:
        return np.zeros_like(occupancy)
    waiting = boarders(total, stepdown_beds, beds)
    share = np.divide(waiting, total, out=np.zeros_like(total), where=total > 0)
    return occupancy * share.reshape((-1,) + (1,) * (occupancy.ndim - 1))
