"""How long an admission holds a bed, day by day: the mean field's occupancy kernels, exactly.

An admission on day 0 arrives, on average, half way through it, so it holds an acute bed on day
``j`` for the expected part of that day it is still in: the integral of the stay's survival over
``[j - 0.5, j + 0.5)`` days after admission. That is a difference of the stay's *excess*
``e(c) = E[(L - c)+]`` at the day's two ends, which every duration gives in closed form
(:meth:`~simulate.inputs.distributions.LogNormal.excess`), so the acute kernel is exact. A
step-down bed is held from ``L`` to ``L + D``; the excess of the sum is ``L``'s mass on a grid of
half an hour folded with ``D``'s excess, the one numerical step (midpoint rule, error O(h²): a
few parts in a million of a stay's mean).

These replace 50,000 draws from a fixed seed, which put the default baseline's mean stay 0.98%
short (and its mean treatment 0.72% short): a fixed sampling error in every mean-field run's bed
days, which a kernel's mean can now be tested against exactly.
"""

from __future__ import annotations

import numpy as np

KERNEL_DAYS = 400
"""Longest stay (days) the occupancy kernels follow; what is held beyond it is cut there."""
STEPS = 48
"""Grid steps a day for the step-down kernel's sum of two stays (half an hour each)."""


def _edges() -> np.ndarray:
    """Days since admission at which each kernel day starts and ends: 0, 0.5, 1.5, ..."""
    return np.concatenate([[0.0], np.arange(KERNEL_DAYS) + 0.5])


def scaled_excess(stay, ratios: np.ndarray, t: np.ndarray) -> np.ndarray:
    """``E[(r L - t)+]`` for ``L`` of the duration ``stay``: ``r e_L(t / r)``, ``(-t)+`` at r = 0.

    Each ratio ``r`` of ``ratios`` by each ``t``: shape ``ratios.shape + t.shape``.
    """
    r = np.asarray(ratios, dtype=float)[..., None]
    t = np.asarray(t, dtype=float)
    safe = np.where(r > 0, r, 1.0)
    return np.where(r > 0, safe * stay.excess(t / safe), np.maximum(-t, 0.0))


def scaled_survival(stay, ratios: np.ndarray, t: np.ndarray) -> np.ndarray:
    """``P(r L > t)`` for each ratio ``r`` of ``ratios`` by each ``t`` (0 where ``r`` is 0)."""
    r = np.asarray(ratios, dtype=float)[..., None]
    safe = np.where(r > 0, r, 1.0)
    return np.where(r > 0, stay.survival(np.asarray(t, dtype=float) / safe), 0.0)


def bed_kernels(stay, ratios: np.ndarray) -> np.ndarray:
    """Expected acute beds held on each day since admission, for stays ``r * L``, each ``r``.

    Each sums to its mean stay, ``r E[L]``, less what lies beyond :data:`KERNEL_DAYS`.
    """
    e = scaled_excess(stay, ratios, _edges())
    return e[..., :-1] - e[..., 1:]


def ending_kernels(stay, ratios: np.ndarray) -> np.ndarray:
    """The chance a stay ``r * L`` ends on each day since admission (admitted at 0.5 day).

    ``P(r L in [j - 0.5, j + 0.5))``, day 0 from 0: the day a patient needing a step-down bed
    becomes fit for one. Each sums to 1, less what lies beyond :data:`KERNEL_DAYS`.
    """
    survival = scaled_survival(stay, ratios, _edges())
    survival[..., 0] = 1.0  # every stay is under way at admission
    return survival[..., :-1] - survival[..., 1:]


