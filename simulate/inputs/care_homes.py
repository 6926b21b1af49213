"""The ``[care_homes]`` table of a scenario: care-home residents as a segment of each list.

Residents are a share of each practice's registered people by age band; their own rates of GP
requests, A&E attendances and emergency admissions are per resident-year. They are part of the
published age rates already, so the segment moves no baseline number: it says how much of each
[practice, cohort]'s demand is theirs, which the enhanced-health-in-care-homes lever
(:mod:`simulate.model.levers.care_homes`) acts on. Sources: ``scenarios/baseline.toml``.
"""

from __future__ import annotations

from pydantic import NonNegativeFloat

from simulate.inputs.types import SharesByAge, Spec


class CareHomesSpec(Spec):
    """Who lives in a care home, and how often they need care."""

    resident_share_by_age: SharesByAge = [0.0, 0.0, 0.0, 0.0, 0.0, 0.005, 0.03, 0.145]
    gp_requests_per_resident_year: NonNegativeFloat = 16.0
    ae_attendances_per_resident_year: NonNegativeFloat = 0.98
    emergency_admissions_per_resident_year: NonNegativeFloat = 0.70
