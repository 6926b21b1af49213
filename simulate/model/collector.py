"""Running aggregates: what the model measures, shaped as the cube will hold it.

Services report what happens (a day at the practices, a departure from A&E, a bed start) and the
collector adds it into arrays shaped ``[month, practice, cohort]`` or ``[month]`` at once; there is
never a per-event log, so memory does not grow with the number of patients. Warm-up months are
not reported, but every request still enters the run's *ledger*, whose totals account for every
patient from first request to where they ended.

What each variable is (dimensions, units, long name) is :mod:`simulate.model.outcomes`.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import xarray as xr

from simulate.inputs.categories import AGE_BANDS, COHORTS, SEXES
from simulate.model.clock import Clock
from simulate.model.outcomes import OUTCOMES, PK, STOCKS
from simulate.model.place import Place

_PK_SUMS = [n for n, o in OUTCOMES.items() if o.dims == PK]
_SYSTEM_SUMS = (
    "ae_4h_breaches",
    "ae_12h_waits",
    "ae_left_without_being_seen",
    "ae_departures",
    "ae_time_hours",
    "ae_cubicle_wait_sum_hours",
    "ae_cubicle_starts",
    "admissions_diverted",
    "hub_capacity",
    "bed_capacity",
    "stepdown_capacity",
)


class Collector:
    """Adds events into month-shaped arrays as they happen."""

    def __init__(self, clock: Clock, place: Place):
        self.clock = clock
        self.place = place
        months, practices = clock.months, len(place.practice_codes)
        self.pk = {name: np.zeros((months, practices, len(COHORTS))) for name in _PK_SUMS}
        self.system = {name: np.zeros(months) for name in _SYSTEM_SUMS}
        self.practice = {
            name: np.zeros((months, practices))
            for name in (*STOCKS, "gp_capacity", "capitated_budget")
        }
        self._registered_set = False
        self.by_age_sex = np.zeros((months, len(SEXES), len(AGE_BANDS)))
        self.heads = np.zeros((months, len(COHORTS)))  # people by cohort, for the 4+ share
        self.hub_slots = np.zeros((months, len(set(place.federation_of_practice))))
        self.ledger: Counter[str] = Counter()
        self._month = clock.month_of_day.tolist()
        self._sizes = {
            "practice": practices,
            "cohort": len(COHORTS),
            "sex": len(SEXES),
            "age_band": len(AGE_BANDS),
        }
        self._bounds = clock.reported_boundaries.astype(float)

    def month(self, day: int) -> int:
        """Reported month index of ``day`` (negative in the warm-up)."""
        return self._month[day]

    # general practice and hub: one call per day, arrays [practice, cohort]
    def gp_day(
        self, day: int, *, requests, served, wait_sum, backlog, slots, to_hub, to_ae, abandoned
    ) -> None:
        """One working day at every practice."""
        self.ledger.update(
            requests=int(requests.sum()),
            seen_practice=int(served.sum()),
            left_to_hub=int(to_hub.sum()),
            left_to_ae=int(to_ae.sum()),
            abandoned=int(abandoned.sum()),
        )
        m = self._month[day]
        if m < 0:
            return
        pk = self.pk
        pk["gp_requests"][m] += requests
        pk["gp_appointments"][m] += served
        pk["gp_wait_days_sum"][m] += wait_sum
        pk["gp_backlog"][m] += backlog
        pk["gp_overflow_hub"][m] += to_hub
        pk["gp_overflow_ae"][m] += to_ae
        pk["gp_abandoned"][m] += abandoned
        self.practice["gp_capacity"][m] += slots

    def hub_day(self, day: int, *, seen, overflow, booked, slots) -> None:
        """One day at the federation hubs: practices' referrals ``seen`` and not, 111's ``booked``.

        ``slots`` per federation.
        """
        self.ledger.update(
            seen_hub=int(seen.sum()), hub_full=int(overflow.sum()), booked_hub=int(booked.sum())
        )
        m = self._month[day]
        if m >= 0:
            self.pk["hub_appointments"][m] += seen + booked
            self.pk["out_of_hours_hub_appointments"][m] += booked
            self.hub_slots[m] += slots

    def hub_turned_away(self, day: int, *, to_ae, abandoned) -> None:
        """Practices' referrals the hub could not see: those who went to A&E, and who gave up."""
        self.ledger.update(hub_to_ae=int(to_ae.sum()), hub_abandoned=int(abandoned.sum()))
        m = self._month[day]
        if m >= 0:
            self.pk["hub_overflow_ae"][m] += to_ae
            self.pk["hub_overflow_abandoned"][m] += abandoned

    def out_of_hours_day(self, day: int, *, need, to_hub, to_ae, nhs111, waited) -> None:
        """One day's need arising while practices are closed, by what people chose."""
        self.ledger.update(
            ooh_need=int(np.sum(need)),
            ooh_to_hub=int(np.sum(to_hub)),
            ooh_to_ae=int(np.sum(to_ae)),
            nhs111=int(np.sum(nhs111)),
            ooh_waited=int(np.sum(waited)),
        )
        m = self._month[day]
        if m >= 0:
            pk = self.pk
            pk["out_of_hours_need"][m] += need
            pk["out_of_hours_to_hub"][m] += to_hub
            pk["out_of_hours_to_ae"][m] += to_ae
            pk["nhs111_contacts"][m] += nhs111
            pk["out_of_hours_waited"][m] += waited

    def gp_out_of_hours(self, day: int, cases) -> None:
        """NHS 111 contacts the hub had no slot for, seen by the GP out-of-hours service."""
        self.ledger.update(gp_ooh=int(np.sum(cases)))
        m = self._month[day]
        if m >= 0:
            self.pk["gp_out_of_hours_cases"][m] += cases

    # acute trust: each call a batch (a month's arrivals, departures, admissions, moves)
    def ae_arrivals(self, times: np.ndarray, practice: np.ndarray, cohort: np.ndarray) -> None:
        """A batch of A&E arrivals (counted by arrival day), and those while practices are shut."""
        self.ledger.update(ae_attendances=len(times))
        day = times.astype(np.int64)
        month = self.clock.month_of_day[day]
        keep = month >= 0
        np.add.at(self.pk["ae_attendances"], (month[keep], practice[keep], cohort[keep]), 1)
        hour = (times - day) * 24.0
        shut = ~self.clock.is_working_day[day] | (hour < 8.0) | (hour >= 18.5)
        closed = keep & shut
        np.add.at(
            self.pk["ae_attendances_out_of_hours"],
            (month[closed], practice[closed], cohort[closed]),
            1,
        )

    def ae_departures(self, arrived: np.ndarray, treated: np.ndarray, departed: np.ndarray) -> None:
        """A batch of departures from A&E (home, to a bed, or diverted); times in days."""
        self.ledger["ae_departures"] += len(arrived)
        month = self.clock.month_of_day[arrived.astype(np.int64)]
        keep = month >= 0
        month, hours = month[keep], (departed - arrived)[keep] * 24.0
        waits = (treated - arrived)[keep] * 24.0
        months = self.clock.months
        system = self.system
        system["ae_departures"] += np.bincount(month, minlength=months)
        system["ae_time_hours"] += np.bincount(month, hours, minlength=months)
        system["ae_cubicle_wait_sum_hours"] += np.bincount(month, waits, minlength=months)
        system["ae_cubicle_starts"] += np.bincount(month, minlength=months)
        system["ae_4h_breaches"] += np.bincount(month, hours > 4.0, minlength=months)
        system["ae_12h_waits"] += np.bincount(month, hours > 12.0, minlength=months)

    def ae_left(self, arrived: np.ndarray, left: np.ndarray) -> None:
        """Patients who left A&E without being seen (never reached a cubicle); times in days.

        They are departures (so every attendance is accounted for, and their time counts in the
        mean time in A&E), but not cubicle starts.
        """
        self.ledger["ae_departures"] += len(arrived)
        month = self.clock.month_of_day[arrived.astype(np.int64)]
        keep = month >= 0
        month, hours = month[keep], (left - arrived)[keep] * 24.0
        months, system = self.clock.months, self.system
        system["ae_departures"] += np.bincount(month, minlength=months)
        system["ae_time_hours"] += np.bincount(month, hours, minlength=months)
        system["ae_4h_breaches"] += np.bincount(month, hours > 4.0, minlength=months)
        system["ae_12h_waits"] += np.bincount(month, hours > 12.0, minlength=months)
        system["ae_left_without_being_seen"] += np.bincount(month, minlength=months)

    def admissions(self, start, practice, cohort, stay, trim: float) -> None:
        """A batch of patients taking a bed at ``start`` for ``stay`` days."""
        self.ledger["admissions"] += len(start)
        month = self.clock.month_of_day[start.astype(np.int64)]
        keep = month >= 0
        at = (month[keep], practice[keep], cohort[keep])
        np.add.at(self.pk["emergency_admissions"], at, 1)
        np.add.at(self.pk["excess_bed_days"], at, np.maximum(0.0, stay[keep] - trim))
        bounds = self._bounds
        end = start + stay
        overlap = np.minimum(end[:, None], bounds[None, 1:]) - np.maximum(
            start[:, None], bounds[None, :-1]
        )
        overlap = np.maximum(overlap, 0.0)  # [admission, month]
        # one call, admission by admission: each cell adds in the order its admissions came
        months = np.arange(len(bounds) - 1)[None, :]
        np.add.at(self.pk["bed_days"], (months, practice[:, None], cohort[:, None]), overlap)

    def ae_minor(self, times: np.ndarray, practice: np.ndarray, cohort: np.ndarray) -> None:
        """Those of a batch of A&E arrivals that are minor (counted by arrival day)."""
        self.ledger.update(ae_minor_attendances=len(times))
        month = self.clock.month_of_day[times.astype(np.int64)]
        keep = month >= 0
        np.add.at(self.pk["ae_minor_attendances"], (month[keep], practice[keep], cohort[keep]), 1)

    def _spread(self, name: str, start, end, practice, cohort) -> None:
        """Days from ``start`` to ``end`` (arrays, one a patient) added to ``name`` by month.

        Added patient by patient (:func:`numpy.add.at`), so every cell sums in the order the
        patients came, as one call per patient did.
        """
        bounds = self._bounds
        keep = end > bounds[0]
        if not keep.any():
            return
        start, end = start[keep, None], end[keep, None]
        days = np.clip(bounds[None, 1:], start, end) - np.clip(bounds[None, :-1], start, end)
        months = np.arange(len(bounds) - 1)[None, :]
        np.add.at(self.pk[name], (months, practice[keep, None], cohort[keep, None]), days)

    def stepdowns(self, fit, moved, stay, practice, cohort) -> None:
        """Patients fit at ``fit`` moved to a step-down bed at ``moved`` for ``stay`` days.

        Arrays, one entry a patient in the order they moved.
        """
        self.ledger["stepdown_admissions"] += len(fit)
        late = moved > fit
        waited = (fit[late], moved[late], practice[late], cohort[late])
        self._spread("delayed_discharge_days", *waited)
        self._spread("bed_days", *waited)
        self._spread("stepdown_bed_days", moved, moved + stay, practice, cohort)
        month = self.clock.month_of_day[moved.astype(np.int64)]
        keep = month >= 0
        at = (month[keep], practice[keep], cohort[keep])
        np.add.at(self.pk["stepdown_admissions"], at, 1)

    def community_day(self, day: int, *, referrals, admitted, caseload, waiting, contacts) -> None:
        """One day of district nursing, arrays [practice, cohort]."""
        self.ledger.update(
            nursing_referrals=int(referrals.sum()), nursing_admissions=int(admitted.sum())
        )
        m = self._month[day]
        if m < 0:
            return
        pk = self.pk
        pk["community_nursing_referrals"][m] += referrals
        pk["community_nursing_admissions"][m] += admitted
        pk["community_nursing_caseload"][m] += caseload
        pk["community_nursing_waiting"][m] += waiting
        pk["community_nursing_contacts"][m] += contacts

    def outpatients(self, day: int, *, attendances, referrals) -> None:
        """A month's outpatient activity [practice, cohort], dated by its first day."""
        m = self._month[day]
        if m >= 0:
            self.pk["outpatient_attendances"][m] += attendances
            self.pk["outpatient_referrals"][m] += referrals

    def stocks(self, day: int, *, registered: np.ndarray, **practice: np.ndarray) -> None:
        """The month's stocks: ``registered`` [practice, cohort] and :data:`STOCKS` [practice]."""
        m = self._month[day]
        if m < 0:
            return
        self.pk["registered_population"][m] = registered
        self._registered_set = True
        for name, value in practice.items():
            self.practice[name][m] = value

    def population(self, day: int, *, by_age_sex: np.ndarray, by_cohort: np.ndarray) -> None:
        """The month's people [sex, age band] and [cohort] (start of the month)."""
        m = self._month[day]
        if m >= 0:
            self.by_age_sex[m] = by_age_sex
            self.heads[m] = by_cohort

    def capacities(self, day: int, *, beds: int, stepdown_beds: int) -> None:
        """Bed capacities in force in the month of ``day``."""
        m = self._month[day]
        if m >= 0:
            self.system["bed_capacity"][m] = beds
            self.system["stepdown_capacity"][m] = stepdown_beds

    def interventions(self, day: int, *, cost: np.ndarray, budget: np.ndarray) -> None:
        """The month's running cost of interventions [practice, cohort] and capitated budgets."""
        m = self._month[day]
        if m >= 0:
            self.pk["intervention_cost"][m] += cost
            self.practice["capitated_budget"][m] = budget

    def expected(self, m: int, **values) -> None:
        """Expected totals of reported month ``m`` from the fluid tiers, by variable name."""
        for name, value in values.items():
            (self.pk if name in self.pk else self.system)[name][m] = value

    def diverted(self, days: np.ndarray) -> None:
        """Admissions that found no bed and were sent elsewhere, at ``days``."""
        self.ledger["diverted"] += len(days)
        month = self.clock.month_of_day[days.astype(np.int64)]
        self.system["admissions_diverted"] += np.bincount(
            month[month >= 0], minlength=self.clock.months
        )

    def dataset(self) -> xr.Dataset:
        """The replication's outcomes as a Dataset over (month, practice, cohort)."""
        clock = self.clock
        values = self._values()
        data_vars = {}
        for name, outcome in OUTCOMES.items():
            array = np.asarray(values[name], dtype=float).reshape(
                (clock.months,) + tuple(self._sizes[d] for d in outcome.dims)
            )
            data_vars[name] = xr.Variable(
                ("month", *outcome.dims),
                array,
                attrs={"units": outcome.units, "long_name": outcome.long_name},
            )
        return xr.Dataset(data_vars, coords=self._coords())

    def _values(self) -> dict[str, np.ndarray]:
        """Every catalogued variable: the sums as added, means from their sums and counts."""
        clock, place = self.clock, self.place
        pk, system = self.pk, self.system
        values = dict(pk)
        if not self._registered_set:  # no stocks recorded: the place's list, every month
            values["registered_population"] = np.broadcast_to(
                place.registered, pk["cost"].shape
            ).astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            values["gp_wait_days"] = pk["gp_wait_days_sum"] / pk["gp_appointments"]
            values["gp_backlog"] = pk["gp_backlog"] / clock.working_days_in_month[:, None, None]
            values["ae_wait_hours"] = system["ae_time_hours"] / system["ae_departures"]
            values["ae_cubicle_wait_hours"] = (
                system["ae_cubicle_wait_sum_hours"] / system["ae_cubicle_starts"]
            )
        per_day = clock.days_in_month[:, None, None]
        for name in ("community_nursing_caseload", "community_nursing_waiting"):
            values[name] = pk[name] / per_day
        for name in (
            "bed_capacity",
            "stepdown_capacity",
            "ae_4h_breaches",
            "ae_12h_waits",
            "ae_left_without_being_seen",
            "ae_departures",
            "admissions_diverted",
        ):
            values[name] = system[name]
        values["hub_capacity"] = self.hub_slots.sum(axis=1)
        values["beds_occupied"] = pk["bed_days"].sum(axis=(1, 2)) / clock.days_in_month
        values.update(self.practice)
        values["population_by_age_sex"] = self.by_age_sex
        with np.errstate(invalid="ignore", divide="ignore"):
            heads = self.by_age_sex.sum(axis=(1, 2))
            values["population_share_65_plus"] = self.by_age_sex[:, :, 5:].sum(axis=(1, 2)) / heads
            values["population_share_4plus_conditions"] = self.heads[:, -1] / self.heads.sum(axis=1)
        return values

    def _coords(self) -> dict:
        """The part's coordinates: months, practices with their federation, list and locality."""
        clock, place = self.clock, self.place
        return {
            "month": ("month", clock.month_coordinate, {"long_name": "first day of the month"}),
            "practice": ("practice", place.practice_codes, {"long_name": "GP practice code"}),
            "cohort": ("cohort", list(COHORTS), {"long_name": "number of long-term conditions"}),
            "sex": ("sex", list(SEXES), {"long_name": "sex"}),
            "age_band": ("age_band", list(AGE_BANDS), {"long_name": "age band (years)"}),
            "federation": (
                "practice",
                place.federation_of_practice,
                {"long_name": "federation of the practice"},
            ),
            "list_size": (
                "practice",
                place.list_sizes,
                {"units": "persons", "long_name": "registered list size"},
            ),
            "locality": (
                "practice",
                place.locality_of_practice,
                {"long_name": "locality of the practice"},
            ),
        }