def stepdown_kernels(stay, ratios: np.ndarray, stepdown) -> np.ndarray:
    """Expected step-down beds held on each day since admission: from ``r L`` to ``r L + D``.

    ``e_{L+D}(c) = E[e_D(c - L)]`` (``e_D(y) = E[D] - y`` for ``y < 0``), with ``L``'s mass in
    bins of ``1 / STEPS`` days at their midpoints, as far as :data:`KERNEL_DAYS`; stays beyond it
    add their exact ``E[(L + D - c); L > KERNEL_DAYS]``.
    """
    h, n = 1.0 / STEPS, KERNEL_DAYS * STEPS
    survival = scaled_survival(stay, ratios, np.arange(n + 1) * h)  # P(r L > bin)
    mass = survival[..., :-1] - survival[..., 1:]  # P(r L in [i h, (i + 1) h))
    # e_D at c - x_i = (k - 0.5) h for every k the day edges reach, k = -n .. n; the fold's
    # index of (c = m h, bin i) is then m - i + n
    e_d = stepdown.excess((np.arange(-n, n + 1) - 0.5) * h)
    size = 1 << int(np.ceil(np.log2(3 * n + 1)))
    folded = np.fft.irfft(np.fft.rfft(mass, size) * np.fft.rfft(e_d, size), size)
    edges = _edges()
    tail = survival[..., -1:]
    beyond = scaled_excess(stay, ratios, [KERNEL_DAYS]) + tail * (
        KERNEL_DAYS - edges + stepdown.mean
    )
    e_sum = folded[..., np.rint(edges * STEPS).astype(int) + n] + beyond
    e_l = scaled_excess(stay, ratios, edges)
    return (e_sum[..., :-1] - e_sum[..., 1:]) - (e_l[..., :-1] - e_l[..., 1:])


def census_correlation(stay, stays: np.ndarray, admitted: np.ndarray, lags: np.ndarray) -> tuple:
    """Correlation of an M/G/inf census with itself ``lags`` days on: patients staying through both.

    ``int_t^inf P(S > u) du / E[S]`` over the mix of stays ``S = stays * L`` weighted by
    ``admitted`` (same shape), the covariance of two censuses over the variance (both Poisson).
    Empty when nobody is admitted.
    """
    mean = float((admitted * stays).sum()) * stay.mean
    if mean <= 0:
        return ()
    shared = (admitted[..., None] * scaled_excess(stay, stays, lags)).reshape(-1, len(lags))
    return tuple(float(x) for x in shared.sum(axis=0) / mean)


class StayKernels:
    """The spectra of the kernels of the stays in force, each distinct stay's computed once.

    A month's stays are the length of stay times each (practice, age, cohort)'s ratio (the age
    band's, and the levers' multiplier, such as an MCP's shorter stays); the kernels of a ratio
    seen before are reused, and the spectra are redone only when the month's ratios change.
    """

    def __init__(self, size: int):
        self.size = size
        self._rows: dict = {}  # (stay, step-down stay, ratio) -> [bed, step-down, fit] rows
        self._last: tuple | None = None

    def spectra(self, acute, ratios: np.ndarray) -> tuple[np.ndarray, ...]:
        """``(bed, step-down, fit)`` spectra [frequency, *ratios.shape] of ``ratios`` [.., a, k].

        The step-down kernels (beds held, and fit for one that day) carry each age band's chance
        of needing a step-down bed.
        """
        stay, stepdown = acute.length_of_stay_days, acute.stepdown_stay_days
        share = np.asarray(acute.stepdown_share_by_age, dtype=float)
        key = (stay, stepdown, share.tobytes(), ratios.shape, ratios.tobytes())
        if self._last is not None and self._last[0] == key:
            return self._last[1]
        values, index = np.unique(ratios, return_inverse=True)
        missing = [v for v in values if (stay, stepdown, v) not in self._rows]
        if missing:
            beds = bed_kernels(stay, np.array(missing))
            stepdowns = stepdown_kernels(stay, np.array(missing), stepdown)
            endings = ending_kernels(stay, np.array(missing))
            for v, *rows in zip(missing, beds, stepdowns, endings):
                self._rows[(stay, stepdown, v)] = rows
        rows = [self._rows[(stay, stepdown, v)] for v in values]
        shape = ratios.shape + (KERNEL_DAYS,)
        bed, down, fit = (
            np.stack([r[i] for r in rows])[index.ravel()].reshape(shape) for i in range(3)
        )
        down, fit = down * share[:, None, None], fit * share[:, None, None]
        result = tuple(
            np.moveaxis(np.fft.rfft(k, n=self.size, axis=-1), -1, 0) for k in (bed, down, fit)
        )
        self._last = key, result
        return result
