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

import numpy as np

from simulate.inputs.catchment import catchment_shares
from simulate.model.providers import ProviderSums
from simulate.model.tiers.acute import Beds
from simulate.model.tiers.cubicles import Cubicles
from simulate.model.tiers.fluid_providers import open_by_beds, record
from simulate.model.tiers.kernels import (
    KERNEL_DAYS,
    StayKernels,
    census_correlation,
    scaled_excess,
)
from simulate.model.tiers.month import Month
from simulate.model.tiers.queues import WaitingQueue, boarders, erlang_b
from simulate.model.tiers.utc import expected, taken_by_day_and_hour
from simulate.model.tiers.week import closed_shares, hours_of_week

MONTH_DAYS = 365.25 / 12
"""Days between two month-end censuses, on average."""


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
        self.queue = Cubicles(acute)  # A&E's cubicles, hour by hour of the week
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

        The month's arrivals come through the front door (:meth:`_front_door`); its admissions
        first meet the step-down and bed queues (:meth:`_beds_queue`), whose boarders hold
        cubicles; A&E's queue then says who leaves unseen, and only those seen are admitted.
        """
        first, end, days = month.first, month.end, month.days
        door = self._front_door(month, sent_to_ae, sent_ooh)
        stays = self._stays(month)
        occupied = self._convolve(door["admitted"], stays, month.spec.acute)
        sd_now = self.stepdown_ahead[first:end] + occupied[1][:days]
        fit_now = (self.fit_ahead[first:end] + occupied[2][:days]).sum(axis=(1, 2))
        delayed, stepdown_days = self._stepdown_queue(sd_now, fit_now)
        occupied[0][:days] += delayed  # in acute beds, waiting for a step-down bed
        boarders, kept_by_trust = self._beds_queue(first, days, door["admitted"], occupied[0])
        arriving, occurrences = door["week"]
        times = [
            self.queue.times(a, occurrences, cubicles, lq)
            for a, cubicles, lq in zip(arriving, self.cubicles, boarders)
        ]
        seen = np.array(
            [1 - t["ae_left_without_being_seen"] / max(t["ae_departures"], 1e-300) for t in times]
        )
        kept = self.emergency @ (seen * kept_by_trust)  # [practice]: seen and given a bed
        self._occupy(first, [o * kept[None, :, None] for o in occupied])
        self.beds_occupied = float(self.beds_ahead[end - 1].sum())
        stay = month.spec.acute.length_of_stay_days
        by_cell = door["admitted"].sum(axis=0) * kept[:, None, None]  # [practice, age, cohort]
        self.correlation = census_correlation(stay, stays, by_cell, MONTH_DAYS * np.arange(1, 7))
        m = self.collector.month(first)
        if m >= 0:
            excess = scaled_excess(stay, stays, [self.trim])[..., 0]
            beds = {
                "excess_bed_days": np.einsum("pak,pak->pk", by_cell, excess),
                "bed_days": self.beds_ahead[first:end].sum(axis=0),
                "delayed_discharge_days": delayed.sum(axis=0),
                "stepdown_bed_days": stepdown_days,
            }
            self._report(month, m, door, times, by_cell, beds)

    def _front_door(self, month: Month, sent_to_ae: np.ndarray, sent_ooh: np.ndarray) -> dict:
        """The month's arrivals, admissions-to-be and minor attendances, less the UTC's.

        It counts the attendances that arrive while practices are closed from each stream's
        expected hours (:func:`~.week.closed_shares`) and places every stream in the week's
        hours (:meth:`_week`).
        """
        clock = self.collector.clock
        admitted, minor, arrivals, background = self._arrivals(month, sent_to_ae + sent_ooh)
        closed = closed_shares(month, clock, background, sent_to_ae, sent_ooh)
        taken = taken_by_day_and_hour(minor, month, clock)
        at_utc, at_utc_shut = expected(minor, month, clock, taken)  # not A&E's
        week = self._week(month, sent_to_ae, sent_ooh, background, at_utc, taken)
        # minor attendances while practices are shut: at the shut share of all attendances
        shut = np.divide(closed, arrivals, out=np.zeros_like(closed), where=arrivals > 0)
        return {
            "admitted": admitted,
            "week": week,
            "ae_attendances": arrivals - at_utc,
            "ae_attendances_out_of_hours": closed - at_utc_shut,
            "ae_minor_attendances": minor - at_utc,
            "ae_minor_attendances_out_of_hours": (minor - at_utc) * shut,
            "utc_attendances": at_utc,
        }

    def _report(self, month: Month, m: int, door: dict, times, by_cell, beds: dict) -> None:
        """Reported month ``m``'s expected flows to the collector and each trust's sums."""
        admissions = by_cell.sum(axis=1)
        excess, bed_days = beds["excess_bed_days"], beds["bed_days"]
        delayed = beds["delayed_discharge_days"]
        record(self.sums, m, self.emergency, times, admissions, excess, bed_days, delayed)
        share = month.spec.acute.stepdown_share_by_age
        self.collector.expected(
            m,
            **{k: v for k, v in door.items() if k not in ("admitted", "week")},
            emergency_admissions=admissions,
            stepdown_admissions=np.einsum("pak,a->pk", by_cell, share),
            **beds,
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
        """Admissions per [day, practice, age, cohort]; minor, all and background arrivals [p, k].

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
        return admitted, minor, arrivals, background * days

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

    def _week(self, month: Month, sent, late, background, at_utc, taken) -> tuple:
        """Each trust's arrivals in each hour of the week (:func:`~.week.hours_of_week`).

        ``sent`` and ``late`` [day, practice, cohort] are sent on by general practice and out of
        hours, ``background`` and ``at_utc`` [practice, cohort] the month's background arrivals
        and those the urgent treatment centre sees, by its shares ``taken`` [day, hour].
        """
        shares = self.emergency
        return hours_of_week(
            month,
            self.collector.clock,
            background.sum(axis=1) @ shares,
            sent.sum(axis=2) @ shares,
            late.sum(axis=2) @ shares,
            at_utc.sum(axis=1) @ shares,
            taken,
        )

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
