"""The ``[electives]`` table of a scenario: the GP-referral pathway to planned care.

A GP referral waits for a first outpatient attendance (a delay, uncapacitated: the wait is what
the trust's booking gives); each first attendance brings follow-ups and, for some, a decision to
admit; those decided join one trust-wide elective waiting list, admitted first come first served
up to the trust's elective capacity on each working day; a day case goes home the same day, an
ordinary elective takes a ring-fenced elective bed for its stay. The model is
:mod:`simulate.model.tiers.electives`; sources are in the comments of ``scenarios/baseline.toml``.
"""

from __future__ import annotations

from pydantic import NonNegativeFloat, PositiveFloat

from simulate.inputs.distributions import Duration, LogNormal
from simulate.inputs.types import Share, Spec


class ElectivesSpec(Spec):
    """GP referral -> first outpatient attendance -> decision to admit -> elective admission."""

    first_outpatient_wait_days: Duration = LogNormal(dist="lognormal", mean=42.0, sd=35.0)
    follow_ups_per_first_attendance: NonNegativeFloat = 2.2
    decision_to_admit_share: Share = 0.20
    """Share of first attendances after a GP referral that end in a decision to admit."""
    capacity_ratio: PositiveFloat = 1.05
    """Elective admissions the trust can do a working day over those the baseline's referrals
    need (at the start of the run, with no lever): below 1 the waiting list grows."""
    day_case_share: Share = 0.80
    ordinary_stay_days: Duration = LogNormal(dist="lognormal", mean=5.2, sd=6.0)
