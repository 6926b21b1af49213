"""What each provider did, month by month: the cube's ``provider_*`` variables.

The collector attributes acute activity to the registered practice ([month, practice, cohort]);
with several acute trusts a planner also needs each trust's own A&E, beds and outpatients. Each
trust's event loop reports to an :class:`AtProvider`, a view of the collector that passes every
report on unchanged and adds it, by month, to that trust's column of :class:`ProviderSums`. The
practice-level variables are therefore exactly what they were with one trust, and the provider
columns add up to the system totals (``provider_ae_attendances`` summed over providers equals
``ae_attendances`` summed over practices and cohorts).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from simulate.model.outcomes import Outcome

P = ("provider",)
PROVIDER_OUTCOMES: dict[str, Outcome] = {
    "provider_ae_attendances": Outcome(P, "attendances", "A&E attendances at the trust"),
    "provider_ae_departures": Outcome(
        P, "attendances", "A&E attendances that left the trust's A&E"
    ),
    "provider_ae_4h_breaches": Outcome(
        P, "attendances", "the trust's A&E attendances over 4 hours"
    ),
    "provider_ae_wait_hours": Outcome(P, "hours", "mean time in the trust's A&E"),
    "provider_emergency_admissions": Outcome(P, "admissions", "emergency admissions to the trust"),
    "provider_bed_days": Outcome(P, "days", "the trust's acute bed days occupied in the month"),
    "provider_excess_bed_days": Outcome(P, "days", "the trust's bed days beyond the trim point"),
    "provider_delayed_discharge_days": Outcome(
        P, "days", "the trust's bed days of patients fit, waiting for a step-down bed"
    ),
    "provider_beds_occupied": Outcome(P, "beds", "time-weighted mean occupied beds at the trust"),
    "provider_bed_capacity": Outcome(P, "beds", "the trust's beds for emergencies"),
    "provider_admissions_diverted": Outcome(P, "admissions", "admissions the trust sent elsewhere"),
    "provider_outpatient_attendances": Outcome(
        P, "attendances", "the trust's outpatient attendances"
    ),
    "provider_outpatient_referrals": Outcome(
        P, "referrals", "GP referrals to the trust's outpatients"
    ),
    "provider_cost": Outcome(
        P, "GBP", "cost of the trust's A&E, admissions, bed days and outpatients at unit costs"
    ),
}
_SUMS = (
    "provider_ae_attendances",
    "provider_ae_departures",
    "provider_ae_4h_breaches",
    "ae_time_hours",
    "ae_cubicle_wait_sum_hours",
    "provider_emergency_admissions",
    "provider_bed_days",
    "provider_excess_bed_days",
    "provider_delayed_discharge_days",
    "provider_bed_capacity",
    "provider_admissions_diverted",
    "provider_outpatient_attendances",
    "provider_outpatient_referrals",
)


class ProviderSums:
    """Monthly sums per provider, [reported month, provider], added as the trusts report."""

    def __init__(self, clock, trusts: list):
        self.clock, self.trusts = clock, trusts
        self.sums = {name: np.zeros((clock.months, len(trusts))) for name in _SUMS}
        self._bounds = clock.reported_boundaries.astype(float)

    def add(self, name: str, provider: int, days: np.ndarray, weights=None) -> None:
        """Add ``weights`` (default 1 each) of events at ``days`` to their reported months."""
        month = self.clock.month_of_day[np.asarray(days).astype(np.int64)]
        keep = month >= 0
        w = None if weights is None else np.asarray(weights, dtype=float)[keep]
        self.sums[name][:, provider] += np.bincount(month[keep], w, minlength=self.clock.months)

    def spread(self, name: str, provider: int, start: np.ndarray, end: np.ndarray) -> None:
        """Days from ``start`` to ``end`` (one entry a patient) added to their months."""
        bounds = self._bounds
        start, end = start[:, None], end[:, None]
        days = np.clip(bounds[None, 1:], start, end) - np.clip(bounds[None, :-1], start, end)
        self.sums[name][:, provider] += days.sum(axis=0)

    def month(self, day: int, provider: int, **values) -> None:
        """Values of the reported month of ``day`` (capacities, outpatient counts)."""
        m = self.clock.month_of_day[day]
        if m >= 0:
            for name, value in values.items():
                self.sums[f"provider_{name}"][m, provider] += value

    def outpatients(self, outcomes: xr.Dataset, shares: np.ndarray) -> None:
        """Each trust's outpatient attendances and referrals: the practices' by catchment.

        The electives tier counts outpatients per practice, not per trust; ``shares``
        [practice, trust] (the outpatient catchment) divides each practice's count in
        expectation, so the trusts' columns add up to the practices' totals exactly.
        """
        for name in ("outpatient_attendances", "outpatient_referrals"):
            if name in outcomes:
                data = outcomes[name]
                by_practice = data.sum([d for d in data.dims if d not in ("month", "practice")])
                values = by_practice.transpose("month", "practice").values @ shares
                self.sums[f"provider_{name}"] += values

    def dataset(self, costs) -> xr.Dataset:
        """The ``provider_*`` variables, means from their sums, cost at each month's unit costs.

        ``costs`` is a unit cost as a [month] array by name (:class:`MonthCosts`-like).
        """
        s = dict(self.sums)
        with np.errstate(invalid="ignore", divide="ignore"):
            s["provider_ae_wait_hours"] = s.pop("ae_time_hours") / s["provider_ae_departures"]
        s.pop("ae_cubicle_wait_sum_hours")  # kept for tests against Erlang C, not in the cube
        s["provider_beds_occupied"] = s["provider_bed_days"] / self.clock.days_in_month[:, None]
        s["provider_cost"] = (
            s["provider_ae_attendances"] * costs("ae_attendance")
            + s["provider_emergency_admissions"] * costs("emergency_admission")
            + s["provider_excess_bed_days"] * costs("excess_bed_day")
            + s["provider_delayed_discharge_days"] * costs("delayed_discharge_day")
            + s["provider_outpatient_attendances"] * costs("outpatient_attendance")
        )
        data = {
            name: xr.Variable(
                ("month", *o.dims), s[name], {"units": o.units, "long_name": o.long_name}
            )
            for name, o in PROVIDER_OUTCOMES.items()
        }
        coords = {
            "provider": ("provider", [t.key for t in self.trusts], {"long_name": "provider code"}),
            "provider_name": ("provider", [t.name for t in self.trusts], {"long_name": "provider"}),
            "provider_kind": (
                "provider",
                ["acute"] * len(self.trusts),
                {"long_name": "kind of provider"},
            ),
        }
        return xr.Dataset(data, coords=coords)


class AtProvider:
    """The collector as one trust's event loop sees it: reports pass on, and add to its column."""

    def __init__(self, collector, sums: ProviderSums, provider: int):
        self.collector, self.sums, self.provider = collector, sums, provider

    def __getattr__(self, name: str):
        return getattr(
            self.collector, name
        )  # what the trust reads (clock, month) is the collector's

    def ae_arrivals(self, times, practice, cohort) -> None:
        """A batch of the trust's A&E arrivals."""
        self.collector.ae_arrivals(times, practice, cohort)
        self.sums.add("provider_ae_attendances", self.provider, times)

    def ae_departures(self, arrived, treated, departed) -> None:
        """A batch of departures from the trust's A&E (times in days)."""
        self.collector.ae_departures(arrived, treated, departed)
        hours = (departed - arrived) * 24.0
        add, p = self.sums.add, self.provider
        add("provider_ae_departures", p, arrived)
        add("ae_time_hours", p, arrived, hours)
        add("ae_cubicle_wait_sum_hours", p, arrived, (treated - arrived) * 24.0)
        add("provider_ae_4h_breaches", p, arrived, hours > 4.0)

    def ae_left(self, arrived, left) -> None:
        """The trust's A&E patients who left unseen: departures, never a cubicle (days)."""
        self.collector.ae_left(arrived, left)
        hours = (left - arrived) * 24.0
        add, p = self.sums.add, self.provider
        add("provider_ae_departures", p, arrived)
        add("ae_time_hours", p, arrived, hours)
        add("provider_ae_4h_breaches", p, arrived, hours > 4.0)

    def admissions(self, start, practice, cohort, stay, trim: float) -> None:
        """A batch of the trust's admissions taking a bed at ``start`` for ``stay`` days."""
        self.collector.admissions(start, practice, cohort, stay, trim)
        p = self.provider
        self.sums.add("provider_emergency_admissions", p, start)
        self.sums.add("provider_excess_bed_days", p, start, np.maximum(0.0, stay - trim))
        self.sums.spread("provider_bed_days", p, start, start + stay)

    def stepdowns(self, fit, moved, stay, practice, cohort) -> None:
        """The trust's patients moved to step-down beds; those who waited in its beds."""
        self.collector.stepdowns(fit, moved, stay, practice, cohort)
        late = moved > fit
        for name in ("provider_delayed_discharge_days", "provider_bed_days"):
            self.sums.spread(name, self.provider, fit[late], moved[late])

    def diverted(self, days) -> None:
        """Admissions the trust sent elsewhere for lack of a bed."""
        self.collector.diverted(days)
        self.sums.add("provider_admissions_diverted", self.provider, days)
