"""General practice as a tier: the month's requests drawn in bulk, then the book day by day.

The book itself (backlogs of counts, first come first served, patience) is
:mod:`simulate.model.tiers.book`; here are the tiers that feed it (drawn or expected requests),
turn the workforce into slots, and send on those past tolerance.
"""

from __future__ import annotations

import numpy as np

from simulate.inputs.categories import SAME_DAY
from simulate.model.tiers.book import GeneralPractice, leave_chances
from simulate.model.tiers.capacity import slots_on
from simulate.model.tiers.dna import DidNotAttend
from simulate.model.tiers.month import Referrals


class _Workload:
    """What both practice tiers share: their workforce and the month's workload pressure."""

    registered: np.ndarray
    gp_fte: np.ndarray

    def set_workforce(self, gp_fte: np.ndarray) -> None:
        """GP FTE per practice from now on (the workforce stocks' value)."""
        self.gp_fte = gp_fte

    def close(self) -> tuple[np.ndarray, np.ndarray]:
        """The month's requests and slots per practice (the workload pressure), then zero them."""
        totals = self.month_requests, self.month_slots
        self._totals()
        return totals

    def _totals(self) -> None:
        n = len(self.registered)
        self.month_requests, self.month_slots = np.zeros(n), np.zeros(n)

    def wait_for_opening(self, waiting: np.ndarray) -> None:
        """Out-of-hours need that waits: it joins the next working day's same-day requests."""
        self.carried = self.carried + waiting

    def _hub_full_share(self) -> float:
        """Of referrals the hub cannot see, the share who go to A&E (the rest give up).

        They choose again among what is left, in the proportions they chose before.
        """
        _, ae, abandon = self.split
        return ae / (ae + abandon) if ae + abandon > 0 else 0.0


def in_hours(spec) -> tuple[float, float]:
    """Share of GP need arising in opening hours, and the same-day share of that need."""
    same_day = spec.demand.same_day_share
    closed = same_day * spec.demand.out_of_hours_same_day_share
    inside = 1.0 - closed
    return inside, (same_day - closed) / inside if inside > 0 else 0.0


class EventPractice(_Workload):
    """General practice as a tier: the month's requests drawn in bulk, then one book per day.

    Owns its conversion of workforce into capacity (FTE × appointments per FTE-day, times the
    levers' capacity multiplier, in whole slots by :func:`slots_on`), and where patients past
    tolerance go (hub, A&E or giving up, by the leaver shares).
    """

    def __init__(self, place, spec, streams, collector, gp_fte: np.ndarray):
        self.registered = place.registered
        tolerances = (
            spec.practice.same_day_tolerance_working_days,
            spec.practice.routine_tolerance_working_days,
        )
        self.book = GeneralPractice(
            len(place.practice_codes),
            self.registered.shape[1],
            tolerances,
            streams["gp.service_order"],
            streams["gp.patience"],
        )
        self.streams, self.collector = streams, collector
        self.dna = DidNotAttend(spec.practice.dna_share_by_lead_time, streams["gp.dna"])
        self.gp_fte = gp_fte
        self.working_day = 0  # working days since the start, the book's clock
        self.carried = np.zeros_like(self.registered)  # out-of-hours need waiting for opening
        self._totals()

    def enter(self, month) -> None:
        """Slots from this month's FTE; the month's in-hours requests, same-day and routine."""
        spec, fx = month.spec, month.effects
        self.slot_rate = self.gp_fte * spec.practice.appointments_per_gp_fte_day
        self.capacity = fx.gp_capacity
        self.split = _leaver_split(spec)
        working = int(self.collector.clock.is_working_day[month.first : month.end].sum())
        shape = (working,) + self.registered.shape
        inside, same_day_share = in_hours(spec)
        self.requests = self.streams["gp.requests"].poisson(
            month.demand.gp_requests * fx.gp_requests * inside, shape
        )
        same_day = self.streams["gp.request_type"].binomial(self.requests, same_day_share)
        self.arrivals = np.stack([same_day, self.requests - same_day], axis=-1)
        self.today = 0  # index of the month's working days

    def day(self, day: int) -> Referrals:
        """One working day at every practice; returns those sent on, to arrive tomorrow."""
        slots = slots_on(self.slot_rate * self.capacity, self.working_day)
        requests = self.requests[self.today] + self.carried
        arrivals = self.arrivals[self.today].copy()
        arrivals[..., SAME_DAY] += self.carried
        self.carried = np.zeros_like(self.carried)
        outcome = self.book.working_day(self.working_day, arrivals, slots)
        self.month_requests += requests.sum(axis=1)
        self.month_slots += slots
        destination = self.streams["leavers.destination"].multinomial(outcome.leavers, self.split)
        sent = Referrals(destination[..., 0], destination[..., 1])
        self.collector.gp_day(
            day,
            requests=requests,
            served=outcome.served,
            wait_sum=outcome.wait_sum,
            backlog=outcome.backlog,
            slots=slots,
            to_hub=sent.to_hub,
            to_ae=sent.to_ae,
            abandoned=destination[..., 2],
        )
        missed = self.dna.day(outcome.served_by_wait, outcome.waits)
        self.collector.gp_did_not_attend(day, *missed)
        self.working_day += 1
        self.today += 1
        return sent

    def turned_away(self, day: int, overflow: np.ndarray) -> np.ndarray:
        """Referrals the hub could not see choose again: returns those who go to A&E."""
        rng = self.streams["leavers.hub_full"]
        to_ae = rng.binomial(overflow, self._hub_full_share())
        self.collector.hub_turned_away(day, to_ae=to_ae, abandoned=overflow - to_ae)
        return to_ae

    def ledger(self) -> dict[str, int]:
        """Requests still waiting in the books, and out-of-hours need waiting for opening."""
        return {"waiting_at_end": self.book.waiting, "ooh_waiting_at_end": int(self.carried.sum())}


