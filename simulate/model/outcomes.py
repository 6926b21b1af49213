"""The outcome catalogue: every variable the model measures, with its dimensions, units and name.

The model declares what it measures; the collector shapes its arrays from this table, the cube
writes ``units`` and ``long_name`` from it, and results, the reference documentation and the
precision rule read it. It lives with the model, not with the results, because the model must
not import the results (the architecture's one-way rule), while results may read this public
table.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr


@dataclass(frozen=True)
class Outcome:
    """One measured variable of the cube."""

    dims: tuple[str, ...]
    units: str
    long_name: str


PK = ("practice", "cohort")
OUTCOMES: dict[str, Outcome] = {
    "registered_population": Outcome(PK, "persons", "registered population"),
    "gp_requests": Outcome(PK, "requests", "GP practice appointment requests (by arrival day)"),
    "gp_appointments": Outcome(PK, "appointments", "practice appointments given (by service day)"),
    "gp_wait_days": Outcome(PK, "days", "mean wait of those seen at the practice, in working days"),
    "gp_wait_days_sum": Outcome(PK, "days", "working days waited, summed over those seen"),
    "gp_backlog": Outcome(PK, "requests", "mean end-of-working-day practice backlog"),
    "gp_did_not_attend": Outcome(
        PK, "appointments", "practice appointments booked but not attended (slots lost)"
    ),
    "gp_overflow_hub": Outcome(PK, "requests", "requests past tolerance sent to the hub"),
    "gp_overflow_ae": Outcome(PK, "requests", "requests past tolerance that went to A&E"),
    "gp_abandoned": Outcome(PK, "requests", "requests past tolerance whose patient gave up"),
    "hub_appointments": Outcome(PK, "appointments", "federation hub appointments"),
    "hub_overflow_ae": Outcome(PK, "requests", "hub referrals not seen that went to A&E"),
    "hub_overflow_abandoned": Outcome(
        PK, "requests", "hub referrals not seen whose patient gave up"
    ),
    "out_of_hours_need": Outcome(
        PK, "requests", "same-day need arising while the practice is closed"
    ),
    "out_of_hours_to_hub": Outcome(
        PK, "requests", "out-of-hours need arising while the federation's hub was open"
    ),
    "out_of_hours_to_ae": Outcome(
        PK, "attendances", "out-of-hours need that went to A&E, directly or sent by NHS 111"
    ),
    "out_of_hours_waited": Outcome(
        PK, "requests", "out-of-hours need that waited for the practice to open"
    ),
    "nhs111_contacts": Outcome(PK, "contacts", "NHS 111 contacts for out-of-hours need"),
    "out_of_hours_hub_appointments": Outcome(
        PK, "appointments", "hub appointments booked by NHS 111 for out-of-hours need"
    ),
    "seven_day_appointments": Outcome(
        PK, "appointments", "weekend daytime appointments of 7-day opening (own need and 111)"
    ),
    "gp_out_of_hours_cases": Outcome(
        PK, "cases", "NHS 111 contacts seen by the GP out-of-hours service (no hub slot free)"
    ),
    "ae_attendances": Outcome(PK, "attendances", "A&E attendances (by arrival day)"),
    "ae_attendances_out_of_hours": Outcome(
        PK,
        "attendances",
        "A&E attendances while practices are closed (18:30-08:00, weekends, bank holidays)",
    ),
    "emergency_admissions": Outcome(PK, "admissions", "emergency admissions (by bed start day)"),
    "bed_days": Outcome(PK, "days", "acute bed days occupied in the month"),
    "excess_bed_days": Outcome(PK, "days", "bed days beyond the tariff trim point"),
    "cost": Outcome(PK, "GBP", "cost of activity at unit costs, with interventions' running cost"),
    "intervention_cost": Outcome(PK, "GBP", "running cost of the scenario's interventions"),
    "ae_minor_attendances": Outcome(
        PK, "attendances", "minor A&E attendances: self-referred, discharged without admission"
    ),
    "ae_minor_attendances_out_of_hours": Outcome(
        PK, "attendances", "minor A&E attendances while practices are closed"
    ),
    "utc_attendances": Outcome(
        PK, "attendances", "urgent treatment centre attendances: minor arrivals streamed there"
    ),
    "delayed_discharge_days": Outcome(
        PK, "days", "acute bed days of patients medically fit, waiting for a step-down bed"
    ),
    "stepdown_admissions": Outcome(PK, "admissions", "transfers into step-down beds"),
    "stepdown_bed_days": Outcome(PK, "days", "intermediate-care (step-down) bed days occupied"),
    "outpatient_attendances": Outcome(
        PK, "attendances", "outpatient attendances, first and follow-up, from every source"
    ),
    "outpatient_referrals": Outcome(
        PK, "referrals", "GP referrals to a first outpatient appointment"
    ),
    # the GP-referral pathway to planned care (simulate.model.tiers.electives)
    "referrals_triaged": Outcome(PK, "referrals", "GP referrals clinically triaged"),
    "community_clinic_attendances": Outcome(
        PK, "attendances", "triaged referrals seen at the community clinic instead"
    ),
    "community_clinic_onward_referrals": Outcome(
        PK, "referrals", "community clinic patients referred on to outpatients"
    ),
    "outpatient_first_attendances": Outcome(
        PK, "attendances", "first outpatient attendances after a GP referral"
    ),
    "outpatient_waiting": Outcome(
        PK, "patients", "mean patients referred by a GP, waiting for a first attendance"
    ),
    "elective_decisions": Outcome(
        PK, "patients", "decisions to admit at a first attendance after a GP referral"
    ),
    "elective_waiting_list": Outcome(
        PK, "patients", "mean patients on the elective waiting list (decided, not admitted)"
    ),
    "elective_admissions": Outcome(
        PK, "admissions", "elective admissions (day case and ordinary) after a GP referral"
    ),
    "elective_day_cases": Outcome(PK, "admissions", "elective admissions that were day cases"),
    "elective_wait_days": Outcome(
        PK, "days", "mean days from decision to admit to elective admission"
    ),
    "elective_wait_days_sum": Outcome(
        PK, "days", "days from decision to admission, summed over those admitted"
    ),
    "elective_bed_days": Outcome(
        PK, "days", "elective bed days (midnights), in ring-fenced elective beds"
    ),
    "community_nursing_referrals": Outcome(PK, "referrals", "referrals to district nursing"),
    "community_nursing_admissions": Outcome(PK, "patients", "patients taken onto the caseload"),
    "community_nursing_caseload": Outcome(PK, "patients", "mean district nursing caseload"),
    "community_nursing_waiting": Outcome(PK, "patients", "mean patients waiting for the caseload"),
    "community_nursing_contacts": Outcome(PK, "contacts", "district nursing visits (expected)"),
    # the cohort a case-management lever enrolled (simulate.model.levers.case_finding): zero
    # where no lever enrols; compare sets them beside the baseline's use of the same patients
    "enrolled_persons": Outcome(PK, "persons", "patients enrolled for case management"),
    "enrolled_hazard_share": Outcome(
        PK, "1", "enrolled patients' share of the cell's expected admissions at baseline hazards"
    ),
    "enrolled_ae_attendances": Outcome(PK, "attendances", "A&E attendances of enrolled patients"),
    "enrolled_emergency_admissions": Outcome(
        PK, "admissions", "emergency admissions of enrolled patients"
    ),
    "enrolled_bed_days": Outcome(PK, "days", "acute bed days of enrolled patients"),
    "enrolled_admissions_year_before": Outcome(
        PK,
        "admissions",
        "emergency admissions of the enrolled in the year before go-live (same every month)",
    ),
    # care-home residents, a segment of each list (simulate.model.care_homes)
    "care_home_residents": Outcome(PK, "persons", "care-home residents (in the month)"),
    "care_home_ae_attendances": Outcome(
        PK, "attendances", "A&E attendances of care-home residents (expected)"
    ),
    "care_home_emergency_admissions": Outcome(
        PK, "admissions", "emergency admissions of care-home residents (expected)"
    ),
    "ae_4h_breaches": Outcome((), "attendances", "A&E attendances over 4 hours (by arrival)"),
    "ae_departures": Outcome((), "attendances", "A&E attendances that left A&E (by arrival)"),
    "ae_12h_waits": Outcome(
        (), "attendances", "A&E attendances over 12 hours from arrival (by arrival)"
    ),
    "ae_left_without_being_seen": Outcome(
        (), "attendances", "A&E attendances that left before reaching a cubicle (by arrival)"
    ),
    "ae_wait_hours": Outcome((), "hours", "mean time in A&E, arrival to departure"),
    "ae_cubicle_wait_hours": Outcome((), "hours", "mean wait from A&E arrival to a cubicle"),
    "beds_occupied": Outcome((), "beds", "time-weighted mean occupied acute beds"),
    "admissions_diverted": Outcome((), "admissions", "admissions sent elsewhere for lack of a bed"),
    "hub_capacity": Outcome((), "appointments", "federation hub appointments offered"),
    "seven_day_capacity": Outcome(
        (), "appointments", "weekend appointments of 7-day opening offered"
    ),
    "bed_capacity": Outcome((), "beds", "general and acute beds for emergencies"),
    "stepdown_capacity": Outcome((), "beds", "intermediate-care (step-down) beds"),
    "gp_fte": Outcome(("practice",), "FTE", "GP full-time equivalents"),
    "gp_capacity": Outcome(("practice",), "appointments", "practice appointments offered"),
    # the system-dynamics stocks and money (simulate.model.stocks), at the start of each
    # month
    "gp_fte_funded": Outcome(("practice",), "FTE", "GP FTE the commissioned funding pays for"),
    "funding_allocated": Outcome(
        ("practice",), "GBP", "GP funding allocated at the per-head rate (per month)"
    ),
    "investment_committed": Outcome(
        ("practice",), "GBP", "GP funding commissioned, after the funding delay (per month)"
    ),
    "spend_practice": Outcome(PK, "GBP", "spend on practice appointments (per month)"),
    "spend_hub": Outcome(
        PK, "GBP", "spend on hub and 7-day weekend appointments offered (per month)"
    ),
    "spend_urgent_care": Outcome(
        PK, "GBP", "spend on NHS 111 and the GP out-of-hours service (per month)"
    ),
    "spend_community": Outcome(
        PK, "GBP", "spend on district nursing and step-down beds (per month)"
    ),
    "spend_acute": Outcome(
        PK,
        "GBP",
        "spend on A&E, the UTC, admissions, bed days, outpatients and electives (per month)",
    ),
    "capitated_budget": Outcome(
        ("practice",), "GBP", "capitated budget held for the practice's list (MCP), per month"
    ),
    # the population stocks by sex and age band (simulate.model.stocks.demography), at the start
    # of each month: a small summary, not a dimension of everything
    "population_by_age_sex": Outcome(
        ("sex", "age_band"), "persons", "registered population by sex and age band"
    ),
    "population_share_65_plus": Outcome(
        (), "share", "share of the registered population aged 65 or over"
    ),
    "population_share_4plus_conditions": Outcome(
        (), "share", "share of the registered population with 4 or more long-term conditions"
    ),
}
CENSUS = ("outpatient_waiting", "elective_waiting_list", "elective_bed_days")
"""Elective stages counted each midnight: the first two reported as monthly means, the last
summed (bed days)."""
STOCKS = ("gp_fte", "gp_fte_funded", "funding_allocated", "investment_committed")
"""Practice-level stocks recorded once a month by :meth:`Collector.stocks`."""

PARAMETER_VALUE = Outcome(
    ("parameter",),
    "as the parameter's key names",
    "value of an uncertain scenario parameter drawn for the replication",
)
"""The cube variable ``parameter_value`` (scenario, replication, parameter): present only when a
scenario has uncertain parameters; NaN for a parameter that a scenario does not hold uncertain."""


def parameter_values(values: tuple[tuple[str, float], ...]) -> xr.DataArray:
    """The drawn values of one replication's uncertain parameters, by dotted key."""
    keys = [key for key, _ in values]
    return xr.DataArray(
        np.array([value for _, value in values], dtype=float),
        dims=PARAMETER_VALUE.dims,
        coords={"parameter": ("parameter", keys, {"long_name": "scenario parameter (dotted key)"})},
        attrs={"units": PARAMETER_VALUE.units, "long_name": PARAMETER_VALUE.long_name},
    )
