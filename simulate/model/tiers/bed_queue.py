"""Waiting for a bed in the mean field: the overflow of the infinite-bed occupancy, day by day.

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

A stationary M/M/c (Erlang C) wait for beds was tried first and measured against the hybrid on
the default place: at 600 of 620 beds it held 15 or more boarders where the event trust holds
about one; with stays 50-100 times the waits, the queue follows the occupancy's slow swings,
which the overflow of the Poisson occupancy describes and a stationary M/M/c queue does not.
"""

from __future__ import annotations

import numpy as np
from scipy import stats


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
    load = np.asarray(load, dtype=float)
    above = beds + np.arange(room)  # X > beds + j - 1, j = 1..room
    return stats.poisson.sf(above[None, :], load.reshape(-1, 1)).sum(axis=1).reshape(load.shape)


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