class FluidPractice(_Workload):
    """General practice in expected counts: the same book with real-valued requests and slots.

    Each working day's expected requests join the backlog, the day's expected slots (not whole
    slots) serve the oldest first, in proportion within a day's arrivals, and what reaches its
    tolerance leaves, split to hub, A&E and giving up by the leaver shares.
    """

    def __init__(self, place, spec, collector, gp_fte: np.ndarray):
        self.registered = place.registered
        self.tolerances = (
            spec.practice.same_day_tolerance_working_days,
            spec.practice.routine_tolerance_working_days,
        )
        self.leave_chance = leave_chances(self.tolerances)
        self.span = len(self.leave_chance)
        self.ages = np.arange(self.span - 1, -1, -1)  # working days waited, oldest first
        shape = self.registered.shape
        self.book = np.zeros((shape[0], self.span, shape[1], 2))
        self.collector, self.gp_fte = collector, gp_fte
        self.dna = DidNotAttend(spec.practice.dna_share_by_lead_time)
        self.working_day = 0
        self.carried = np.zeros(shape)
        self._totals()

    def enter(self, month) -> None:
        """Expected slots from this month's FTE; expected requests per working day."""
        spec = month.spec
        self.slot_rate = self.gp_fte * spec.practice.appointments_per_gp_fte_day
        self.split = _leaver_split(spec)
        inside, share = in_hours(spec)
        self.requests = month.demand.gp_requests * inside
        self.arrivals = np.stack([self.requests * share, self.requests * (1 - share)], axis=-1)

    def day(self, day: int) -> Referrals:
        """One working day of every practice's book, in expected counts."""
        w, span, book = self.working_day, self.span, self.book
        slots = self.slot_rate
        requests = self.requests + self.carried
        book[:, w % span] = self.arrivals
        book[:, w % span, :, SAME_DAY] += self.carried
        self.carried = np.zeros_like(self.carried)
        order = (w - self.ages) % span
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
        for age, kind in zip(*np.nonzero(self.leave_chance)):
            slot = (w - age) % span
            gone = book[:, slot, :, kind] * self.leave_chance[age, kind]
            leavers += gone
            book[:, slot, :, kind] -= gone
        to_hub, to_ae, _ = (leavers * s for s in self.split)
        self.month_requests += requests.sum(axis=1)
        self.month_slots += slots
        self.collector.gp_day(
            day,
            requests=requests,
            served=per_age_cohort.sum(axis=1),
            wait_sum=np.einsum("pak,a->pk", per_age_cohort, self.ages),
            backlog=book.sum(axis=(1, 3)),
            slots=slots,
            to_hub=to_hub,
            to_ae=to_ae,
            abandoned=leavers - to_hub - to_ae,
        )
        self.collector.gp_did_not_attend(day, *self.dna.day(per_age_cohort, self.ages))
        self.working_day += 1
        return Referrals(to_hub, to_ae)

    def turned_away(self, day: int, overflow: np.ndarray) -> np.ndarray:
        """Referrals the hub could not see choose again: returns those who go to A&E."""
        to_ae = overflow * self._hub_full_share()
        self.collector.hub_turned_away(day, to_ae=to_ae, abandoned=overflow - to_ae)
        return to_ae

    def ledger(self) -> dict[str, int]:
        """The fluid book keeps no patients to account for."""
        return {}


def _leaver_split(spec) -> list[float]:
    """Shares of those past tolerance who go to the hub, to A&E, or give up."""
    leavers = spec.leavers
    return [
        leavers.to_hub_share,
        leavers.to_ae_share,
        1 - leavers.to_hub_share - leavers.to_ae_share,
    ]
