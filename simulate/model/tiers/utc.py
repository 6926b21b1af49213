"""An urgent treatment centre (UTC) in front of A&E: minor arrivals streamed at the front door.

While the centre is open (``utc.opening_hours``, every day), a streaming nurse at the front door
sends each minor arrival (self-referred, to be discharged; whichever stream it came by: walk-in,
sent on by general practice or the hub, out-of-hours need directly or through NHS 111) to the
centre with chance ``utc.streaming_share``: the share of minor arrivals streaming recognises and
the centre accepts. The centre sees ``clinicians × 60 / minutes_per_case`` cases in each hour it
is open; those streamed beyond the hour's cases, the non-minor and everyone who arrives while it
is shut are A&E attendances, and queue for a cubicle. Nothing here states what the centre does to
A&E waits: that follows from the cubicle time the streamed patients no longer take.

The event implementation streams whole patients (:func:`stream`); the fluid one expected numbers
by the hour-of-day profile of all A&E arrivals (``access.need_share_by_hour``) and the weekday
profile of the background's (:func:`expected`), where an hour whose candidates exceed its cases
sees ``cases / candidates`` of them: minor arrivals are spread as all arrivals are, an
approximation (the routed streams come in the evening and at weekends, so the event centre sees
fewer than the mean field when it closes at 20:00).
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np

from simulate.model.tiers.acute import Arrivals
from simulate.model.tiers.week import day_and_hour_shares


def _hours_open(utc, hour: np.ndarray) -> np.ndarray:
    """Share of each clock hour ``hour`` (0 .. 23, starting on the hour) the centre is open."""
    opens, closes = utc.opening_hours
    return np.clip(np.minimum(hour + 1, closes) - np.maximum(hour, opens), 0.0, 1.0)


def stream(arrivals: Arrivals, utc, rng: np.random.Generator) -> np.ndarray:
    """Which of a month's ``arrivals`` (sorted by time) the centre sees: a boolean mask.

    Candidates are minor arrivals in opening hours that streaming sends (chance
    ``streaming_share``); within each clock hour they are seen first come first served up to the
    hour's cases (``cases_per_hour`` × the share of the hour open, rounded at random to whole
    cases so that none is lost on average).
    """
    n = len(arrivals.times)
    seen = np.zeros(n, dtype=bool)
    if utc.cases_per_hour <= 0 or utc.streaming_share <= 0 or n == 0:
        return seen
    absolute = np.floor(arrivals.times * 24.0).astype(np.int64)  # hours since day 0
    hour = absolute % 24
    candidate = arrivals.minor & (_hours_open(utc, hour) > 0)
    candidate &= rng.random(n) < utc.streaming_share
    index = np.flatnonzero(candidate)
    if not len(index):
        return seen
    slot = absolute[index]  # non-decreasing: the arrivals are in time order
    rank = np.arange(len(index)) - np.searchsorted(slot, slot, side="left")
    hours, first = np.unique(slot, return_index=True)
    cases = utc.cases_per_hour * _hours_open(utc, hours % 24)
    whole = np.floor(cases + rng.random(len(hours))).astype(np.int64)
    capacity = np.repeat(whole, np.diff(np.append(first, len(index))))
    seen[index[rank < capacity]] = True
    return seen


def without(arrivals: Arrivals, seen: np.ndarray) -> Arrivals:
    """The arrivals the centre did not see (still in time order)."""
    keep = ~seen
    return Arrivals(**{f.name: getattr(arrivals, f.name)[keep] for f in fields(Arrivals)})


def expected(minor: np.ndarray, month, clock, taken=None) -> tuple[np.ndarray, np.ndarray]:
    """Expected attendances [practice, cohort] at the centre of ``minor`` expected arrivals.

    Minor arrivals are spread over the month's days and hours by the A&E weekday and hour
    profiles; in each (day, hour) the centre sees ``streaming_share`` of them up to its cases.
    Returns those seen, and those of them seen while practices are shut (before 08:00, from
    18:30, or on a day they are closed). ``taken``: :func:`taken_by_day_and_hour`, if known.
    """
    if taken is None:
        taken = taken_by_day_and_hour(minor, month, clock)
    if taken is None:
        zero = np.zeros_like(minor)
        return zero, zero
    first, end = month.first, month.end
    hours = np.arange(24)
    working = clock.is_working_day[first:end, None]
    shut = ~working | (hours[None, :] < 8) | (hours[None, :] >= 19)
    shut = shut + working * (hours[None, :] == 18) * 0.5  # 18:30-19:00 of a working day
    return minor * taken.sum(), minor * float((taken * np.minimum(shut, 1)).sum())


def taken_by_day_and_hour(minor: np.ndarray, month, clock) -> np.ndarray | None:
    """Share of ``minor`` expected arrivals the centre sees in each [day, hour] of the month.

    None when the centre sees nobody (shut, no streaming, or no minor arrivals).
    """
    utc = month.spec.utc
    if utc.cases_per_hour <= 0 or utc.streaming_share <= 0 or not minor.any():
        return None
    hours = np.arange(24)
    # [day, hour] of the month's arrivals, at all arrivals' hours as published
    share = day_and_hour_shares(month, clock, month.spec.access.need_share_by_hour)
    wanting = float(minor.sum()) * share * utc.streaming_share * (_hours_open(utc, hours) > 0)
    cases = utc.cases_per_hour * _hours_open(utc, hours)[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        seen_share = np.where(wanting > 0, np.minimum(wanting, cases) / wanting, 0.0)
    return share * utc.streaming_share * (_hours_open(utc, hours) > 0) * seen_share
