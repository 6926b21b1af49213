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


def background(rate: np.ndarray, first: int, end: int, streams) -> tuple:
    """A&E arrivals not from general practice: Poisson in continuous time, per practice × cohort."""
    counts = streams["ae.background.count"].poisson(rate * (end - first))
    practice, cohort = np.nonzero(counts)
    n = counts[practice, cohort]
    practice, cohort = np.repeat(practice, n), np.repeat(cohort, n)
    times = first + streams["ae.background.time"].random(len(practice)) * (end - first)
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


def of_month(month, sent_to_ae: np.ndarray, streams, collector) -> Arrivals:
    """Every A&E arrival of ``month``: background ones and those ``sent_to_ae`` [day, p, k]."""
    demand, fx, first, end = month.demand, month.effects, month.first, month.end
    # the published rate less the share that arrives from primary-care need, which the tiers
    # route themselves (past tolerance, hub full, out of hours) and send in ``sent_to_ae``
    rate = demand.ae_attendances * (1 - month.spec.acute.after_failed_primary_care_share)
    rate = rate * fx.ae_attendances
    walk_in = background(rate, first, end, streams)
    walk_in = patients(
        walk_in, demand.ae_age_weights, None, month, streams["ae.background.patient"]
    )
    collector.ledger["ae_background"] += len(walk_in.times)
    sent = from_general_practice(sent_to_ae, first, month.spec.acute, streams)
    minor = month.spec.acute.gp_origin_minor_share
    sent = patients(sent, demand.gp_age_weights, minor, month, streams["ae.gp_origin.patient"])
    return Arrivals.merge(walk_in, sent)
