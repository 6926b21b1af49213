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
3. **Months correlated.** Two censuses ``t`` days apart share the patients who stay through
   both, covariance ``lambda * int_t^inf P(S > u) du``, correlation that over ``E[S]``: the
   stay's excess over its mean (the trust's :attr:`~simulate.model.tiers.fluid_trust.FluidAcute.
   census_correlation`, over its mix of stays). The default's lognormal stay (mean 7.9 days, sd
   11.2) correlates month-ends 30 days apart by 0.09 and 60 apart by 0.03; taking the months as
   independent would understate the smoothed variance by 16%.
4. **Smoothing.** ``P_t = (1 - s) P_{t-1} + s X_t`` from ``P_0 = X_0`` (the first month's report
   taken whole) is ``sum_i w_i X_i`` with ``w_i = s (1 - s)^(t - i)``, so its variance is
   ``sum_ij w_i w_j sigma_i sigma_j rho(|i - j|)`` (:class:`Perception`); with independent
   months at a steady ``sigma`` it tends to ``s / (2 - s) * sigma**2`` (0.165 at three months'
   perception, s = 0.283).
5. **The expected gap.** ``gap = beds / trigger * (P - k)+`` with ``k = trigger * (beds +
   in_transit) / beds``; for ``P`` normal ``E[(P - k)+] = (mu - k) Phi(d) + sd phi(d)``,
   ``d = (mu - k) / sd`` (the normal partial expectation, :func:`partial_expectation`).

With a variance of 0 (the hybrid reports a realised count) the rule is the deterministic one.
"""

from __future__ import annotations

import math

import numpy as np

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


class Perception:
    """The variance of the smoothed occupancy over the months' census noise, months correlated.

    Keeps each past report's weight in the smoothed value and its standard deviation, as far
    back as a weight matters (``(1 - s)^KEEP``: under 1e-9 at three months' perception).
    """

    KEEP = 72

    def __init__(self, smoothing: float):
        self.smoothing = smoothing
        self.weights = np.zeros(0)
        self.sds = np.zeros(0)

    def report(self, variance: float, correlation=()) -> float:
        """The smoothed value's variance after one more report of ``variance``.

        ``correlation[k]`` is the correlation of reports ``k + 1`` months apart (none: 0).
        """
        first = not len(self.weights)
        self.weights = np.append(
            self.weights * (1 - self.smoothing), 1.0 if first else self.smoothing
        )
        self.sds = np.append(self.sds, math.sqrt(max(variance, 0.0)))
        self.weights, self.sds = self.weights[-self.KEEP :], self.sds[-self.KEEP :]
        scaled = self.weights * self.sds
        total = float(scaled @ scaled)
        for lag, rho in enumerate(correlation[: len(scaled) - 1], start=1):
            total += 2.0 * rho * float(scaled[:-lag] @ scaled[lag:])
        return total


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
