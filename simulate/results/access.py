"""When care is open, and where need goes: the comparison's second block for each scenario.

Beside the headlines, not among them: A&E attendances and minor attendances while practices are
open and shut, primary-care need sent to A&E (past tolerance, hub full, out-of-hours need), hub
slots offered and used, 7-day appointments, NHS 111 contacts, GP out-of-hours cases and urgent
treatment centre attendances. A table shows only those either run has.
"""

from __future__ import annotations

from simulate.results.compare import Headline

ACCESS_HEADLINES = (
    Headline(
        "ae_attendances",
        "A&E, practices open",
        "attendances",
        "total",
        ("-ae_attendances_out_of_hours",),
    ),
    Headline("ae_attendances_out_of_hours", "A&E, practices shut", "attendances", "total"),
    Headline(
        "ae_minor_attendances",
        "Minor A&E, practices open",
        "attendances",
        "total",
        ("-ae_minor_attendances_out_of_hours",),
    ),
    Headline(
        "ae_minor_attendances_out_of_hours", "Minor A&E, practices shut", "attendances", "total"
    ),
    Headline(
        "gp_overflow_ae",
        "Primary-care need sent to A&E",
        "attendances",
        "total",
        ("hub_overflow_ae", "out_of_hours_to_ae"),
    ),
    Headline("hub_capacity", "Hub slots offered", "appointments", "total"),
    Headline("hub_appointments", "Hub slots used", "appointments", "total"),
    Headline("seven_day_appointments", "7-day appointments", "appointments", "total"),
    Headline("nhs111_contacts", "NHS 111 contacts", "contacts", "total"),
    Headline("gp_out_of_hours_cases", "GP out-of-hours cases", "cases", "total"),
    Headline("utc_attendances", "UTC attendances", "attendances", "total"),
)
"""The access outcomes, each a total over months, practices and cohorts."""
