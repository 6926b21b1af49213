"""The mean-field mode (``icsim run --mode sd``): the same stocks, expected flows for events.

Every random count of the hybrid engine is replaced by its expectation and every queue by its
fluid limit, on the same daily calendar and the same monthly coupling with
:mod:`simulate.model.stocks.dynamics`, so one deterministic replication sketches 10–20 years in
seconds:

- **general practice**: the same appointment book as :mod:`simulate.model.tiers.practice`, with
  real-valued counts: each working day's expected requests join the backlog, the day's expected
  slots (``FTE × appointments per FTE-day``, not whole slots) serve the oldest first, and what
  reaches its tolerance leaves, split to hub, A&E and giving up by the leaver shares;
- **hub**: each federation sees ``min(1, slots / referrals)`` of the day's referrals;
- **A&E**: arrivals at their expected rate; time in A&E is treatment plus the Erlang C wait for a
  cubicle (M/M/c at the month's arrival rate and mean treatment time); the 4-hour breach share is
  that of treatment plus that wait;
- **beds and step-down beds**: infinite-server (M/G/∞) expected occupancy: each day's expected
  admissions by age band and cohort, convolved with the length-of-stay survival function (and,
  for step-down, with the time to fitness and the step-down stay). No boarding, diversion or
  delayed discharge: where beds are near full, the hybrid run's queues are not represented;
- **district nursing**: the caseload's fluid balance (admissions up to capacity, discharge at
  ``1 / episode days`` a day).

Where the event engine's queues are congested the fluid limit is biased (``E[min(X, c)] <
min(E[X], c)``); docs/explanation/feedback-loops.md reports which variables agree with the hybrid
replication means and which do not.
"""

from __future__ import annotations

import json
import math
import time

import numpy as np
import xarray as xr

from simulate.inputs.scenario import Scenario
from simulate.model.clock import Clock
from simulate.model.place import Place
from simulate.model.replication import _add_cost, _Economy
from simulate.model.streams import Streams

MEAN_FIELD_CHANGES = ("dynamics.", "practice.", "hub.", "leavers.", "costs.")
"""Keys whose [[changes]] the mean field follows month by month; it tabulates the rest (demand's
admission chances, acute stays, community episodes) once, at the start."""
KERNEL_DAYS = 400
"""Longest stay (days) the occupancy kernels follow; longer stays are cut there."""
SAMPLES = 50_000
"""Draws (from a fixed seed) that tabulate each length-of-stay kernel."""


def run_mean_field(
    scenario: Scenario, place: Place, clock: Clock, timings: dict | None = None
) -> xr.Dataset:
    """One deterministic replication with expected flows; the same variables as the hybrid run."""
    began = time.perf_counter()
    model = MeanField(scenario, place, clock)
    for first, end in zip(clock.boundaries[:-1].tolist(), clock.boundaries[1:].tolist()):
        model.month(first, end)
    outcomes = model.outcomes()
    if timings is not None:
        timings.update(
            total_seconds=time.perf_counter() - began, dynamics_seconds=model.dynamics_seconds
        )
    return outcomes


def erlang_c(arrivals: float, service: float, servers: int) -> tuple[float, float]:
    """``(P(wait), mean wait)`` of M/M/c: ``arrivals`` per unit time, mean ``service`` time."""
    load = arrivals * service
    if load >= servers:
        return 1.0, math.inf
    term, total = 1.0, 1.0
    for k in range(1, servers):
        term *= load / k
        total += term
    last = term * load / servers / (1 - load / servers)
    p_wait = last / (total + last)
    return p_wait, p_wait * service / (servers - load)


