"""The acute trust in expected flows (the mean-field mode's implementation of the trust tier).

- **A&E**: arrivals at their expected rate; time in A&E is treatment plus the Erlang C wait for a
  cubicle (M/M/c at the month's arrival rate and mean treatment time); the 4-hour breach share is
  that of treatment plus that wait;
- **beds and step-down beds**: infinite-server (M/G/∞) expected occupancy: each day's expected
  admissions by age band and cohort, convolved with the length-of-stay survival function (and,
  for step-down, with the time to fitness and the step-down stay). Where beds are near full,
  admitted patients board in A&E cubicles (the overflow of the Poisson occupancy,
  :mod:`simulate.model.tiers.queues`), lengthening the cubicles' holding time and the time in
  A&E, or are diverted (Erlang B); patients who leave A&E unseen are not admitted; patients
  fit for a full step-down bed stay in their acute bed (the same overflow, delayed transfers).

With several acute trusts each trust's expected arrivals and admissions are its catchment's
share of every practice's (:func:`simulate.inputs.catchment.catchment_shares`, emergency line),
and each trust's A&E is its own queue at its own cubicles; bed occupancy, an infinite-server
expectation, is linear in admissions, so each trust's is its share of every practice's
(:mod:`simulate.model.tiers.fluid_providers`). With one trust the shares are ones and every
number is what it was before catchments existed, bit for bit.

Where the event engine's queues are congested the fluid limit is biased (``E[min(X, c)] <
min(E[X], c)``); docs/explanation/feedback-loops.md reports which variables agree with the hybrid
replication means and which do not.
"""

from __future__ import annotations

import math

import numpy as np

from simulate.inputs.catchment import catchment_shares
from simulate.model.providers import ProviderSums
from simulate.model.tiers.acute import Beds
from simulate.model.tiers.fluid_providers import by_trust, open_by_beds, record
from simulate.model.tiers.month import Month
from simulate.model.tiers.queues import boarders, delayed_transfers, erlang_a, erlang_b, erlang_c
from simulate.model.tiers.utc import expected

KERNEL_DAYS = 400
"""Longest stay (days) the occupancy kernels follow; longer stays are cut there."""
SAMPLES = 50_000
"""Draws (from a fixed seed) that tabulate each length-of-stay kernel."""


def day_kernel(ends: np.ndarray, starts: np.ndarray) -> np.ndarray:
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


def closed_shares(month: Month, clock, sent_to_ae, sent_ooh) -> np.ndarray:
    """Expected A&E attendances [practice, cohort] arriving while practices are closed.

    Background arrivals by the weekday and hour profiles (closed: not a working day, or before
    08:00 or from 18:30); those sent by general practice in their window (08:00-22:00, closed
    after 18:30 on a working day); out-of-hours need, always.
    """
    acute, first, end = month.spec.acute, month.first, month.end
    working = clock.is_working_day[first:end]
    hours = (
        np.full(24, 1 / 24) if acute.arrival_share_by_hour is None else acute.arrival_share_by_hour
    )
    hours = np.asarray(hours, dtype=float)
    after = hours[:8].sum() + hours[19:].sum() + hours[18] / 2  # shut hours of a working day
    day = np.ones(end - first)
    if acute.arrival_share_by_weekday is not None:
        day = np.asarray(acute.arrival_share_by_weekday)[clock.weekday[first:end]]
    day = day / day.sum()
    shut = float(np.sum(day * np.where(working, after, 1.0)))
    background = month.demand.ae_attendances * (1 - acute.after_failed_primary_care_share)
    opens, closes = acute.gp_arrival_window_hours
    late = max(0.0, closes - max(opens, 18.5)) / (closes - opens)
    from_gp = np.einsum("d,dpk->pk", np.where(working, late, 1.0), sent_to_ae)
    return background * month.days * shut + from_gp + sent_ooh.sum(axis=0)


