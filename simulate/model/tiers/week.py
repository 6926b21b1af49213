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


def day_and_hour_shares(month, clock, by_hour) -> np.ndarray:
    """Shares [day, hour] of a month's arrivals: the weekday profile, then ``by_hour`` in a day.

    ``acute.arrival_share_by_weekday`` over the month's days and the hourly shares, each uniform
    where not given; the event trust draws its background arrivals' times by the same profiles.
    """
    first, end = month.first, month.end
    by_day = np.ones(end - first)
    weekdays = month.spec.acute.arrival_share_by_weekday
    if weekdays is not None:
        by_day = np.asarray(weekdays, dtype=float)[clock.weekday[first:end]]
    hours = np.full(24, 1 / 24) if by_hour is None else np.asarray(by_hour, dtype=float)
    return np.outer(by_day / by_day.sum(), hours / hours.sum())


def within(opens: float, closes: float) -> np.ndarray:
    """Share of a uniform arrival time in ``[opens, closes)`` (hours) in each clock hour."""
    start = np.arange(24)
    overlap = np.clip(np.minimum(start + 1, closes) - np.maximum(start, opens), 0.0, 1.0)
    return overlap / (closes - opens)


def hours_of_week(month, clock, background, sent, late, at_utc, taken) -> tuple:
    """Each trust's expected arrivals in each hour of the week over the month, and how often.

    ``background`` [trust] are the month's expected background arrivals; ``sent`` and ``late``
    [day, trust] each day's sent on by general practice and out of hours; ``at_utc`` [trust]
    those the urgent treatment centre sees, by its shares [day, hour] ``taken`` (None: none).
    Returns ``(arrivals [trust, 168], occurrences [168])``: how many of the month's hours fall
    on each hour of the week.
    """
    acute, first, end = month.spec.acute, month.first, month.end
    weekday, working = clock.weekday[first:end], clock.is_working_day[first:end]
    shape = day_and_hour_shares(month, clock, acute.arrival_share_by_hour)
    cells = np.asarray(background, dtype=float)[:, None, None] * shape[None]
    cells = cells + sent.T[:, :, None] * within(*acute.gp_arrival_window_hours)
    late_hours = np.where(working[:, None], within(18.5, 24.0), within(8.0, 22.0))
    cells = cells + late.T[:, :, None] * late_hours[None]
    if taken is not None and taken.sum() > 0:
        cells = cells - np.asarray(at_utc, dtype=float)[:, None, None] * (taken / taken.sum())
    slot = (weekday[:, None] * 24 + np.arange(24)).ravel()
    arrivals = np.array([np.bincount(slot, c.ravel(), minlength=168) for c in cells])
    return np.maximum(arrivals, 0.0), np.bincount(slot, minlength=168)


def closed_shares(month, clock, background, sent_to_ae, sent_ooh) -> np.ndarray:
    """Expected A&E attendances [practice, cohort] arriving while practices are closed.

    The month's ``background`` arrivals [practice, cohort] by the weekday and hour profiles
    (closed: not a working day, or before 08:00 or from 18:30); those sent by general practice
    in their window (08:00-22:00, closed after 18:30 on a working day); out-of-hours need, always.
    """
    acute, first, end = month.spec.acute, month.first, month.end
    working = clock.is_working_day[first:end]
    shut_hours = np.zeros(24)
    shut_hours[:8], shut_hours[18], shut_hours[19:] = 1.0, 0.5, 1.0  # of a working day
    shut_cells = np.where(working[:, None], shut_hours[None, :], 1.0)
    shares = day_and_hour_shares(month, clock, acute.arrival_share_by_hour)
    shut = float((shares * shut_cells).sum())
    opens, closes = acute.gp_arrival_window_hours
    late = max(0.0, closes - max(opens, 18.5)) / (closes - opens)
    from_gp = np.einsum("d,dpk->pk", np.where(working, late, 1.0), sent_to_ae)
    return background * shut + from_gp + sent_ooh.sum(axis=0)
