"""The mean field's bed-investment decision: the expected decision, not the decision at the mean.

The bed-investment rule (:meth:`EconomyStocks.month`) is a threshold: the business case is for
``gap = (beds * P / trigger - beds - in_transit)+`` beds, ``P`` the perceived occupancy. The
hybrid's ``P`` is noisy, so near the trigger some months pass it; the mean field's is the smooth
expectation, and ``(E[P] ... )+`` is zero for ever if ``E[P]`` stays under it, however close. A
convex rule at the mean is biased low (Jensen), so the mean field takes the *expected* gap under
a Gaussian closure, ``P ~ Normal(E[P], v)``, whose variance ``v`` comes from theory, not from
fitting the hybrid:

1. **What is reported.** Both trusts report the month-end census: the event trust the patients
   in a bed or boarding for one when its month's loop stops (:meth:`EventAcute.close`), the fluid
   trust the expected occupancy on the month's last day. Not the month's mean, so no averaging
   over the month shrinks its variance.
2. **Its variance.** With boarders counted the census is that of an uncapacitated M/G/inf bed
   stage: Poisson arrivals (Poisson admissions by practice and cohort) and independent stays
   make the number present Poisson, so its variance equals its mean ``m`` (the occupancy's
   ``m / beds**2``). Ignored: the queue's and delayed transfers' extra dependence. The hybrid
   bears it out: on the default place's decade its monthly mean occupancy varies between
   replications at 0.29-0.60 of its mean, against 0.43 for a Poisson census averaged over a
   month with the default stay.
3. **Months independent.** Two censuses ``t`` days apart share the patients who stay through
   both, covariance ``lambda * int_t^inf P(S > u) du``, correlation that over ``E[S]``; the
   default's lognormal stay (mean 7.9 days, sd 11.2) correlates month-ends 30 days apart by 0.09
   and 60 apart by 0.03, so the months' noise is taken as independent, which understates the
   smoothed variance by 16% (``tests/model/stocks/test_closure.py`` measures both).
4. **Smoothing.** ``P_t = (1 - s) P_{t-1} + s X_t`` with independent ``X_t`` of variance
   ``sigma_t**2`` has ``v_t = (1 - s)**2 v_{t-1} + s**2 sigma_t**2`` (:func:`smoothed_variance`),
   from ``v_0 = sigma_0**2`` (the first month's report is taken whole); at a steady ``sigma`` it
   tends to ``s / (2 - s) * sigma**2`` (0.165 at three months' perception, s = 0.283).
5. **The expected gap.** ``gap = beds / trigger * (P - k)+`` with ``k = trigger * (beds +
   in_transit) / beds``; for ``P`` normal ``E[(P - k)+] = (mu - k) Phi(d) + sd phi(d)``,
   ``d = (mu - k) / sd`` (the normal partial expectation, :func:`partial_expectation`).

With a variance of 0 (the hybrid reports a realised count) the rule is the deterministic one.
"""

from __future__ import annotations

import math

# the standard normal's cdf and pdf from the standard library: scipy.stats, imported here,
# cost every command 1.8 s of start-up (this module is imported by every run)
_ROOT_2 = math.sqrt(2.0)
_ROOT_2PI = math.sqrt(2.0 * math.pi)


def partial_expectation(mean: float, sd: float, k: float) -> float:
    """``E[(X - k)+]`` for ``X ~ Normal(mean, sd**2)`` (``(mean - k)+`` when ``sd`` is 0)."""
    if sd <= 0:
        return max(mean - k, 0.0)
    d = (mean - k) / sd
    cdf = 0.5 * math.erfc(-d / _ROOT_2)
    pdf = math.exp(-0.5 * d * d) / _ROOT_2PI
    return (mean - k) * cdf + sd * pdf


def smoothed_variance(previous: float, monthly: float, smoothing: float) -> float:
    """Variance of a first-order smoothing after one more independent report of ``monthly``."""
    return (1 - smoothing) ** 2 * previous + smoothing**2 * monthly


def expected_gap(beds: int, occupancy: float, variance: float, trigger: float, in_transit: float):
    """Expected beds short: ``E[(beds * P / trigger - beds - in_transit)+]``, ``P`` Gaussian.

    With no variance (a realised census) it is the rule itself, taken at ``occupancy``.
    """
    if variance <= 0:
        if occupancy <= trigger:
            return 0.0
        return max(0.0, beds * occupancy / trigger - beds - in_transit)
    k = trigger * (beds + in_transit) / max(beds, 1)
    return beds / trigger * partial_expectation(occupancy, math.sqrt(max(variance, 0.0)), k)
