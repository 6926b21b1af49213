"""The value types the input tables share: a strict table, a share, a relative change, lists by age.

One definition each, so every table of a scenario or place file refuses the same things: unknown
keys (a typo is an error, not a silently ignored setting), changes after loading, and inf or NaN,
which TOML allows but which would run and fill the cube with garbage.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, NonNegativeFloat

from simulate.inputs.categories import AGE_BAND_COUNT, COHORTS

Share = Annotated[float, Field(ge=0, le=1)]
# a relative change of a mechanism's rate: from -100% (stops) to +500%
RelativeChange = Annotated[float, Field(ge=-1, le=5)]

# a list with one value for each age band
ONE_PER_AGE_BAND = Field(min_length=AGE_BAND_COUNT, max_length=AGE_BAND_COUNT)
ByAge = Annotated[list[NonNegativeFloat], ONE_PER_AGE_BAND]
SharesByAge = Annotated[list[Share], ONE_PER_AGE_BAND]
_BY_COHORT = Field(min_length=len(COHORTS), max_length=len(COHORTS))
ByCohort = Annotated[list[NonNegativeFloat], _BY_COHORT]
SharesByCohort = Annotated[list[Share], _BY_COHORT]


class Spec(BaseModel):
    """A table of an input file: strict keys, frozen once read, finite numbers only."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, allow_inf_nan=False, populate_by_name=True
    )
