"""The categories every part of icsim counts people and requests by, defined once.

A place file, the synthetic population, the rates, the stocks, the tiers and the cube must agree
on what "age band 5" or "cohort 4+" means; they all import these names from here rather than
repeating them. Order matters: each tuple's position is the index used in every array.
"""

from __future__ import annotations

import numpy as np

COHORTS = ("0", "1", "2", "3", "4+")
"""Number of long-term conditions (the cube's ``cohort`` coordinate); the last is open."""

AGE5 = tuple(f"{a}-{a + 4}" for a in range(0, 90, 5)) + ("90+",)
"""Five-year age bands of NHS Digital's registered-population files (the place's input ages)."""

AGE_BANDS = ("0-4", "5-14", "15-24", "25-44", "45-64", "65-74", "75-84", "85+")
"""The model's age bands: rates, stays and stocks are by these."""

AGE_BAND_COUNT = len(AGE_BANDS)

BAND_OF_AGE5 = np.array([0, 1, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 6, 6, 7, 7])
"""The model age band (index into :data:`AGE_BANDS`) of each of :data:`AGE5`."""

AGE5_MIDPOINT = np.array([2.5 + 5 * i for i in range(18)] + [93.0])
"""Mid-point age (years) of each of :data:`AGE5`; 93 for the open 90+ band."""

BAND_YEARS = np.array([5.0, 10.0, 10.0, 20.0, 20.0, 10.0, 10.0, np.inf])
"""Widths of :data:`AGE_BANDS` in years (85+ open), which set the ageing rates."""

SEXES = ("male", "female")
"""Index 0 and 1 of a place's ``age_sex`` array [practice, sex, AGE5 band]."""

DEPRIVATION_QUINTILES = (1, 2, 3, 4, 5)
"""Index of Multiple Deprivation quintiles: 1 is the most deprived fifth of England."""

REQUEST_TYPES = ("same_day", "routine")
"""Kinds of GP request, the last axis of a practice's appointment book."""
SAME_DAY, ROUTINE = 0, 1