def _day_kernel(ends: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Mean occupancy of each day ``j`` by intervals ``[start, end)`` (days after admission).

    A day's occupancy is ``E[clip(end - j, 0, 1)] - E[clip(start - j, 0, 1)]``, counted in one
    pass with ``bincount`` (whole days reached, and the fraction of the last one).
    """

    def reached(t: np.ndarray) -> np.ndarray:
        t = np.minimum(t, KERNEL_DAYS - 1e-9)
        whole = t.astype(np.int64)
        count = np.bincount(whole, minlength=KERNEL_DAYS)
        part = np.bincount(whole, weights=t - whole, minlength=KERNEL_DAYS)
        beyond = count[::-1].cumsum()[::-1] - count  # reached past day j
        return (beyond + part) / len(t)

    return reached(ends) - reached(starts)


class MeanField(_Economy):
    """The economy of :class:`~simulate.model.replication._Economy` with expected flows."""

    def __init__(self, scenario: Scenario, place: Place, clock: Clock):
        super().__init__(scenario, place, clock, Streams(0, 0))
        spec, rates = self.spec, self.rates
        shape = self.registered.shape
        self.book = np.zeros((len(place.practice_codes), self.practice.span, shape[1], 2))
        self.pending_hub = np.zeros(shape)
        self.pending_ae = np.zeros(shape)
        self.caseload = np.zeros(shape)
        self.waiting = np.zeros(shape)
        acute = spec.acute
        minor = rates.minor_share
        self.admit_background = (1 - minor)[:, None] * rates.admit_if_not_minor  # [age, cohort]
        self.admit_gp = (1 - acute.gp_origin_minor_share) * rates.admit_if_not_minor
        # length-of-stay kernels by (age, cohort), tabulated once from a fixed seed
        rng = np.random.default_rng(20240601)
        stay = acute.length_of_stay_days.sample(rng, SAMPLES)
        stepdown = acute.stepdown_stay_days.sample(rng, SAMPLES)
        trim = spec.costs.trim_point_days
        ages, cohorts = rates.stay_ratio.shape
        self.bed_kernel = np.zeros((ages, cohorts, KERNEL_DAYS))
        self.stepdown_kernel = np.zeros((ages, cohorts, KERNEL_DAYS))
        self.excess = np.zeros((ages, cohorts))
        start = np.full(SAMPLES, 0.5)  # admitted, on average, half way through the day
        for a in range(ages):
            for k in range(cohorts):
                los = stay * rates.stay_ratio[a, k]
                self.bed_kernel[a, k] = _day_kernel(start + los, start)
                self.stepdown_kernel[a, k] = _day_kernel(start + los + stepdown, start + los)
                self.excess[a, k] = np.maximum(los - trim, 0).mean()
        self.stepdown_share = np.asarray(acute.stepdown_share_by_age)
        longest = int(np.diff(clock.boundaries).max())
        self.fft_size = size = 1 << int(np.ceil(np.log2(longest + KERNEL_DAYS)))
        self.bed_hat = np.fft.rfft(self.bed_kernel, n=size, axis=2).transpose(2, 0, 1)
        stepdown_kernel = self.stepdown_kernel * self.stepdown_share[:, None, None]
        self.sd_hat = np.fft.rfft(stepdown_kernel, n=size, axis=2).transpose(2, 0, 1)
        horizon = clock.days + KERNEL_DAYS
        self.beds_ahead = np.zeros((horizon,) + shape)
        self.stepdown_ahead = np.zeros((horizon,) + shape)
        self.treatment_days = acute.treatment_hours.mean / 24
        self.treatment_samples = acute.treatment_hours.sample(rng, SAMPLES)
        self.last_beds_occupied = 0.0

    def beds_occupied_now(self) -> float:
        """Expected occupied beds at the end of the last month simulated."""
        return self.last_beds_occupied

    def month(self, first: int, end: int) -> None:
        """Days ``first`` to ``end - 1`` with expected flows, then the month's acute care."""
        clock, collector = self.clock, self.collector
        self._enter_month(first)  # phased changes (see MEAN_FIELD_CHANGES)
        spec = self.spec
        self._couple(first)
        places = self.place.spec
        collector.capacities(
            first, beds=self.trust.beds.capacity, stepdown_beds=places.community.stepdown_beds
        )
        days = end - first
        collector.outpatients(
            first,
            attendances=self.outpatient_rate * days,
            referrals=self.referral_rate * days,
        )
        visits_per_day = spec.community.nursing_visits_per_week / 7.0
        capacity = places.community.nursing_caseload
        discharge = min(1.0, 1.0 / spec.community.nursing_episode_days)
        share = spec.demand.same_day_share
        sent_to_ae = np.zeros((days,) + self.registered.shape)
        for day in range(first, end):
            sent_to_ae[day - first] = self._fluid_hub_day(day)
            self.caseload -= self.caseload * discharge
            self.waiting += self.nursing_rate
            room = max(capacity - self.caseload.sum(), 0.0)
            wanting = self.waiting.sum()
            admitted = self.waiting * (min(1.0, room / wanting) if wanting > 0 else 0.0)
            self.waiting -= admitted
            self.caseload += admitted
            collector.community_day(
                day,
                referrals=self.nursing_rate,
                admitted=admitted,
                caseload=self.caseload,
                waiting=self.waiting,
                contacts=self.caseload * visits_per_day,
            )
            if clock.is_working_day[day]:
                requests = self.request_rate
                arrivals = np.stack([requests * share, requests * (1 - share)], axis=-1)
                self._fluid_practice_day(day, requests, arrivals)
        self._acute_month(first, end, sent_to_ae)

    def _fluid_hub_day(self, day: int) -> np.ndarray:
        """Yesterday's referrals at the hubs, seen up to each hub's expected slots."""
        slots = self.hub_slot_rate
        seen = self.pending_hub.copy()
        for members, capacity in zip(self.hub.members, slots):
            wanting = self.pending_hub[members].sum()
            if wanting > capacity:
                seen[members] *= capacity / wanting
        overflow = self.pending_hub - seen
        self.collector.hub_day(day, seen=seen, overflow=overflow, slots=slots)
        to_ae = self.pending_ae + overflow
        self.pending_hub = np.zeros_like(self.pending_hub)
        self.pending_ae = np.zeros_like(self.pending_ae)
        return to_ae

    def _fluid_practice_day(self, day: int, requests: np.ndarray, arrivals: np.ndarray) -> None:
        """One working day of every practice's book, in expected counts."""
        w, span, book = self.working_day, self.practice.span, self.book
        slots = self.gp_slot_rate
        book[:, w % span] = arrivals
        ages = self.practice._ages_oldest_first
        order = (w - ages) % span
        queue = book[:, order]
        per_age = queue.sum(axis=(2, 3))
        before = np.cumsum(per_age, axis=1) - per_age
        take = np.clip(slots[:, None] - before, 0, per_age)
        with np.errstate(invalid="ignore", divide="ignore"):
            fraction = np.where(per_age > 0, take / per_age, 0.0)
        served = queue * fraction[:, :, None, None]
        book[:, order] = queue - served
        per_age_cohort = served.sum(axis=3)
        leavers = np.zeros(self.registered.shape)
        for kind, tolerance in enumerate(self.practice.tolerances):
            slot = (w - tolerance) % span
            leavers += book[:, slot, :, kind]
            book[:, slot, :, kind] = 0
        to_hub, to_ae, _ = (leavers * s for s in self.leaver_split)
        self.pending_hub, self.pending_ae = to_hub, to_ae
        self.month_requests += requests.sum(axis=1)
        self.month_slots += slots
        self.collector.gp_day(
            day,
            requests=requests,
            served=per_age_cohort.sum(axis=1),
            wait_sum=np.einsum("pak,a->pk", per_age_cohort, ages),
            backlog=book.sum(axis=(1, 3)),
            slots=slots,
            to_hub=to_hub,
            to_ae=to_ae,
            abandoned=leavers - to_hub - to_ae,
        )
        self.working_day += 1

    def _acute_month(self, first: int, end: int, sent_to_ae: np.ndarray) -> None:
        """Expected A&E attendances, admissions and bed occupancy of the month."""
        days = end - first
        m = self.collector.month(first)
        acute = self.spec.acute
        weights_bg = self.ae_age_weights / np.maximum(
            self.ae_age_weights.sum(axis=1, keepdims=True), 1e-300
        )
        weights_gp = self.gp_age_weights / np.maximum(
            self.gp_age_weights.sum(axis=1, keepdims=True), 1e-300
        )
        background = self.ae_rate  # per day [practice, cohort]
        from_gp = sent_to_ae  # [day, practice, cohort]
        # admissions per day by [day, practice, age, cohort]
        admitted = (
            background[None, :, None, :] * weights_bg[None] * self.admit_background[None, None]
            + from_gp[:, :, None, :] * weights_gp[None] * self.admit_gp[None, None]
        )
        minor = (
            background * np.einsum("pak,a->pk", weights_bg, self.rates.minor_share) * days
            + from_gp.sum(axis=0) * acute.gp_origin_minor_share
        )
        arrivals = background * days + from_gp.sum(axis=0)
        # occupancy ahead: every (age, cohort)'s admissions convolved with its kernel, at once
        size = self.fft_size
        spectrum = np.fft.rfft(admitted, n=size, axis=0)  # [frequency, practice, age, cohort]
        reach = min(size, len(self.beds_ahead) - first)
        for ahead, kernel in ((self.beds_ahead, self.bed_hat), (self.stepdown_ahead, self.sd_hat)):
            occupied = np.fft.irfft(np.einsum("fpak,fak->fpk", spectrum, kernel), n=size, axis=0)
            ahead[first : first + reach] += occupied[:reach]
        self.last_beds_occupied = float(self.beds_ahead[end - 1].sum())
        if m < 0:
            return
        pk, system = self.collector.pk, self.collector.system
        total = float(arrivals.sum())
        pk["ae_attendances"][m] = arrivals
        pk["ae_minor_attendances"][m] = minor
        by_cell = admitted.sum(axis=0)  # [practice, age, cohort]
        pk["emergency_admissions"][m] = by_cell.sum(axis=1)
        pk["excess_bed_days"][m] = np.einsum("pak,ak->pk", by_cell, self.excess)
        pk["stepdown_admissions"][m] = np.einsum("pak,a->pk", by_cell, self.stepdown_share)
        pk["bed_days"][m] = self.beds_ahead[first:end].sum(axis=0)
        pk["stepdown_bed_days"][m] = self.stepdown_ahead[first:end].sum(axis=0)
        cubicles = self.place.spec.trust.ae_cubicles
        p_wait, wait = erlang_c(total / days, self.treatment_days, cubicles)
        rate = cubicles / self.treatment_days - total / days  # of the wait's exponential tail
        hours = self.treatment_samples
        tail = np.exp(-np.maximum(4.0 - hours, 0.0) / 24.0 * rate) if math.isfinite(wait) else 1.0
        breach = (1 - p_wait) * np.mean(hours > 4.0) + p_wait * np.mean(
            np.where(hours > 4, 1, tail)
        )
        system["ae_departures"][m] = total
        system["ae_time_hours"][m] = total * (self.treatment_days + wait) * 24.0
        system["ae_cubicle_wait_sum_hours"][m] = total * wait * 24.0
        system["ae_cubicle_starts"][m] = total
        system["ae_4h_breaches"][m] = total * breach

    def outcomes(self) -> xr.Dataset:
        """The replication's cube part (expected values), costed."""
        outcomes = self.collector.dataset()
        _add_cost(outcomes, self.month_costs, self.hub, self.collector.hub_slots, self.registered)
        outcomes.attrs["ledger"] = json.dumps({"mode": "sd"})
        return outcomes
