"""The ``[interventions]`` table of a scenario: which levers are on, whom they reach, from when.

This is the schema only, the part of a scenario file that names levers and their parameters, so
that a scenario can be read and checked without the model. What a lever does to the model's rates
month by month (its multipliers and running cost) is :mod:`simulate.model.levers`, one module a
lever, which reads these specs. Every lever is off unless its table is given, so a scenario without
``[interventions]`` runs exactly as the baseline.

Each lever has a *target* (practices, federations or localities), a *go-live* (``start_month``,
counted from the first reported month) and a *ramp* (``ramp_months`` to full effect). Effect sizes
are relative changes: -0.05 is a 5% fall. Their evidence is on the cards in ``docs/interventions/``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, NonNegativeFloat, NonNegativeInt

from simulate.inputs.categories import COHORTS
from simulate.inputs.types import RelativeChange, Share, Spec

"""A relative change: -0.05 is a 5% fall, 0 no change."""


class _Lever(Spec):
    """What every lever has: whom it reaches and when it starts."""

    practices: list[str] | Literal["all"] = []
    federations: list[str] = []
    localities: list[str] = []
    start_month: NonNegativeInt = 0
    ramp_months: NonNegativeInt = 0


class CaseManagementSpec(_Lever):
    """Case finding by a risk tool and case management of those it finds (Symphony, MCP).

    Mechanism parameters only (issue 15): whom the tool finds (``enrol_share`` of the reached
    lists, ranked by the tool, whose discrimination is ``risk_tool_c_statistic``), how many the
    team can manage (``case_manager_fte`` × ``caseload_per_case_manager``), the unmet need the
    first assessments uncover, the learning lag before a managed patient's hazard falls, and the
    months the money lasts. The units, sources and ranges are on the evidence cards.
    """

    cohorts: list[Literal[COHORTS]] = list(COHORTS)  # type: ignore[valid-type]
    enrol_share: Share = 0.0  # of the reached registered lists
    rank_by: Literal["risk_tool", "last_year_admissions"] = "risk_tool"
    risk_tool_c_statistic: Annotated[float, Field(gt=0.5, lt=1)] = 0.75
    case_manager_fte: NonNegativeFloat = 0.0
    caseload_per_case_manager: NonNegativeFloat = 50.0
    case_manager_cost_gbp_per_fte_year: NonNegativeFloat = 0.0
    clinician_cost_gbp_per_managed_year: NonNegativeFloat = 0.0
    hazard_relative_change: RelativeChange = 0.0  # managed patient's A&E (so admission) hazard
    gp_requests_relative_change: RelativeChange = 0.0  # managed patient's GP requests
    unmet_need_contacts_rise: RelativeChange = 0.0  # GP requests and referrals after assessment
    unmet_need_acute_rise: RelativeChange = 0.0  # A&E (so admission) hazard after assessment
    unmet_need_months: Annotated[float, Field(gt=0, le=120)] = 6.0  # time constant of its decay
    learning_months: Annotated[float, Field(gt=0, le=120)] = 12.0  # mean of a 3rd-order delay
    funded_months: NonNegativeInt | None = None  # from start_month; None: for ever


class SymphonySpec(CaseManagementSpec):
    """Symphony-style integration: practices join the acute trust; a complex-care hub."""

    trust_owns_practices: bool = True
    cohorts: list[Literal[COHORTS]] = ["3", "4+"]  # type: ignore[valid-type]


class MCPSpec(CaseManagementSpec):
    """Multispecialty community provider: one contract, integrated teams, a capitation."""

    name: str = "MCP"
    length_of_stay_relative_change: RelativeChange = 0.0  # teams' discharge work, reached cohorts
    team_cost_gbp_per_head_year: NonNegativeFloat = 0.0
    capitated_budget_gbp_per_head_year: NonNegativeFloat = 0.0


class AtScaleSpec(_Lever):
    """General practice at scale: shared back office and super-practice mergers.

    (The federations' extended-access hubs are ``[hub]`` in the baseline: see
    ``extended-access.toml``.)
    """

    gp_time_released_share: Annotated[float, Field(ge=0, le=0.5)] = 0.0
    back_office_cost_gbp_per_head_year: NonNegativeFloat = 0.0
    mergers: list[list[str]] = []


class ExtendedAccessSpec(_Lever):
    """Extended access commissioned for some federations (or practices) at a level of their own.

    The hub time of the reached practices' lists moves from ``[hub]``'s level to
    ``minutes_per_1000_per_week`` (minutes of clinician time per 1,000 registered a week), ramped
    from ``start_month`` over ``ramp_months``; the hubs then offer what that time buys, and what it
    does to A&E follows from the out-of-hours mechanism. Its cost is the hub's per slot offered.
    """

    minutes_per_1000_per_week: NonNegativeFloat


class PrimaryCareHomeSpec(_Lever):
    """Primary care home: a multidisciplinary team for 30,000-50,000 people."""

    mdt_fte_per_10000: NonNegativeFloat = 0.0
    mdt_appointments_per_fte_day: NonNegativeFloat = 0.0
    mdt_cost_gbp_per_fte_year: NonNegativeFloat = 0.0


class VariationSpec(_Lever):
    """Targeted education for practices outside the funnel limits of the place's mean rate."""

    rates: list[Literal["emergency_admissions", "outpatient_referrals"]] = [
        "emergency_admissions",
        "outpatient_referrals",
    ]
    funnel_limit: Literal[0.95, 0.998] = 0.998
    lookback_months: Annotated[int, Field(ge=1, le=60)] = 12
    gap_closed_share: Share = 0.0
    cost_gbp_per_targeted_practice_month: NonNegativeFloat = 0.0


