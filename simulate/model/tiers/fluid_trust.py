"""The acute trust in expected flows (the mean-field mode's implementation of the trust tier).

- **A&E**: arrivals at their expected rate, placed in the week's 168 hours as the event trust
  draws each stream (:mod:`simulate.model.tiers.week`); time in A&E is treatment plus the wait
  for a cubicle, Erlang C (or A, with patience) at each hour's modified offered load with the
  Allen-Cunneen factor; the 4- and 12-hour shares are those of treatment plus that wait; who
  leaves unseen is the wait over the mean patience;
- **beds and step-down beds**: infinite-server (M/G/∞) expected occupancy: each day's expected
  admissions by practice, age band and cohort, convolved with kernels computed exactly from the
  length-of-stay distribution (:mod:`simulate.model.tiers.kernels`). Where beds are near full,
  admitted patients board in A&E cubicles (the overflow of the Poisson occupancy,
  :mod:`simulate.model.tiers.queues`), lengthening the cubicles' holding time and the time in
  A&E, or are diverted (Erlang B); patients who leave A&E unseen are not admitted. Patients fit
  for a step-down bed queue for one in their acute bed: the step-down beds' queue is followed in
  distribution day by day (:class:`~simulate.model.tiers.queues.WaitingQueue`), because near
  full, with stays of weeks, it builds up over years;
- the levers' effects (each practice's propensity to admit among them) act on the background's
  rate, the chance of admission and the stays, as in the event trust.

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
from simulate.model.tiers.fluid_providers import open_by_beds, record
from simulate.model.tiers.kernels import (
    KERNEL_DAYS,
    StayKernels,
    census_correlation,
    scaled_excess,
)
from simulate.model.tiers.month import Month
from simulate.model.tiers.queues import WaitingQueue, boarders, erlang_a, erlang_b, erlang_c
from simulate.model.tiers.utc import expected
from simulate.model.tiers.week import hours_of_week

MONTH_DAYS = 365.25 / 12
"""Days between two month-end censuses, on average."""


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
        longest = int(np.diff(clock.boundaries).max())
        self.fft_size = 1 << int(np.ceil(np.log2(longest + KERNEL_DAYS)))
        self.kernels = StayKernels(self.fft_size)
        self.trim = spec.costs.trim_point_days  # as the event trust's, fixed for the run
        horizon = clock.days + KERNEL_DAYS
        shape = place.registered.shape
        self.beds_ahead = np.zeros((horizon,) + shape)
        self.stepdown_ahead = np.zeros((horizon,) + shape)
        self.fit_ahead = np.zeros((horizon,) + shape)  # fit for a step-down bed each day
        stepdown = acute.stepdown_stay_days.mean
        self.stepdown = None
        if self.stepdown_beds > 0 and stepdown > 0:
            self.stepdown = WaitingQueue(self.stepdown_beds, stepdown)  # waiting in acute beds
        # the chain's stays are exponential; the Allen-Cunneen factor scales its waiting to the
        # step-down stay's variability, as the cubicles' waits are scaled
        down = acute.stepdown_stay_days
        self.stepdown_allen_cunneen = (1 + down.variance / max(down.mean, 1e-300) ** 2) / 2
        treatment = acute.treatment_hours
        self.treatment_days = treatment.mean / 24
        # treatment's survival by whole hours since arrival (the modified offered load's kernel,
        # exact from the distribution), and the Allen-Cunneen factor of its variability
        self.lags = np.arange(48)
        self.still_treated = treatment.excess(self.lags) - treatment.excess(self.lags + 1)
        self.allen_cunneen = (1 + treatment.variance / treatment.mean**2) / 2
        # 1,000 quantiles of treatment (at the middles of equal shares) for the breach tails,
        # each hour of the week; the shares treated beyond 4 and 12 hours exactly
        self.treatment_grid = treatment.quantile((np.arange(1000) + 0.5) / 1000)
        self.beyond = {h: float(treatment.survival(h)) for h in (4.0, 12.0)}
        patience = acute.ae_patience_hours
        self.patience_days = None if patience is None else patience.mean / 24
        self.beds_occupied = 0.0
        self.correlation: tuple[float, ...] = ()
        self.divert = acute.when_no_bed == "divert"

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
        clock = self.collector.clock
        closed = closed_shares(month, clock, sent_to_ae, sent_ooh)
        week = self._week(month, sent_to_ae, sent_ooh)
        sent_to_ae = sent_to_ae + sent_ooh
        first, end, days = month.first, month.end, month.days
        admitted, minor, arrivals = self._arrivals(month, sent_to_ae)
        at_utc, at_utc_shut = expected(minor, month, clock)  # not A&E's
        week = week(arrivals - sent_to_ae.sum(axis=0), minor, at_utc)
        # minor attendances while practices are shut: at the shut share of all attendances
        shut = np.divide(closed, arrivals, out=np.zeros_like(closed), where=arrivals > 0)
        minor_shut = (minor - at_utc) * shut
        minor, arrivals, closed = minor - at_utc, arrivals - at_utc, closed - at_utc_shut
        stays = self._stays(month)
        occupied = self._convolve(admitted, stays, month.spec.acute)
        sd_now = self.stepdown_ahead[first:end] + occupied[1][:days]
        fit_now = (self.fit_ahead[first:end] + occupied[2][:days]).sum(axis=(1, 2))
        delayed, stepdown_days = self._stepdown_queue(sd_now, fit_now)
        occupied[0][:days] += delayed  # in acute beds, waiting for a step-down bed
        boarders, kept_by_trust = self._beds_queue(first, days, admitted, occupied[0])
        arriving, occurrences = week
        times = [
            self._ae_times(a, occurrences, cubicles, lq)
            for a, cubicles, lq in zip(arriving, self.cubicles, boarders)
        ]
        seen = np.array(
            [1 - t["ae_left_without_being_seen"] / max(t["ae_departures"], 1e-300) for t in times]
        )
        kept = self.emergency @ (seen * kept_by_trust)  # [practice]: seen and given a bed
        self._occupy(first, [o * kept[None, :, None] for o in occupied])
        self.beds_occupied = float(self.beds_ahead[end - 1].sum())
        stay = month.spec.acute.length_of_stay_days
        by_cell = admitted.sum(axis=0) * kept[:, None, None]  # [practice, age, cohort]
        self.correlation = census_correlation(stay, stays, by_cell, MONTH_DAYS * np.arange(1, 7))
        m = self.collector.month(first)
        if m < 0:
            return
        excess = np.einsum("pak,pak->pk", by_cell, scaled_excess(stay, stays, [self.trim])[..., 0])
        bed_days = self.beds_ahead[first:end].sum(axis=0)
        delayed_days = delayed.sum(axis=0)
        record(
            self.sums, m, self.emergency, times, by_cell.sum(axis=1), excess, bed_days, delayed_days
        )
        self.collector.expected(
            m,
            ae_attendances=arrivals,
            ae_attendances_out_of_hours=closed,
            ae_minor_attendances=minor,
            ae_minor_attendances_out_of_hours=minor_shut,
            utc_attendances=at_utc,
            emergency_admissions=by_cell.sum(axis=1),
            excess_bed_days=excess,
            stepdown_admissions=np.einsum(
                "pak,a->pk", by_cell, month.spec.acute.stepdown_share_by_age
            ),
            bed_days=bed_days,
            stepdown_bed_days=stepdown_days,
            delayed_discharge_days=delayed_days,
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
        """Admissions per [day, practice, age, cohort], and minor and all arrivals [p, k].

        As the event trust draws them (:func:`~simulate.model.tiers.arrivals.patients`): the
        levers' effects scale the background's rate and the chance of admission (each
        practice's propensity to admit among them), the chance capped at 1.
        """
        demand, days, rates, fx = month.demand, month.days, month.rates, month.effects
        acute = month.spec.acute
        shape = demand.ae_attendances.shape
        more = np.ones(shape) if fx is None else fx.ae_attendances
        likelier = np.ones(shape) if fx is None else fx.admissions
        chance = np.minimum(rates.admit_if_not_minor[None] * likelier[:, None, :], 1.0)  # [p,a,k]
        admit_background = (1 - rates.minor_share)[None, :, None] * chance
        admit_gp = (1 - acute.gp_origin_minor_share) * chance
        weights_bg = demand.ae_age_weights / np.maximum(
            demand.ae_age_weights.sum(axis=1, keepdims=True), 1e-300
        )
        weights_gp = demand.gp_age_weights / np.maximum(
            demand.gp_age_weights.sum(axis=1, keepdims=True), 1e-300
        )
        # per day [practice, cohort]: the rate not from primary-care need the tiers route
        background = demand.ae_attendances * (1 - acute.after_failed_primary_care_share) * more
        from_gp = sent_to_ae  # [day, practice, cohort]
        admitted = (
            background[None, :, None, :] * weights_bg[None] * admit_background[None]
            + from_gp[:, :, None, :] * weights_gp[None] * admit_gp[None]
        )
        minor = (
            background * np.einsum("pak,a->pk", weights_bg, rates.minor_share) * days
            + from_gp.sum(axis=0) * acute.gp_origin_minor_share
        )
        arrivals = background * days + from_gp.sum(axis=0)
        return admitted, minor, arrivals

    def _stays(self, month: Month) -> np.ndarray:
        """Each (practice, age, cohort)'s stay as a multiple of the length of stay.

        The age band's ratio times the levers' effect, as the event trust's stays.
        """
        fx = month.effects
        ratio = month.rates.stay_ratio[None]  # [1, age, cohort]
        if fx is None:
            return np.broadcast_to(ratio, (len(self.emergency),) + ratio.shape[1:])
        return ratio * fx.length_of_stay[:, None, :]

    def _convolve(self, admitted: np.ndarray, stays: np.ndarray, acute) -> list[np.ndarray]:
        """Occupancy ahead of beds and step-down beds [day, practice, cohort] from ``admitted``.

        Every (practice, age, cohort)'s admissions convolved with its kernel at once.
        """
        size = self.fft_size
        spectrum = np.fft.rfft(admitted, n=size, axis=0)  # [frequency, practice, age, cohort]
        return [
            np.fft.irfft(np.einsum("fpak,fpak->fpk", spectrum, kernel), n=size, axis=0)
            for kernel in self.kernels.spectra(acute, np.ascontiguousarray(stays))
        ]

    def _occupy(self, first: int, occupied: list[np.ndarray]) -> None:
        """Add the month's admissions' occupancy ahead (:meth:`_convolve`) to the beds'."""
        reach = min(self.fft_size, len(self.beds_ahead) - first)
        for ahead, more in zip((self.beds_ahead, self.stepdown_ahead, self.fit_ahead), occupied):
            ahead[first : first + reach] += more[:reach]

    def _stepdown_queue(self, occupancy: np.ndarray, fit: np.ndarray) -> tuple:
        """Patients waiting in an acute bed for a step-down bed, and those in one, [day, p, k].

        ``occupancy`` [day, practice, cohort] is the step-down beds' occupancy were there always
        one, ``fit`` [day] the patients who become fit for one each day; the step-down beds'
        queue (:class:`~simulate.model.tiers.queues.WaitingQueue`, its waiting scaled by the
        Allen-Cunneen factor of the step-down stay) says how many wait and how many are in a
        bed, shared out as the day's occupancy is. No step-down beds: the event
        trust sends them on, so nobody waits and the occupancy stands.
        """
        if self.stepdown is None:
            return np.zeros_like(occupancy), occupancy.sum(axis=0)
        total = occupancy.sum(axis=(1, 2))
        share = np.divide(
            occupancy,
            total[:, None, None],
            out=np.zeros_like(occupancy),
            where=total[:, None, None] > 0,
        )
        days = [self.stepdown.day(float(f)) for f in fit]
        waiting = (
            self.stepdown_allen_cunneen * np.array([d[0] for d in days])[:, None, None] * share
        )
        served = np.array([d[1] for d in days])[:, None, None] * share
        return waiting, served.sum(axis=0)

    def _week(self, month: Month, sent: np.ndarray, late: np.ndarray):
        """The month's arrivals at each trust in each hour of the week, once the rest is known.

        Returns a function of the month's background arrivals, minor arrivals and those the
        urgent treatment centre sees [practice, cohort] (:func:`~.week.hours_of_week`).
        """
        shares, clock = self.emergency, self.collector.clock
        sent_by_trust, late_by_trust = sent.sum(axis=2) @ shares, late.sum(axis=2) @ shares

        def week(background, minor, at_utc):
            return hours_of_week(
                month,
                clock,
                background.sum(axis=1) @ shares,
                sent_by_trust,
                late_by_trust,
                minor,
                at_utc.sum(axis=1) @ shares,
            )

        return week

    def _ae_times(
        self, week: np.ndarray, occurrences: np.ndarray, cubicles: int, boarders: float = 0.0
    ) -> dict[str, float]:
        """Time in A&E and 4-hour breaches of a month's arrivals: treatment plus a cubicle wait.

        Arrivals vary over the week (``week``, the month's arrivals in each of the week's 168
        hours, which fall ``occurrences`` times in the month; :mod:`~.week`), so each hour's
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
        total = float(week.sum())
        shares = week / total if total > 0 else np.zeros_like(week)
        per_hour = week / np.maximum(occurrences, 1)  # arrivals an hour in each hour of the cycle
        days = occurrences.sum() / 24
        cycle = len(week)
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
            p_wait, wait, _ = erlang_a(per_day, holding, cubicles, patience)
            wait *= self.allen_cunneen
            # those who wait leave at 1 / patience while they wait (exponential patience), so
            # the share who leave is the mean wait over the mean patience (Little's law on the
            # queue), at the Allen-Cunneen wait as at Erlang A's own
            gone = wait / patience
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

    @property
    def census_correlation(self) -> tuple[float, ...]:
        """The census's correlation with itself 1 to 6 months on: patients staying through both.

        For M/G/inf, ``int_t^inf P(S > u) du / E[S]`` over the month's admissions' mix of stays,
        ``S`` each (practice, age, cohort)'s length of stay (:func:`~.kernels.scaled_excess`).
        """
        return self.correlation

    def ledger(self) -> dict[str, int]:
        """The fluid trust keeps no patients to account for."""
        return {}
