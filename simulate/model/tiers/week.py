"""When in the week A&E's arrivals come: the mean field's 168 hours, stream by stream.

The cubicles' queue depends on the hours arrivals come in, so the mean field places each of the
event trust's streams as :mod:`simulate.model.tiers.arrivals` draws it:

- **background** arrivals by the weekday profile over the month's days and the hour profile
  (``acute.arrival_share_by_weekday`` and ``arrival_share_by_hour``, uniform without them);
- arrivals **sent on by general practice or the hub** uniformly within
  ``acute.gp_arrival_window_hours`` of the day they were sent;
- **out-of-hours** arrivals uniformly from 18:30 to midnight on a working day, 08:00-22:00 on any
  other;
- less those an **urgent treatment centre** sees, in its hours (:mod:`simulate.model.tiers.utc`).

The published profile of all arrivals is what these make together only at the routed volumes the
background profile was derived at (``tests/derive_ae_background_profile.py``); where fewer are
routed (more same-day access, say) the week is the background's, as the event trust's is.
:func:`closed_shares` counts, from the same hours, the attendances that come while practices are
closed.
"""

from __future__ import annotations

import numpy as np

from simulate.model.tiers.utc import taken_by_day_and_hour


def within(opens: float, closes: float) -> np.ndarray:
    """Share of a uniform arrival time in ``[opens, closes)`` (hours) in each clock hour."""
    start = np.arange(24)
    overlap = np.clip(np.minimum(start + 1, closes) - np.maximum(start, opens), 0.0, 1.0)
    return overlap / (closes - opens)


def hours_of_week(month, clock, background, sent, late, minor, at_utc) -> tuple:
    """Each trust's expected arrivals in each hour of the week over the month, and how often.

    ``background`` [trust] are the month's expected background arrivals; ``sent`` and ``late``
    [day, trust] each day's sent on by general practice and out of hours; ``minor`` and ``at_utc``
    [trust] the minor arrivals and those the centre sees. Returns ``(arrivals [trust, 168],
    occurrences [168])``: how many of the month's hours fall on each hour of the week.
    """
    acute, first, end = month.spec.acute, month.first, month.end
    weekday, working = clock.weekday[first:end], clock.is_working_day[first:end]
    by_day = np.ones(end - first)
    if acute.arrival_share_by_weekday is not None:
        by_day = np.asarray(acute.arrival_share_by_weekday, dtype=float)[weekday]
    hours = acute.arrival_share_by_hour
    hours = np.full(24, 1 / 24) if hours is None else np.asarray(hours, dtype=float)
    shape = np.outer(by_day / by_day.sum(), hours / hours.sum())  # [day, hour]
    cells = np.asarray(background, dtype=float)[:, None, None] * shape[None]
    cells = cells + sent.T[:, :, None] * within(*acute.gp_arrival_window_hours)
    late_hours = np.where(working[:, None], within(18.5, 24.0), within(8.0, 22.0))
    cells = cells + late.T[:, :, None] * late_hours[None]
    taken = taken_by_day_and_hour(minor, month, clock)
    if taken is not None and taken.sum() > 0:
        cells = cells - np.asarray(at_utc, dtype=float)[:, None, None] * (taken / taken.sum())
    slot = (weekday[:, None] * 24 + np.arange(24)).ravel()
    arrivals = np.array([np.bincount(slot, c.ravel(), minlength=168) for c in cells])
    return np.maximum(arrivals, 0.0), np.bincount(slot, minlength=168)


def closed_shares(month, clock, sent_to_ae, sent_ooh) -> np.ndarray:
    """Expected A&E attendances [practice, cohort] arriving while practices are closed.

    Background arrivals by the weekday and hour profiles (closed: not a working day, or before
    08:00 or from 18:30); those sent by general practice in their window (08:00-22:00, closed
    after 18:30 on a working day); out-of-hours need, always.
    """
    acute, first, end = month.spec.acute, month.first, month.end
    working = clock.is_working_day[first:end]
    hours = (
        np.full(24, 1 / 24) if acute.arrival_share_by_hour is None else acute.arrival_share_by_hour
    )
    hours = np.asarray(hours, dtype=float)
    after = hours[:8].sum() + hours[19:].sum() + hours[18] / 2  # shut hours of a working day
    day = np.ones(end - first)
    if acute.arrival_share_by_weekday is not None:
        day = np.asarray(acute.arrival_share_by_weekday)[clock.weekday[first:end]]
    day = day / day.sum()
    shut = float(np.sum(day * np.where(working, after, 1.0)))
    background = month.demand.ae_attendances * (1 - acute.after_failed_primary_care_share)
    opens, closes = acute.gp_arrival_window_hours
    late = max(0.0, closes - max(opens, 18.5)) / (closes - opens)
    from_gp = np.einsum("d,dpk->pk", np.where(working, late, 1.0), sent_to_ae)
    return background * month.days * shut + from_gp + sent_ooh.sum(axis=0)