class ReferralManagementSpec(_Lever):
    """Clinical triage of GP referrals, and a community clinic (a new pathway) for those suitable.

    Mechanisms only: how many referrals are triaged, how many of those the triage finds suitable
    for the clinic, the clinic's capacity, and how many it refers on; what happens to outpatient
    attendances, elective admissions and cost follows in the electives tier.
    """

    triaged_share: Share = 0.0
    redirected_share: Share = 0.0
    clinic_new_patients_per_week: NonNegativeFloat = 0.0
    onward_referral_share: Share = 0.0
    triage_cost_gbp_per_referral: NonNegativeFloat = 0.0
    clinic_cost_gbp_per_new_patient: NonNegativeFloat = 0.0


class CareHomesLeverSpec(_Lever):
    """Enhanced health in care homes: an aligned practice's weekly round and an MDT.

    Mechanisms only: which residents are reached, the clinicians' hours a resident a week and the
    hours at which more review stops helping, the share of residents' emergency care for
    conditions proactive care can prevent and the share of that it prevents, and the reactive
    requests the round absorbs; GP hours come out of the practices' appointments.
    """

    homes_reached_share: Share = 0.0
    round_hours_per_resident_week: NonNegativeFloat = 0.0
    full_effect_hours_per_resident_week: Annotated[float, Field(gt=0)] = 0.1
    gp_share_of_round_hours: Share = 1.0
    avoidable_share: Share = 0.0
    prevented_share: Share = 0.0
    requests_met_in_round_share: Share = 0.0
    cost_gbp_per_resident_year: NonNegativeFloat = 0.0


class IncentiveSchemeSpec(_Lever):
    """A local incentive scheme (or a QOF change): payment for long-term-condition reviews.

    Mechanisms only: who is eligible, how many reviews a year, the appointments a review takes
    from the practice's book, the share achieved, the share of admissions that are for
    ambulatory-care-sensitive conditions and the share of those a review averts, and the payment,
    paid twice for the share of reviews a national QOF indicator also pays for.
    """

    cohorts: list[Literal[COHORTS]] = ["2", "3", "4+"]  # type: ignore[valid-type]
    reviews_per_patient_year: NonNegativeFloat = 0.0
    appointments_per_review: NonNegativeFloat = 0.0
    achieved_share: Share = 0.0
    acsc_share_of_admissions: Share = 0.0
    prevented_share: Share = 0.0
    payment_gbp_per_review: NonNegativeFloat = 0.0
    national_duplicate_share: Share = 0.0


class InterventionsSpec(Spec):
    """The ``[interventions]`` table: every lever off unless its table is given."""

    commissioning: Literal["registered", "resident"] = "registered"
    symphony: SymphonySpec | None = None
    mcp: MCPSpec | None = None
    at_scale: AtScaleSpec | None = None
    extended_access: ExtendedAccessSpec | None = None
    primary_care_home: PrimaryCareHomeSpec | None = None
    variation: VariationSpec | None = None
    referral_management: ReferralManagementSpec | None = None
    care_homes: CareHomesLeverSpec | None = None
    incentive_scheme: IncentiveSchemeSpec | None = None
