"""The schema of a scenario file: one pydantic spec per table, with units, bounds and defaults.

Each table of a scenario (``[demand]``, ``[practice]``, ``[leavers]``, ``[hub]``, ``[access]``,
``[seven_day]``, ``[acute]``, ``[utc]``, ``[community]``, ``[electives]``, ``[care_homes]``,
``[mental_health]``, ``[costs]``, ``[dynamics]``, ``[interventions]``, ``[[changes]]``) is a
frozen spec that forbids unknown keys, so a misspelt key is an error rather than a default
silently used. A key's name carries its unit (``_per_person_year``, ``_days``, ``_share``) and its
bounds are in its type, so the same rules check a file, a ``--set`` option, a sampled value and a
value changed in time. The generated reference (``docs/reference/scenario.md``) is read from
these specs.

What a planner may write beyond these specs (a distribution in place of a number, a change in
time) is checked by :mod:`simulate.inputs.checks`; reading the files is
:mod:`simulate.inputs.scenario`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    Field,
    NonNegativeFloat,
    PositiveFloat,
    field_validator,
    model_validator,
)

from simulate.inputs.access import AccessSpec, SevenDaySpec, UrgentTreatmentSpec
from simulate.inputs.care_homes import CareHomesSpec
from simulate.inputs.categories import AGE_BAND_COUNT, COHORTS
from simulate.inputs.distributions import Duration, Fixed
from simulate.inputs.electives import ElectivesSpec
from simulate.inputs.levers import InterventionsSpec
from simulate.inputs.mental_health import MentalHealthSpec
from simulate.inputs.types import (
    ONE_PER_AGE_BAND,
    ByAge,
    ByCohort,
    Share,
    SharesByAge,
    SharesByCohort,
    Spec,
)


class DemandSpec(Spec):
    """How often people ask for care: a rate by age band, times a ratio by number of LTCs.

    The ratios are age-adjusted: within each age band they are rescaled so that the band's mean
    (over the place's LTC mix at average deprivation) is the age rate, as published.
    """

    gp_requests_per_person_year_by_age: ByAge
    gp_requests_ratio_by_ltc: ByCohort
    gp_requests_growth: PositiveFloat = 1.0
    same_day_share: Share
    out_of_hours_same_day_share: Share = 0.0
    """Share of same-day need that arises while the practice is closed (evenings, nights,
    weekends, bank holidays) rather than in its opening hours."""
    ae_attendances_per_person_year_by_age: ByAge
    ae_attendances_ratio_by_ltc: ByCohort
    ae_minor_share_by_age: SharesByAge
    emergency_admissions_per_person_year_by_age: ByAge
    emergency_admissions_ratio_by_ltc: ByCohort
    gp_requests_female_to_male_ratio_by_age: ByAge = [1.0] * 8
    """Women's GP request rate over men's at the same age band and number of conditions
    (dimensionless). Within each band the two sexes' rates are rescaled so that the band's mean
    over the place's own sex mix at the start stays the age rate: sex redistributes demand."""
    emergency_ratio_most_vs_least_deprived_quintile: PositiveFloat = 1.0
    """A&E attendance rate (and so emergency admissions, which come through A&E) in IMD
    quintile 1 over quintile 5 at the same age band and number of conditions (dimensionless): the
    part of the deprivation gradient that conditions do not explain. Log-linear across the
    quintiles, rescaled so that each (age band, cohort) keeps its rate over England's quintiles."""
    outpatient_attendances_per_person_year_by_age: ByAge
    outpatient_referrals_per_person_year_by_age: ByAge
    outpatient_ratio_by_ltc: ByCohort


class PracticeSpec(Spec):
    """How practices turn GP time into appointments and how long patients will wait."""

    appointments_per_gp_fte_day: NonNegativeFloat
    same_day_tolerance_working_days: Annotated[int, Field(ge=0, le=60)] | Duration
    """Working days a patient will wait: a number (everyone, a cliff) or a distribution of
    patience (each request its own)."""
    routine_tolerance_working_days: Annotated[int, Field(ge=0, le=60)] | Duration
    dna_share_by_lead_time: Annotated[list[Share], Field(min_length=4, max_length=4)] = [0.0] * 4
    """Share of booked appointments not attended, by lead time: same day, next day, 2-7 days,
    over 7 days (:mod:`simulate.model.tiers.dna`)."""

    @model_validator(mode="after")
    def _ordered(self) -> PracticeSpec:
        def mean(x) -> float:
            return float(x) if isinstance(x, int) else x.mean

        if mean(self.routine_tolerance_working_days) < mean(self.same_day_tolerance_working_days):
            raise ValueError("routine tolerance must be at least the same-day tolerance")
        return self


class LeaversSpec(Spec):
    """Where requests go once their wait passes the patient's tolerance (the rest give up)."""

    to_hub_share: Share
    to_ae_share: Share

    @model_validator(mode="after")
    def _at_most_one(self) -> LeaversSpec:
        if self.to_hub_share + self.to_ae_share > 1 + 1e-12:
            raise ValueError("to_hub_share + to_ae_share must not exceed 1")
        return self


class HubSpec(Spec):
    """The federation's extended-access hub: same-day appointments, spread over the week."""

    minutes_per_1000_per_week: NonNegativeFloat
    minutes_per_appointment: PositiveFloat
    share_by_weekday: Annotated[list[Share], Field(min_length=7, max_length=7)] = [1 / 7] * 7
    """Share of the week's hub appointments on Monday .. Sunday (bank holidays as Sunday)."""
    clinicians_per_session: PositiveFloat = 1.0
    """Clinicians working each hub session: the week's clinician-hours over this are its hours."""
    need_concentration: PositiveFloat = 1.0
    """Out-of-hours need per hour in the hub's sessions relative to the mean over closed hours."""

    @field_validator("share_by_weekday")
    @classmethod
    def _a_week(cls, shares: list[float]) -> list[float]:
        if abs(sum(shares) - 1) > 1e-6:
            raise ValueError(f"the shares of Monday .. Sunday must sum to 1, not {sum(shares):g}")
        return shares


class AcuteSpec(Spec):
    """A&E treatment, admission and length of stay at the acute trust."""

    treatment_hours: Duration
    length_of_stay_days: Duration
    length_of_stay_ratio_by_age: ByAge = [1.0] * AGE_BAND_COUNT
    length_of_stay_growth_per_ltc: NonNegativeFloat = 0.0
    gp_origin_minor_share: Share = 0.0
    after_failed_primary_care_share: Share = 0.0
    """Share of the A&E attendance rate above that arrives from primary-care need which the model
    routes itself (requests past the patient's tolerance, hub overflow, out-of-hours need); the
    background stream that no primary-care lever touches is the rest."""
    stepdown_share_by_age: SharesByAge = [0.0] * AGE_BAND_COUNT
    stepdown_stay_days: Duration = Fixed(dist="fixed", value=0.0)
    # admission by cohort alone: only for batches drawn by Arrivals.draw (queueing tests, bench);
    # the engine derives admission from the demand rates by age and cohort instead
    admission_probability: SharesByCohort = [0.0] * len(COHORTS)
    when_no_bed: Literal["board", "divert"] = "board"
    ae_patience_hours: Duration | None = None
    """How long a patient will wait for a cubicle before leaving without being seen (None: for
    ever, the Erlang C queue); boarders and patients in treatment never leave."""
    gp_arrival_window_hours: tuple[float, float] = (8.0, 22.0)
    arrival_share_by_hour: Annotated[list[Share], Field(min_length=24, max_length=24)] | None = None
    """Share of background A&E arrivals in each hour of the day, 00:00 .. 23:00 (None: uniform)."""
    arrival_share_by_weekday: Annotated[list[Share], Field(min_length=7, max_length=7)] | None = (
        None
    )
    """Share of background A&E arrivals on Monday .. Sunday (None: every day alike)."""

    @field_validator("arrival_share_by_hour", "arrival_share_by_weekday")
    @classmethod
    def _sums_to_one(cls, shares: list[float] | None) -> list[float] | None:
        if shares is not None and abs(sum(shares) - 1) > 1e-6:
            raise ValueError(f"the shares must sum to 1, not {sum(shares):g}")
        return shares

    @field_validator("gp_arrival_window_hours")
    @classmethod
    def _window(cls, value: tuple[float, float]) -> tuple[float, float]:
        if not 0 <= value[0] < value[1] <= 24:
            raise ValueError("window must satisfy 0 <= opens < closes <= 24")
        return value


class CommunityServiceSpec(Spec):
    """Community nursing: who is referred, for how long, how often visited."""

    nursing_referrals_per_person_year_by_age: ByAge
    nursing_ratio_by_ltc: ByCohort
    nursing_episode_days: PositiveFloat
    nursing_visits_per_week: NonNegativeFloat


class CostSpec(Spec):
    """Unit costs in GBP."""

    practice_appointment: NonNegativeFloat
    hub_offered_appointment: NonNegativeFloat
    ae_attendance: NonNegativeFloat
    emergency_admission: NonNegativeFloat
    excess_bed_day: NonNegativeFloat
    trim_point_days: NonNegativeFloat
    delayed_discharge_day: NonNegativeFloat
    outpatient_attendance: NonNegativeFloat
    community_nurse_contact: NonNegativeFloat
    stepdown_bed_day: NonNegativeFloat
    gp_out_of_hours_case: NonNegativeFloat = 0.0
    nhs111_contact: NonNegativeFloat = 0.0
    day_case: NonNegativeFloat = 0.0
    elective_inpatient: NonNegativeFloat = 0.0
    seven_day_offered_appointment: NonNegativeFloat = 0.0
    utc_attendance: NonNegativeFloat = 0.0


class DynamicsSpec(Spec):
    """The system-dynamics layer (:mod:`simulate.model.stocks`): population, GP workforce, money.

    Every key has a default, so scenario files without a ``[dynamics]`` table still validate;
    sources are in the comments of ``scenarios/baseline.toml``.
    """

    mode: Literal["hybrid", "sd"] = "hybrid"  # event engine, or expected flows (mean field)
    coupled: bool = True  # False: capacities and demand stay as at the start (no dynamics)
    births_per_1000_per_year: NonNegativeFloat = 11.0
    deaths_per_1000_per_year_by_age: ByAge = [0.9, 0.1, 0.3, 0.9, 3.5, 13.0, 38.0, 150.0]
    deaths_ratio_by_ltc: ByCohort = [1.0, 1.3, 1.7, 2.3, 3.5]
    ltc_onset_per_person_year_by_age: ByAge = [0.01, 0.01, 0.01, 0.03, 0.06, 0.12, 0.12, 0.18]
    emigration_per_person_year: NonNegativeFloat = 0.0
    hold_age_structure: bool = False  # true: the steady state (births_per_1000 ... emigration)
    hold_ltc_mix: bool = True  # onset fitted so each age's LTC mix holds (else the hazards above)
    # demographic change (hold_age_structure = false): simulate/model/stocks/demography.py
    life_table: str = Field(default="england", pattern=r"^[A-Za-z0-9_.\-/ ]+$")
    total_fertility_rate: Annotated[float, Field(ge=0, le=8)] = 1.45
    male_births_per_female_birth: Annotated[float, Field(gt=0.5, lt=2)] = 1.05
    net_migration_per_1000_per_year_by_age: Annotated[
        list[Annotated[float, Field(ge=-200, le=200)]], ONE_PER_AGE_BAND
    ] = [2.0, 2.0, 14.0, 8.0, 1.0, 0.0, 0.0, 0.0]
    net_migration_csv: str | None = None  # the place's projection: year,sex,age_band,net_migration
    mortality_improvement_per_year: Annotated[float, Field(ge=-0.05, le=0.05)] = 0.011
    demand_growth_per_person_year: Annotated[float, Field(ge=-0.1, le=0.1)] = 0.0  # trend, share
    gp_leaving_rate_per_year: NonNegativeFloat = 0.09
    gp_overload_leaving_ratio: PositiveFloat = 1.5
    gp_overload_from_requests_per_slot: PositiveFloat = 1.1
    gp_overload_full_requests_per_slot: PositiveFloat = 1.3
    gp_recruitment_delay_months: PositiveFloat = 6.0
    gp_workforce_adjustment_months: PositiveFloat = 3.0
    gp_supply_fte_per_100k_per_year: NonNegativeFloat | None = None  # None: unlimited labour market
    gp_funding_GBP_per_head_per_year: PositiveFloat = 152.04
    extra_gp_funding_GBP_per_head_per_year: float = 0.0
    gp_fte_cost_GBP_per_year: PositiveFloat = 263_000.0
    funding_delay_months: PositiveFloat = 6.0
    bed_occupancy_trigger: Annotated[float, Field(gt=0, le=1)] = 0.95
    bed_investment_delay_months: PositiveFloat = 9.0
    occupancy_perception_months: PositiveFloat = 3.0

    @model_validator(mode="after")
    def _overload_ordered(self) -> DynamicsSpec:
        if self.gp_overload_full_requests_per_slot <= self.gp_overload_from_requests_per_slot:
            raise ValueError("gp_overload_full_requests_per_slot must exceed ..._from_...")
        return self


MAX_CHANGE_MONTH = 1200
"""The latest month a change may start or end in (100 years of reported months)."""
MAX_CHANGES = 1000
"""The most ``[[changes]]`` one scenario may hold (each is checked against all of its key's)."""


class ChangeSpec(Spec):
    """One parameter changing in time: from its value to ``to``, in equal monthly steps.

    Months count reported months from 0 (the first reported month; the warm-up never sees a
    change). Months before ``start_month`` keep the scenario's value; in month ``start_month + k``
    the value has moved ``(k + 1) / ramp_months`` of the way to ``to``, so it reaches ``to`` in
    month ``start_month + ramp_months - 1`` and stays there. ``ramp_months = 0`` (or 1) is a step
    at ``start_month``. Changes of one key must not overlap; each starts from where the last ended.
    """

    key: str
    to: float
    # a century of months: a later change can never reach a run, and a bound keeps validation and
    # the run's month loop finite
    start_month: int = Field(ge=0, le=MAX_CHANGE_MONTH)
    ramp_months: int = Field(default=0, ge=0, le=MAX_CHANGE_MONTH)

    @property
    def end_month(self) -> int:
        """The first month at which the value is ``to``."""
        return self.start_month + max(self.ramp_months, 1) - 1

    def fraction(self, month: int) -> float:
        """How far from the old value to ``to`` the key has moved in ``month`` (0 to 1)."""
        if month < self.start_month:
            return 0.0
        return min(1.0, (month - self.start_month + 1) / max(self.ramp_months, 1))


class ScenarioSpec(Spec):
    """A whole scenario file, after ``extends`` is resolved."""

    name: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_.\-]+$")
    description: str = ""
    place: str
    start: dt.date
    bank_holidays: bool = True
    """Practices close on the bank holidays of England and Wales (false: every weekday open)."""
    demand: DemandSpec
    practice: PracticeSpec
    leavers: LeaversSpec
    hub: HubSpec
    access: AccessSpec = AccessSpec()
    seven_day: SevenDaySpec = SevenDaySpec()
    acute: AcuteSpec
    utc: UrgentTreatmentSpec = UrgentTreatmentSpec()
    community: CommunityServiceSpec
    electives: ElectivesSpec = ElectivesSpec()  # GP-referral pathway: simulate/inputs/electives
    care_homes: CareHomesSpec = CareHomesSpec()  # a segment of the lists: inputs/care_homes
    mental_health: MentalHealthSpec = MentalHealthSpec()  # used where a place has an MH trust
    costs: CostSpec
    dynamics: DynamicsSpec = DynamicsSpec()
    interventions: InterventionsSpec = InterventionsSpec()  # effects: simulate/model/levers/
    changes: list[ChangeSpec] = Field(default=[], max_length=MAX_CHANGES)

    @field_validator("start")
    @classmethod
    def _first_of_month(cls, value: dt.date) -> dt.date:
        if value.day != 1:
            raise ValueError("start must be the first day of a month")
        if not 1900 <= value.year <= 2200:  # the calendar must hold the run and its warm-up
            raise ValueError("start must be a year from 1900 to 2200")
        return value
