"""Running aggregates: what the model measures, shaped as the cube will hold it.

Services report what happens (a day at the practices, a departure from A&E, a bed start) and the
collector adds it into arrays shaped ``[month, practice, cohort]`` or ``[month]`` at once; there is
never a per-event log, so memory does not grow with the number of patients. Warm-up months are
not reported, but every request still enters the run's *ledger*, whose totals account for every
patient from first request to where they ended.

What each variable is (dimensions, units, long name) is :mod:`simulate.model.outcomes`; what
general practice, the hubs and out-of-hours services report is
:class:`simulate.model.primary_reports.PrimaryCareReports`.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import xarray as xr

from simulate.inputs.categories import AGE_BANDS, COHORTS, SEXES
from simulate.model.clock import Clock
from simulate.model.outcomes import CENSUS, OUTCOMES, PK, STOCKS
from simulate.model.place import Place
from simulate.model.primary_reports import PrimaryCareReports

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


class Collector(PrimaryCareReports):
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
        self._enrolled_now = np.zeros((months, practices, len(COHORTS)))
        self.by_age_sex = np.zeros((months, len(SEXES), len(AGE_BANDS)))
        self.heads = np.zeros((months, len(COHORTS)))  # people by cohort, for the 4+ share
        self.hub_slots = np.zeros((months, len(set(place.federation_of_practice))))
        self.seven_day_slots = np.zeros_like(self.hub_slots)
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

    # acute trust: each call a batch (a month's arrivals, departures, admissions, moves)
    def ae_arrivals(self, times: np.ndarray, practice: np.ndarray, cohort: np.ndarray) -> None:
        """A batch of A&E arrivals (counted by arrival day), and those while practices are shut."""
        self.ledger.update(ae_attendances=len(times))
        day = times.astype(np.int64)
        month = self.clock.month_of_day[day]
        keep = month >= 0
        self._count("ae_attendances", month[keep], practice[keep], cohort[keep])
        closed = keep & self._shut(times)
        self._count("ae_attendances_out_of_hours", month[closed], practice[closed], cohort[closed])

    def _count(self, name: str, month, practice, cohort) -> None:
        """One more in ``name`` for each (month, practice, cohort), as one bincount.

        The sums are whole numbers, exact in any order, so this is what adding one at a time
        gives, bit for bit (and ten times faster than :func:`numpy.add.at`).
        """
        if len(month) == 0:
            return
        flat = self.pk[name].reshape(-1)  # a view: the arrays are contiguous
        index = np.ravel_multi_index((month, practice, cohort), self.pk[name].shape)
        low = int(index.min())
        counts = np.bincount(index - low)
        flat[low : low + len(counts)] += counts

    def _shut(self, times: np.ndarray) -> np.ndarray:
        """Whether each time (days) falls while practices are shut (18:30-08:00, closed days)."""
        day = times.astype(np.int64)
        hour = (times - day) * 24.0
        return ~self.clock.is_working_day[day] | (hour < 8.0) | (hour >= 18.5)

    def utc_attendances(self, times, practice, cohort) -> None:
        """A batch of arrivals streamed to the urgent treatment centre (by arrival day)."""
        self.ledger.update(utc_attendances=len(times))
        month = self.clock.month_of_day[times.astype(np.int64)]
        keep = month >= 0
        self._count("utc_attendances", month[keep], practice[keep], cohort[keep])

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
        self._count("emergency_admissions", *at)
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
        self._count("ae_minor_attendances", month[keep], practice[keep], cohort[keep])
        shut = keep & self._shut(times)
        at = (month[shut], practice[shut], cohort[shut])
        self._count("ae_minor_attendances_out_of_hours", *at)

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
        self._count("stepdown_admissions", *at)

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

    def electives_day(self, day: int, **values) -> None:
        """A day of the elective pathway, arrays [practice, cohort] by variable name.

        Flows enter the ledger by name; :data:`CENSUS` variables are tonight's patients in a
        stage (summed, they are patient-days), and names not in the catalogue only the ledger.
        """
        self.ledger.update(
            {name: int(np.sum(v)) for name, v in values.items() if name not in CENSUS}
        )
        m = self._month[day]
        if m >= 0:
            for name, value in values.items():
                if name in self.pk:
                    self.pk[name][m] += value

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

    def interventions(
        self, day: int, *, cost: np.ndarray, budget: np.ndarray, enrolled: dict | None = None
    ) -> None:
        """The month's running cost of interventions [practice, cohort] and capitated budgets.

        ``enrolled`` (:attr:`~simulate.model.levers.base.Effects.enrolled`): the case-managed
        cohort, whose share ``now`` of each cell's use attributes the cell's A&E attendances,
        admissions and bed days to them when the part is made.
        """
        m = self._month[day]
        if m >= 0:
            self.pk["intervention_cost"][m] += cost
            self.practice["capitated_budget"][m] = budget
            if enrolled is not None:
                self.pk["enrolled_persons"][m] = enrolled["persons"]
                self.pk["enrolled_hazard_share"][m] = enrolled["share"]
                self.pk["enrolled_admissions_year_before"][m] = enrolled["before"]
                self._enrolled_now[m] = enrolled["now"]

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
        for name in ("community_nursing_caseload", "community_nursing_waiting", *CENSUS[:2]):
            values[name] = pk[name] / per_day
        with np.errstate(invalid="ignore", divide="ignore"):
            values["elective_wait_days"] = pk["elective_wait_days_sum"] / pk["elective_admissions"]
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
        values["seven_day_capacity"] = self.seven_day_slots.sum(axis=1)
        values["beds_occupied"] = pk["bed_days"].sum(axis=(1, 2)) / clock.days_in_month
        values.update(self.practice)
        for name in ("ae_attendances", "emergency_admissions", "bed_days"):
            values[f"enrolled_{name}"] = pk[name] * self._enrolled_now
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
