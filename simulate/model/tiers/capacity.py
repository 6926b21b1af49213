"""Whole appointments from fractional daily rates, without rounding bias.

A practice with 2.2 GP FTE at 35.7 appointments each has 78.54 slots a day. Rounding every day
would lose the 0.54 for ever; instead day ``t`` gets ``floor(r·(t+1)) − floor(r·t)`` slots, so the
slots given over any run of days differ from ``rate × days`` by less than one, and any change of a
lever, however small, changes capacity in proportion.
"""

from __future__ import annotations

import numpy as np


def slots_on(rate: np.ndarray, t: int) -> np.ndarray:
    """Whole slots on day (or working day) ``t`` for daily ``rate`` (array or scalar)."""
    rate = np.asarray(rate, dtype=float)
    return (np.floor(rate * (t + 1) + 1e-9) - np.floor(rate * t + 1e-9)).astype(np.int64)