def _all_arrivals_by_hour_of_week(spec) -> np.ndarray:
    """Shares of *all* A&E arrivals in each of the week's 168 hours, which the cubicles see.

    The day's profile is the published one where the scenario gives it
    (``access.need_share_by_hour``), else the background's (uniform without either), the routed
    arrivals then taken to come alike; each day of the week takes its share of arrivals
    (``acute.arrival_share_by_weekday``, uniform without it), as the event trust's do.
    """
    hours = spec.access.need_share_by_hour or spec.acute.arrival_share_by_hour
    hours = np.full(24, 1 / 24) if hours is None else np.asarray(hours, dtype=float)
    days = spec.acute.arrival_share_by_weekday
    days = np.full(7, 1 / 7) if days is None else np.asarray(days, dtype=float)
    return np.outer(days / days.sum(), hours / hours.sum()).ravel()


class FluidAcute:
    """A&E, beds and step-down beds in expected flows, a month at a time."""

    def __init__(self, place, spec, rates, clock, collector):
        acute = spec.acute
        self.collector = collector
        trusts = place.spec.acute_trusts
        self.cubicles = [t.ae_cubicles for t in trusts]
        self.beds = [Beds(t.beds) for t in trusts]
        self.emergency = catchment_shares(place.spec, "emergency")  # [practice, trust]
        self.outpatients = catchment_shares(place.spec, "outpatients")
        self.sums = ProviderSums(clock, trusts)
        self.stepdown_beds = place.spec.community.stepdown_beds
        minor = rates.minor_share
        self.admit_background = (1 - minor)[:, None] * rates.admit_if_not_minor  # [age, cohort]
        self.admit_gp = (1 - acute.gp_origin_minor_share) * rates.admit_if_not_minor
        rng = np.random.default_rng(20240601)  # the kernels' draws, fixed for every run
        self._kernels(acute, rates, spec.costs.trim_point_days, clock, rng)
        horizon = clock.days + KERNEL_DAYS
        shape = place.registered.shape
        self.beds_ahead = np.zeros((horizon,) + shape)
        self.stepdown_ahead = np.zeros((horizon,) + shape)
        self.treatment_days = acute.treatment_hours.mean / 24
        self.treatment_samples = acute.treatment_hours.sample(rng, SAMPLES)
        # treatment's survival by whole hours since arrival (the modified offered load's kernel),
        # and the Allen-Cunneen factor of its variability
        self.lags = np.arange(48)
        hours_in = np.clip(self.treatment_samples[None, :] - self.lags[:, None], 0.0, 1.0)
        self.still_treated = hours_in.mean(axis=1)  # sums to the mean treatment time
        mean = self.treatment_samples.mean()
        self.allen_cunneen = (1 + self.treatment_samples.var() / mean**2) / 2
        # 1,000 quantiles of treatment for the breach tails, each hour of the week (50,000 draws
        # took two thirds of a decade's time once the cycle was the week's 168 hours); the
        # shares treated beyond 4 and 12 hours from all the draws (the grid's last point is short)
        self.treatment_grid = np.quantile(self.treatment_samples, (np.arange(1000) + 0.5) / 1000)
        self.beyond = {h: float(np.mean(self.treatment_samples > h)) for h in (4.0, 12.0)}
        patience = acute.ae_patience_hours
        self.patience_days = None if patience is None else patience.mean / 24
        self.beds_occupied = 0.0
        self.divert = acute.when_no_bed == "divert"

    def _kernels(self, acute, rates, trim: float, clock, rng) -> None:
        """Length-of-stay kernels by (age, cohort), tabulated once, and their spectra."""
        stay = acute.length_of_stay_days.sample(rng, SAMPLES)
        stepdown = acute.stepdown_stay_days.sample(rng, SAMPLES)
        ages, cohorts = rates.stay_ratio.shape
        bed_kernel = np.zeros((ages, cohorts, KERNEL_DAYS))
        stepdown_kernel = np.zeros((ages, cohorts, KERNEL_DAYS))
        self.excess = np.zeros((ages, cohorts))
        start = np.full(SAMPLES, 0.5)  # admitted, on average, half way through the day
        for a in range(ages):
            for k in range(cohorts):
                los = stay * rates.stay_ratio[a, k]
                bed_kernel[a, k] = day_kernel(start + los, start)
                stepdown_kernel[a, k] = day_kernel(start + los + stepdown, start + los)
                self.excess[a, k] = np.maximum(los - trim, 0).mean()
        self.stepdown_share = np.asarray(acute.stepdown_share_by_age)
        longest = int(np.diff(clock.boundaries).max())
        self.fft_size = size = 1 << int(np.ceil(np.log2(longest + KERNEL_DAYS)))
        self.bed_hat = np.fft.rfft(bed_kernel, n=size, axis=2).transpose(2, 0, 1)
        stepdown_kernel = stepdown_kernel * self.stepdown_share[:, None, None]
        self.sd_hat = np.fft.rfft(stepdown_kernel, n=size, axis=2).transpose(2, 0, 1)

    def open_beds(self, beds: float) -> None:
        """Beds opened by investment this month (the stocks' bed pipeline), by share of beds."""
        open_by_beds(self.beds, beds)

    def enter(self, month: Month) -> None:
        """The month's bed capacities on record, in all and at each trust.

        Outpatients are the electives tier's.
        """
        first = month.first
        self.collector.capacities(first, beds=self._capacity(), stepdown_beds=self.stepdown_beds)
        for i, beds in enumerate(self.beds):
            self.sums.month(first, i, bed_capacity=beds.capacity)

    def _capacity(self) -> int:
        """Beds open at all the trusts."""
        return sum(b.capacity for b in self.beds)

    def run(self, month: Month, sent_to_ae: np.ndarray, sent_ooh: np.ndarray) -> None:
        """Expected A&E attendances, admissions and bed occupancy of the month.

        The fluid trust queues without hours; it counts the attendances that arrive while
        practices are closed from each stream's expected hours (:func:`closed_shares`). The
        month's admissions first meet the bed queue (:meth:`_beds_queue`), whose boarders hold
        cubicles; A&E's queue then says who leaves unseen, and only those seen are admitted.
        """
        closed = closed_shares(month, self.collector.clock, sent_to_ae, sent_ooh)
        sent_to_ae = sent_to_ae + sent_ooh
        first, end, days = month.first, month.end, month.days
        admitted, minor, arrivals = self._arrivals(month, sent_to_ae)
        at_utc, at_utc_shut = expected(minor, month, self.collector.clock)  # not A&E's
        # minor attendances while practices are shut: at the shut share of all attendances
        shut = np.divide(closed, arrivals, out=np.zeros_like(closed), where=arrivals > 0)
        minor_shut = (minor - at_utc) * shut
        minor, arrivals, closed = minor - at_utc, arrivals - at_utc, closed - at_utc_shut
        occupied = self._convolve(admitted)
        sd_now = self.stepdown_ahead[first:end] + occupied[1][:days]
        delayed = delayed_transfers(sd_now, self.stepdown_beds, self._capacity())
        occupied[0][:days] += delayed  # in acute beds, waiting for a step-down bed
        boarders, kept_by_trust = self._beds_queue(first, days, admitted, occupied[0])
        by_hour = _all_arrivals_by_hour_of_week(month.spec)
        at = by_trust(arrivals, self.emergency)  # [trust, practice, cohort]
        times = [
            self._ae_times(float(a.sum()), days, by_hour, cubicles, lq)
            for a, cubicles, lq in zip(at, self.cubicles, boarders)
        ]
        seen = np.array(
            [1 - t["ae_left_without_being_seen"] / max(t["ae_departures"], 1e-300) for t in times]
        )
        kept = self.emergency @ (seen * kept_by_trust)  # [practice]: seen and given a bed
        self._occupy(first, [o * kept[None, :, None] for o in occupied])
        self.beds_occupied = float(self.beds_ahead[end - 1].sum())
        m = self.collector.month(first)
        if m < 0:
            return
        by_cell = admitted.sum(axis=0) * kept[:, None, None]  # [practice, age, cohort]
        excess = np.einsum("pak,ak->pk", by_cell, self.excess)
        bed_days = self.beds_ahead[first:end].sum(axis=0)
        record(self.sums, m, self.emergency, times, by_cell.sum(axis=1), excess, bed_days)
        self.collector.expected(
            m,
            ae_attendances=arrivals,
            ae_attendances_out_of_hours=closed,
            ae_minor_attendances=minor,
            ae_minor_attendances_out_of_hours=minor_shut,
            utc_attendances=at_utc,
            emergency_admissions=by_cell.sum(axis=1),
            excess_bed_days=excess,
            stepdown_admissions=np.einsum("pak,a->pk", by_cell, self.stepdown_share),
            bed_days=bed_days,
            stepdown_bed_days=self.stepdown_ahead[first:end].sum(axis=0),
            **{k: sum(t[k] for t in times) for k in times[0]},
        )

    def _beds_queue(self, first: int, days: int, admitted, occupied) -> tuple:
        """Each trust's mean boarders and the share of its admissions that get a bed.

        Each day's offered load is the infinite-bed occupancy (what was already in beds plus
        the month's ``occupied``, before anyone is turned away); the day's queue is the
        overflow of a Poisson occupancy at that load (:mod:`simulate.model.tiers.queues`),
        a single pass (the load is not lowered by those who then leave unseen). Boarding keeps
        every admission (they wait); diversion loses the Erlang B share of them.
        """
        shares = self.emergency
        load = (self.beds_ahead[first : first + days] + occupied[:days]).sum(axis=2) @ shares
        per_day = admitted.sum(axis=(2, 3)) @ shares  # [day, trust]
        trusts = range(len(self.beds))
        if self.divert:
            blocked = [erlang_b(load[:, t], self.beds[t].capacity) for t in trusts]
            kept = [
                1 - (b * per_day[:, t]).sum() / max(per_day[:, t].sum(), 1e-300)
                for t, b in zip(trusts, blocked)
            ]
            return [0.0 for _ in trusts], np.array(kept)
        waiting = [
            float(boarders(load[:, t], self.beds[t].capacity, self.cubicles[t]).mean())
            for t in trusts
        ]
        return waiting, np.ones(len(self.beds))

    def _arrivals(self, month: Month, sent_to_ae: np.ndarray) -> tuple:
        """Admissions per [day, practice, age, cohort], and minor and all arrivals [p, k]."""
        demand, days = month.demand, month.days
        weights_bg = demand.ae_age_weights / np.maximum(
            demand.ae_age_weights.sum(axis=1, keepdims=True), 1e-300
        )
        weights_gp = demand.gp_age_weights / np.maximum(
            demand.gp_age_weights.sum(axis=1, keepdims=True), 1e-300
        )
        # per day [practice, cohort]: the rate not from primary-care need the tiers route
        background = demand.ae_attendances * (1 - month.spec.acute.after_failed_primary_care_share)
        from_gp = sent_to_ae  # [day, practice, cohort]
        admitted = (
            background[None, :, None, :] * weights_bg[None] * self.admit_background[None, None]
            + from_gp[:, :, None, :] * weights_gp[None] * self.admit_gp[None, None]
        )
        minor = (
            background * np.einsum("pak,a->pk", weights_bg, month.rates.minor_share) * days
            + from_gp.sum(axis=0) * month.spec.acute.gp_origin_minor_share
        )
        arrivals = background * days + from_gp.sum(axis=0)
        return admitted, minor, arrivals

    def _convolve(self, admitted: np.ndarray) -> list[np.ndarray]:
        """Occupancy ahead of beds and step-down beds [day, practice, cohort] from ``admitted``.

        Every (age, cohort)'s admissions convolved with its kernel at once.
        """
        size = self.fft_size
        spectrum = np.fft.rfft(admitted, n=size, axis=0)  # [frequency, practice, age, cohort]
        return [
            np.fft.irfft(np.einsum("fpak,fak->fpk", spectrum, kernel), n=size, axis=0)
            for kernel in (self.bed_hat, self.sd_hat)
        ]

    def _occupy(self, first: int, occupied: list[np.ndarray]) -> None:
        """Add the month's admissions' occupancy ahead (:meth:`_convolve`) to the beds'."""
        reach = min(self.fft_size, len(self.beds_ahead) - first)
        for ahead, more in zip((self.beds_ahead, self.stepdown_ahead), occupied):
            ahead[first : first + reach] += more[:reach]

    def _ae_times(
        self, total: float, days: int, by_hour, cubicles: int, boarders: float = 0.0
    ) -> dict[str, float]:
        """Time in A&E and 4-hour breaches of ``total`` arrivals: treatment plus a cubicle wait.

        Arrivals vary over the week (``by_hour``, shares of the week's 168 hours), so each hour's
        wait is that of an M/G/c queue at the hour's *modified offered load* (the mean number in
        treatment of an infinite-server queue fed by the time-varying arrivals, Jennings,
        Mandelbaum, Massey and Whitt, Management Science 1996), from Erlang C (or A) with the
        Allen-Cunneen factor ``(1 + cv²) / 2`` for treatment times that are not exponential;
        weighted by arrivals: the pointwise stationary approximation over a weekly cycle, so a
        busy Monday queues as one. ``boarders``, the mean number of admitted patients holding a
        cubicle while they wait for a bed (:func:`~simulate.model.tiers.queues.boarders`),
        lengthen the cubicles' mean holding time by their share of it (Little's law) and add to
        time in A&E; the breach shares and the Allen-Cunneen factor are treatment's alone.
        """
        shares = np.asarray(by_hour, dtype=float)
        per_hour = total / days * len(shares) / 24 * shares  # arrivals in each hour of the cycle
        cycle = len(shares)
        load = np.array(
            [per_hour[(h - self.lags) % cycle] @ self.still_treated for h in range(cycle)]
        )
        boarding = boarders * days / total if total > 0 else 0.0  # days boarded per arrival
        holding = self.treatment_days + boarding
        wait = breach = long = gone = 0.0
        for share, offered in zip(shares, load + boarders):
            hour = self._erlang(offered / holding, cubicles, holding)
            wait, breach = wait + share * hour[0], breach + share * hour[1]
            long, gone = long + share * hour[2], gone + share * hour[3]
        return {
            "ae_departures": total,
            "ae_time_hours": total * ((1 - gone) * holding + wait) * 24.0,
            "ae_cubicle_wait_sum_hours": total * wait * 24.0,
            "ae_cubicle_starts": total * (1 - gone),
            "ae_4h_breaches": total * breach,
            "ae_12h_waits": total * long,
            "ae_left_without_being_seen": total * gone,
        }

    def _erlang(self, per_day: float, cubicles: int, holding: float) -> tuple:
        """Mean wait (days) for a cubicle, the 4- and 12-hour shares and the share leaving unseen.

        Without patience, Erlang C; with it, Erlang A (exponential patience of the same mean), the
        wait of those who wait taken as exponential for the 4- and 12-hour tails. ``holding`` is
        a cubicle's mean holding time (days): treatment, and boarding where beds are full.
        """
        hours = self.treatment_grid
        if self.patience_days is None:
            p_wait, wait = erlang_c(per_day, holding, cubicles)
            wait, gone = wait * self.allen_cunneen, 0.0
            rate = cubicles / holding - per_day  # of the wait's exponential tail
        else:
            patience = self.patience_days
            p_wait, wait, gone = erlang_a(per_day, holding, cubicles, patience)
            wait *= self.allen_cunneen
            rate = p_wait / wait if wait > 0 else math.inf
        shares = []
        for limit in (4.0, 12.0):
            if not math.isfinite(wait):
                tail = 1.0
            else:
                tail = np.exp(-np.maximum(limit - hours, 0.0) / 24.0 * rate)
            # treated beyond the limit anyway, or within it and waiting long enough to pass it
            shares.append(self.beyond[limit] + p_wait * np.mean(np.where(hours > limit, 0, tail)))
        return wait, shares[0], shares[1], gone

    def close(self) -> tuple[float, int]:
        """Expected beds occupied at the month's end and beds open, at all the trusts."""
        return self.beds_occupied, self._capacity()

    @property
    def census_variance(self) -> float:
        """The true census about the expected one :meth:`close` reports: Poisson (M/G/inf)."""
        return self.beds_occupied

    def ledger(self) -> dict[str, int]:
        """The fluid trust keeps no patients to account for."""
        return {}
