"""What the mental-health services did, month by month: the cube's ``mh_*`` variables.

The mental-health tier (:mod:`simulate.model.tiers.mental_health`) reports its patients here in
batches; :class:`MentalHealthSums` adds them into month-shaped arrays (by the month a patient
arrived at A&E, or the days a bed was occupied) and turns them into variables with units and long
names. The mental-health trust joins the cube's ``provider`` coordinate beside the acute trusts
(``provider_kind = "mental_health"``): the acute ``provider_*`` variables are zero there (it has no
A&E of its own; a mean over nobody is NaN), and the ``provider_mh_*`` variables say what each
provider did for people in mental-health crisis. None of this enters ``cost`` or the acute
variables: a place without a mental-health trust has a cube exactly as before.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from simulate.inputs.categories import COHORTS
from simulate.model.outcomes import PK, Outcome

M, P = (), ("provider",)
MH_OUTCOMES: dict[str, Outcome] = {
    "mh_crisis_presentations": Outcome(PK, "attendances", "mental-health crisis presentations"),
    "mh_ae_wait_hours": Outcome(M, "hours", "mean time in A&E of crisis presentations that left"),
    "mh_ae_12h_waits": Outcome(M, "attendances", "crisis presentations over 12 hours in A&E"),
    "mh_liaison_assessments": Outcome(M, "assessments", "liaison psychiatry assessments in A&E"),
    "mh_liaison_wait_hours": Outcome(
        M, "hours", "mean wait from referral to a liaison psychiatry assessment"
    ),
    "mh_admissions": Outcome(M, "admissions", "admissions to local mental-health beds"),
    "mh_out_of_area_placements": Outcome(
        M, "placements", "admissions placed out of area, no local mental-health bed being free"
    ),
    "mh_bed_days": Outcome(M, "days", "local mental-health bed days occupied in the month"),
    "mh_out_of_area_bed_days": Outcome(M, "days", "out-of-area bed days in the month"),
    "mh_beds_occupied": Outcome(M, "beds", "time-weighted mean occupied mental-health beds"),
    "mh_bed_capacity": Outcome(M, "beds", "local mental-health beds"),
    "mh_cmht_need": Outcome(M, "persons", "people needing a community mental-health team"),
    "mh_cmht_caseload": Outcome(M, "persons", "people in a community mental-health team's care"),
    "mh_cost": Outcome(M, "GBP", "cost of local and out-of-area mental-health bed days"),
    "provider_mh_crisis_presentations": Outcome(
        P, "attendances", "crisis presentations at the provider's A&E"
    ),
    "provider_mh_ae_12h_waits": Outcome(
        P, "attendances", "crisis presentations over 12 hours in the provider's A&E"
    ),
    "provider_mh_liaison_wait_hours": Outcome(
        P, "hours", "mean wait for liaison psychiatry at the provider's A&E"
    ),
    "provider_mh_cost": Outcome(P, "GBP", "the provider's mental-health bed-day cost"),
}
_SUMS = ("ae_departures", "ae_time_hours", "liaison_wait_sum_hours")


class MentalHealthSums:
    """Monthly sums of the mental-health tier, [reported month] or [reported month, ...]."""

    def __init__(self, clock, practices: int, acute: list[str]):
        self.clock, self.acute = clock, acute
        months, trusts = clock.months, len(acute)
        self.presentations = np.zeros((months, practices, len(COHORTS)))
        names = [n for n, o in MH_OUTCOMES.items() if o.dims == M] + list(_SUMS)
        self.m = {name: np.zeros(months) for name in names}
        self.by_trust = {n: np.zeros((months, trusts)) for n in ("crisis", "12h", "wait", "seen")}
        self._bounds = clock.reported_boundaries.astype(float)
        self.cost_per_bed_day = np.zeros((months, 2))  # local, out of area (GBP), by month

    def _month(self, days: np.ndarray) -> np.ndarray:
        return self.clock.month_of_day[np.asarray(days).astype(np.int64)]

    def add(self, name: str, days: np.ndarray, weights=None) -> None:
        """Add ``weights`` (default 1 each) of events at ``days`` to their reported months."""
        month = self._month(days)
        keep = month >= 0
        w = None if weights is None else np.asarray(weights, dtype=float)[keep]
        self.m[name] += np.bincount(month[keep], w, minlength=self.clock.months)

    def spread(self, name: str, start: np.ndarray, end: np.ndarray) -> None:
        """Days from ``start`` to ``end`` (one entry a patient) added to their months."""
        bounds, start, end = self._bounds, start[:, None], end[:, None]
        days = np.clip(bounds[None, 1:], start, end) - np.clip(bounds[None, :-1], start, end)
        self.m[name] += days.sum(axis=0)

    def presented(self, times, practice, cohort, trust) -> None:
        """A batch of crisis presentations at A&E (by arrival day)."""
        month = self._month(times)
        keep = month >= 0
        np.add.at(self.presentations, (month[keep], practice[keep], cohort[keep]), 1)
        np.add.at(self.by_trust["crisis"], (month[keep], trust[keep]), 1)

    def assessed(self, arrived, referred, started, trust) -> None:
        """A batch of liaison assessments (times in days), by the patients' arrival months."""
        wait = (started - referred) * 24.0
        self.add("mh_liaison_assessments", arrived)
        self.add("liaison_wait_sum_hours", arrived, wait)
        month = self._month(arrived)
        keep = month >= 0
        np.add.at(self.by_trust["seen"], (month[keep], trust[keep]), 1)
        np.add.at(self.by_trust["wait"], (month[keep], trust[keep]), wait[keep])

    def left_ae(self, arrived, left, trust) -> None:
        """A batch of crisis presentations leaving A&E (days): their time in A&E."""
        hours = (left - arrived) * 24.0
        self.add("ae_departures", arrived)
        self.add("ae_time_hours", arrived, hours)
        self.add("mh_ae_12h_waits", arrived, hours > 12.0)
        month = self._month(arrived)
        keep = (month >= 0) & (hours > 12.0)
        np.add.at(self.by_trust["12h"], (month[keep], trust[keep]), 1)

    def admitted(self, times, stays, local) -> None:
        """A batch of admissions at ``times``: local beds, or out of area (``~local``)."""
        self.add("mh_admissions", times[local])
        self.add("mh_out_of_area_placements", times[~local])
        self.spread("mh_bed_days", times[local], times[local] + stays[local])
        self.spread("mh_out_of_area_bed_days", times[~local], times[~local] + stays[~local])

    def month(self, day: int, **values) -> None:
        """Values of the reported month of ``day`` (capacities, caseload, unit costs)."""
        m = self.clock.month_of_day[day]
        if m >= 0:
            for name, value in values.items():
                self.m[f"mh_{name}"][m] = value

    def dataset(self, code: str, name: str) -> xr.Dataset:
        """The ``mh_*`` variables, and the ``provider_mh_*`` over the acute trusts and ``code``."""
        s = dict(self.m)
        with np.errstate(invalid="ignore", divide="ignore"):
            s["mh_ae_wait_hours"] = s.pop("ae_time_hours") / s.pop("ae_departures")
            wait = s.pop("liaison_wait_sum_hours") / s["mh_liaison_assessments"]
            s["mh_liaison_wait_hours"] = wait
            by_trust = self.by_trust["wait"] / self.by_trust["seen"]
        s["mh_beds_occupied"] = s["mh_bed_days"] / self.clock.days_in_month
        local, away = self.cost_per_bed_day.T
        s["mh_cost"] = s["mh_bed_days"] * local + s["mh_out_of_area_bed_days"] * away
        s["mh_crisis_presentations"] = self.presentations
        zero = np.zeros((self.clock.months, 1))
        s["provider_mh_crisis_presentations"] = np.hstack([self.by_trust["crisis"], zero])
        s["provider_mh_ae_12h_waits"] = np.hstack([self.by_trust["12h"], zero])
        s["provider_mh_liaison_wait_hours"] = np.hstack([by_trust, zero + np.nan])
        acute_zero = np.zeros((self.clock.months, len(self.acute)))
        s["provider_mh_cost"] = np.hstack([acute_zero, s["mh_cost"][:, None]])
        data = {
            key: xr.Variable(
                ("month", *o.dims), s[key], {"units": o.units, "long_name": o.long_name}
            )
            for key, o in MH_OUTCOMES.items()
        }
        return xr.Dataset(data, coords={"provider": ("provider", [*self.acute, code])})


def with_provider(outcomes: xr.Dataset, code: str, name: str) -> xr.Dataset:
    """``outcomes`` with the mental-health trust ``code`` added to its ``provider`` coordinate.

    The acute ``provider_*`` counts are zero there and their means NaN (a mean over nobody).
    """
    if "provider" not in outcomes.dims:
        return outcomes
    codes = [*outcomes["provider"].values.tolist(), code]
    names = [*outcomes["provider_name"].values.tolist(), name]
    kinds = [*outcomes["provider_kind"].values.tolist(), "mental_health"]
    at = [v for v in outcomes.data_vars if "provider" in outcomes[v].dims]
    means = [v for v in at if outcomes[v].attrs.get("units") == "hours"]
    wider = (
        outcomes[at]
        .drop_vars(["provider_name", "provider_kind"])
        .reindex(provider=codes, fill_value=0.0)
    )
    for v in means:
        wider[v].loc[{"provider": code}] = np.nan
    out = outcomes.drop_vars([*at, "provider_name", "provider_kind"]).drop_dims("provider")
    out = out.merge(wider)
    out.coords["provider_name"] = ("provider", names, {"long_name": "provider"})
    out.coords["provider_kind"] = ("provider", kinds, {"long_name": "kind of provider"})
    return out
