"""Did-not-attend: booked practice appointments lost, more often the longer ahead they were booked.

A request served after waiting ``d`` working days was booked ``d`` days ahead; its patient fails
to attend with the chance of its lead-time band (``[practice] dna_share_by_lead_time``: same day,
next day, 2-7 days, over 7 days, NHS Digital's GPAD bands, with 2-7 calendar days taken as 2-5
working days). The slot is used all the same, and lost: the cube's ``gp_did_not_attend``. The
patient's need ends there (no rebooking is modelled), so nothing downstream moves.
"""

from __future__ import annotations

import numpy as np

BANDS = ("same_day", "next_day", "2_to_7_days", "over_7_days")
"""Lead-time bands, as GPAD publishes them."""
BAND_EDGES = np.array([1, 2, 6])
"""First working-day wait of each band after the first (0; 1; 2-5; 6 and over)."""


def band_of(waits: np.ndarray) -> np.ndarray:
    """The lead-time band (index into :data:`BANDS`) of each wait in working days."""
    return np.searchsorted(BAND_EDGES, waits, side="right")


def booked_by_band(served_by_wait: np.ndarray, waits: np.ndarray) -> np.ndarray:
    """Served requests [practice, band, cohort] from [practice, wait, cohort] and the waits."""
    shape = (served_by_wait.shape[0], len(BANDS), served_by_wait.shape[2])
    out = np.zeros(shape, dtype=served_by_wait.dtype)
    # row by row in the waits' order, the additions ``np.add.at`` made (a few rows: no ufunc.at)
    for row, band in enumerate(band_of(waits).tolist()):
        out[:, band] += served_by_wait[:, row]
    return out


class DidNotAttend:
    """The day's appointments lost, by lead-time band: drawn (``rng``) or expected (None)."""

    def __init__(self, shares, rng: np.random.Generator | None = None):
        self.shares = np.asarray(shares, dtype=float)[None, :, None]  # [1, band, 1]
        self.rng = rng
        self._chances = {}  # the shares broadcast to each shape of ``booked``, made once

    def day(self, served_by_wait: np.ndarray, waits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(booked, missed)`` [practice, band, cohort] of the day's served requests."""
        booked = booked_by_band(served_by_wait, waits)
        if self.rng is None:
            return booked, booked * self.shares
        if not self.shares.any():  # nobody fails to attend: no draw (it would take no numbers)
            return booked, np.zeros_like(booked)
        chances = self._chances.get(booked.shape)
        if chances is None:
            chances = self._chances[booked.shape] = np.broadcast_to(self.shares, booked.shape)
        return booked, self.rng.binomial(booked, chances)
