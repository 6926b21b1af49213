"""A month's A&E arrivals, drawn in bulk: when each comes, from where, and what will happen to it.

Two streams of arrivals reach A&E. *Background* arrivals (not sent by general practice) are
Poisson in continuous time per practice × cohort. Arrivals *from general practice* (past their
tolerance, or not seen at the hub) come on the day they were sent, uniformly within the hours
A&E receives them. Each arrival is then given an age band (from the practice × cohort's mix of
who makes that kind of demand), whether it is minor, whether it will be admitted, its treatment
time, its length of stay and any step-down stay, all before it enters the event loop.
"""

from __future__ import annotations

import numpy as np

from simulate.model.rates import draw_age
from simulate.model.tiers.acute import HOURS, Arrivals


def background(rate: np.ndarray, first: int, end: int, streams, acute=None, weekday=None):
    """A&E arrivals not from general practice: Poisson counts per practice × cohort, then times.

    With no profile the times are uniform over the month (a Poisson process in continuous time);
    with ``acute.arrival_share_by_weekday`` and ``arrival_share_by_hour`` each arrival's day is
    drawn by its weekday's share (``weekday`` [day] of the month's days) and its hour by the
    hour's share, uniform within the hour.
    """
    counts = streams["ae.background.count"].poisson(rate * (end - first))
    practice, cohort = np.nonzero(counts)
    n = counts[practice, cohort]
    practice, cohort = np.repeat(practice, n), np.repeat(cohort, n)
    rng = streams["ae.background.time"]
    if acute is None or (
        acute.arrival_share_by_hour is None and acute.arrival_share_by_weekday is None
    ):
        times = first + rng.random(len(practice)) * (end - first)
    else:
        times = first + _profiled_times(len(practice), end - first, acute, weekday, rng)
    order = np.argsort(times, kind="stable")
    return times[order], practice[order], cohort[order]


def _profiled_times(n: int, days: int, acute, weekday, rng) -> np.ndarray:
    """``n`` arrival times (days from the month's start) by the weekday and hour profiles."""
    by_day = np.ones(days)
    if acute.arrival_share_by_weekday is not None:
        by_day = np.asarray(acute.arrival_share_by_weekday)[weekday]
    day = rng.choice(days, size=n, p=by_day / by_day.sum())
    hours = (
        np.full(24, 1 / 24) if acute.arrival_share_by_hour is None else acute.arrival_share_by_hour
    )
    hour = rng.choice(24, size=n, p=np.asarray(hours) / np.sum(hours))
    return day + (hour + rng.random(n)) / 24.0


def from_out_of_hours(counts: np.ndarray, first: int, working: np.ndarray, streams) -> tuple:
    """A&E arrivals of out-of-hours need: after 18:30 on a working day, 08:00-22:00 on others."""
    day, practice, cohort = np.nonzero(counts)
    n = counts[day, practice, cohort]
    day, practice, cohort = np.repeat(day, n), np.repeat(practice, n), np.repeat(cohort, n)
    opens = np.where(working[day], 18.5, 8.0)
    closes = np.where(working[day], 24.0, 22.0)
    hours = opens + streams["ae.ooh.time"].random(len(day)) * (closes - opens)
    times = first + day + hours / 24.0
    order = np.argsort(times, kind="stable")
    return times[order], practice[order], cohort[order]


def from_general_practice(counts: np.ndarray, first: int, spec, streams) -> tuple:
    """A&E arrivals sent on by general practice or the hub: uniform within the day's window."""
    day, practice, cohort = np.nonzero(counts)
    n = counts[day, practice, cohort]
    day, practice, cohort = np.repeat(day, n), np.repeat(practice, n), np.repeat(cohort, n)
    opens, closes = spec.gp_arrival_window_hours
    hours = opens + streams["ae.gp_origin.time"].random(len(day)) * (closes - opens)
    times = first + day + hours / 24.0
    order = np.argsort(times, kind="stable")
    return times[order], practice[order], cohort[order]


def patients(when: tuple, weights, minor_share, month, rng: np.random.Generator) -> Arrivals:
    """Arrivals ``(times, practice, cohort)`` with age, acuity and what will happen to each.

    ``minor_share`` is the chance an arrival is minor (None: by age band, as for self-referrals);
    the levers' effects, where there are any, act on the chance of admission and on the stay.
    """
    times, practice, cohort = when
    acute, rates, fx = month.spec.acute, month.rates, month.effects
    n = len(times)
    age = draw_age(weights, practice, cohort, rng)
    chance = rates.minor_share[age] if minor_share is None else np.full(n, minor_share)
    minor = rng.random(n) < chance
    admit = rates.admit_if_not_minor[age, cohort] * fx.admissions[practice, cohort]
    admit = np.minimum(admit, 1.0)  # an intervention's multiplier never makes it above 1
    admitted = ~minor & (rng.random(n) < admit)
    treatment = acute.treatment_hours.sample(rng, n) * HOURS
    stay = acute.length_of_stay_days.sample(rng, n) * rates.stay_ratio[age, cohort]
    stay = stay * fx.length_of_stay[practice, cohort]
    needs = admitted & (rng.random(n) < np.asarray(acute.stepdown_share_by_age)[age])
    stepdown = np.where(needs, acute.stepdown_stay_days.sample(rng, n), 0.0)
    return Arrivals(times, practice, cohort, treatment, admitted, stay, age, minor, stepdown)


def of_month(month, sent_to_ae: np.ndarray, sent_ooh, streams, collector) -> Arrivals:
    """Every A&E arrival of ``month``: background, ``sent_to_ae`` and ``sent_ooh`` [day, p, k].

    ``sent_to_ae`` are sent by the practices and the full hub in opening hours, ``sent_ooh``
    come from need that arose while practices were closed.
    """
    demand, fx, first, end = month.demand, month.effects, month.first, month.end
    # the published rate less the share that arrives from primary-care need, which the tiers
    # route themselves (past tolerance, hub full, out of hours) and send in ``sent_to_ae``
    rate = demand.ae_attendances * (1 - month.spec.acute.after_failed_primary_care_share)
    rate = rate * fx.ae_attendances
    clock = collector.clock
    walk_in = background(rate, first, end, streams, month.spec.acute, clock.weekday[first:end])
    walk_in = patients(
        walk_in, demand.ae_age_weights, None, month, streams["ae.background.patient"]
    )
    collector.ledger["ae_background"] += len(walk_in.times)
    sent = from_general_practice(sent_to_ae, first, month.spec.acute, streams)
    minor = month.spec.acute.gp_origin_minor_share
    sent = patients(sent, demand.gp_age_weights, minor, month, streams["ae.gp_origin.patient"])
    late = from_out_of_hours(sent_ooh, first, clock.is_working_day[first:end], streams)
    late = patients(late, demand.gp_age_weights, minor, month, streams["ae.ooh.patient"])
    return Arrivals.merge(walk_in, sent, late)
