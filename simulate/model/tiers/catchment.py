"""Sending patients to acute trusts by catchment: each patient to exactly one trust.

A place's catchments give, per service line, the share of each practice's patients each trust sees
(:func:`simulate.inputs.catchment.catchment_shares`, [practice, trust]). An A&E arrival is sent to
one trust by one uniform draw against its practice's cumulative shares (:func:`route`); counts
drawn per practice × cohort (outpatients) are split by a multinomial draw (:func:`split`). Both
conserve patients exactly, and a trust whose share is zero is never chosen, whatever the draw:
its interval of the unit line is empty. With one trust nothing is drawn at all, so a one-trust
place consumes no random numbers it did not consume before catchments existed.
"""

from __future__ import annotations

import numpy as np


def cumulative(shares: np.ndarray) -> np.ndarray:
    """Upper ends of each trust's interval of [0, 1) per row of ``shares`` [row, trust].

    From the row's last trust with a positive share onwards the end is 2, above any uniform
    draw, so rounding in the sum can neither leave a draw unrouted nor give it to a trailing
    trust of zero share.
    """
    ends = np.cumsum(shares, axis=1) / shares.sum(axis=1, keepdims=True)
    last = shares.shape[1] - 1 - np.argmax(shares[:, ::-1] > 0, axis=1)
    ends[np.arange(shares.shape[1])[None, :] >= last[:, None]] = 2.0
    return ends


def route(rows: np.ndarray, ends: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The trust of each patient, whose practice is ``rows``: one uniform draw each.

    Trust ``t`` is chosen when ``ends[t - 1] <= u < ends[t]``: the number of ends at or below the
    draw.
    """
    u = rng.random(len(rows))
    return (ends[rows] <= u[:, None]).sum(axis=1)


def split(counts: np.ndarray, shares: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Counts [practice, cohort] split over trusts by their shares: [trust, practice, cohort].

    Each cell's count is one multinomial draw over its practice's shares, so the parts add up
    to the count exactly.
    """
    pvals = np.broadcast_to(shares[:, None, :], (*counts.shape, shares.shape[1]))
    parts = rng.multinomial(counts.astype(np.int64), pvals / pvals.sum(axis=-1, keepdims=True))
    return np.moveaxis(parts, -1, 0)
