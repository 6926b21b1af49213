"""General practice: every practice's appointment book, one working day at a time.

Requests are not objects: each practice keeps a backlog of *counts* indexed by arrival working day
(a ring buffer as long as the longest tolerance), cohort and request type (same-day or routine).
On each working day, today's requests join the backlog; the practice's slots serve it first come
first served (oldest arrival day first; within one day's arrivals in uniformly random order, drawn
as a multivariate hypergeometric split); then requests not yet seen leave by the patient's patience.
Waits are counted in working days. All practices advance together as arrays.

**Patience.** A tolerance given as a number is a cliff: every request of that type leaves once it
has waited that many working days. Given as a distribution of patience ``T`` (working days), a
request still waiting at age ``a`` leaves that day with chance ``(S(a-1) - S(a)) / S(a-1)``,
``S(t) = P(T > t)``, so with no capacity the share gone by day ``d`` is ``1 - S(d)`` (e.g.
``1 - exp(-d / mean)`` for exponential patience); the book ends where ``S`` falls below 1/1,000,
and whoever is left then leaves.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulate.inputs.categories import SAME_DAY
from simulate.model.tiers.capacity import slots_on
from simulate.model.tiers.dna import DidNotAttend
from simulate.model.tiers.month import Referrals


@dataclass
class PracticeDay:
    """What happened at every practice on one working day (arrays [practice, cohort])."""

    served: np.ndarray
    wait_sum: np.ndarray
    leavers_by_type: np.ndarray  # [practice, cohort, type]
    backlog: np.ndarray
    served_by_wait: np.ndarray | None = None  # [practice, wait (oldest first), cohort]

    @property
    def leavers(self) -> np.ndarray:
        """Requests that reached their tolerance today, of either type."""
        return self.leavers_by_type.sum(axis=-1)


class GeneralPractice:
    """The backlogs of all practices."""

    def __init__(
        self,
        n_practices: int,
        n_cohorts: int,
        tolerances: tuple,
        rng: np.random.Generator,
        patience_rng: np.random.Generator | None = None,
    ):
        self.tolerances = tolerances
        self.leave_chance = leave_chances(tolerances)  # [age, type]
        self.span = len(self.leave_chance)
        self.rng = rng
        self.patience_rng = patience_rng if patience_rng is not None else rng
        # backlog[practice, arrival day mod span, cohort, type]
        self.backlog = np.zeros((n_practices, self.span, n_cohorts, 2), dtype=np.int64)
        # working days waited by a request served from each age, oldest first
        self._ages_oldest_first = np.arange(self.span - 1, -1, -1)
        # the (age, type) cells where requests may leave, and those that leave by a draw
        self._leaving = np.nonzero(self.leave_chance)
        chances = self.leave_chance[self._leaving]
        self._drawn = chances < 1
        self._chances = chances[self._drawn]

    def working_day(self, w: int, arrivals: np.ndarray, slots: np.ndarray) -> PracticeDay:
        """Advance every practice by working day ``w``: arrivals [practice, cohort, type]."""
        span = self.span
        self.backlog[:, w % span] = arrivals
        order = (w - self._ages_oldest_first) % span
        queue = self.backlog[:, order]  # [practice, age (oldest first), cohort, type]
        served = self._serve(queue, slots)
        queue -= served
        self.backlog[:, order] = queue

        per_age = served.sum(axis=3)  # [practice, age, cohort]
        day_served = per_age.sum(axis=1)
        wait_sum = np.einsum("pak,a->pk", per_age, self._ages_oldest_first)

        leavers = self._leave(w)
        backlog = self.backlog.sum(axis=(1, 3))
        return PracticeDay(day_served, wait_sum, leavers, backlog, per_age)

    def _leave(self, w: int) -> np.ndarray:
        """Requests whose patient's patience ran out today, [practice, cohort, type].

        Every (age, type) with a chance of leaving at once: one draw of all those cells, in the
        order (age, type, practice, cohort) in which one draw per (age, type) took them.
        """
        book = self.backlog
        ages, kinds = self._leaving
        slots = (w - ages) % self.span
        cells = book[:, slots, :, kinds]  # [age and type, practice, cohort]
        gone = cells.copy()  # a chance of 1: all leave
        drawn = self._drawn
        if drawn.any():
            gone[drawn] = self.patience_rng.binomial(cells[drawn], self._chances[:, None, None])
        book[:, slots, :, kinds] = cells - gone
        leavers = np.zeros((book.shape[0], book.shape[2], 2), dtype=np.int64)
        for kind in range(2):
            leavers[..., kind] = gone[kinds == kind].sum(axis=0)
        return leavers

    def _serve(self, queue: np.ndarray, slots: np.ndarray) -> np.ndarray:
        """How many of each (age, cohort, type) cell the day's slots serve, oldest first."""
        per_age = queue.sum(axis=(2, 3))  # [practice, age]
        before = np.cumsum(per_age, axis=1) - per_age
        take = np.clip(slots[:, None] - before, 0, per_age)
        served = np.where((take == per_age)[:, :, None, None], queue, 0)
        practices, ages = np.nonzero((take > 0) & (take < per_age))
        if len(practices):
            cells = queue[practices, ages].reshape(len(practices), -1)
            served[practices, ages] = self._random_split(cells, take[practices, ages]).reshape(
                (len(practices),) + queue.shape[2:]
            )
        return served

    def _random_split(self, cells: np.ndarray, take: np.ndarray) -> np.ndarray:
        """A uniformly random ``take`` of each row's requests (rows: counts per cell)."""
        out = np.zeros_like(cells)
        remaining = cells.sum(axis=1)
        for c in range(cells.shape[1] - 1):
            good = cells[:, c]
            out[:, c] = self.rng.hypergeometric(good, remaining - good, take)
            take = take - out[:, c]
            remaining = remaining - good
        out[:, -1] = take
        return out

    @property
    def waiting(self) -> int:
        """Requests still waiting."""
        return int(self.backlog.sum())


def leave_chances(tolerances: tuple) -> np.ndarray:
    """Chance [age, type] that a request still waiting at each age (working days) leaves then.

    A number is a cliff at that age; a distribution gives ``(S(a-1) - S(a)) / S(a-1)``, up to the
    age where ``S`` falls below 1/1,000 (at most 60), where the rest leave.
    """
    spans = []
    for tolerance in tolerances:
        if isinstance(tolerance, int | np.integer):
            spans.append(int(tolerance) + 1)
        else:
            ages = np.arange(61)
            spans.append(int(np.argmax(tolerance.survival(ages) < 1e-3) or 60) + 1)
    span = max(spans)
    chance = np.zeros((span, len(tolerances)))
    for kind, (tolerance, end) in enumerate(zip(tolerances, spans)):
        if isinstance(tolerance, int | np.integer):
            chance[end - 1, kind] = 1.0
            continue
        alive = tolerance.survival(np.arange(-1, end))  # S(a - 1) for a = 0 .. end
        with np.errstate(divide="ignore", invalid="ignore"):
            chance[:end, kind] = np.where(alive[:-1] > 0, 1 - alive[1:] / alive[:-1], 1.0)
        chance[end - 1, kind] = 1.0
    return chance


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
        waits = self.book._ages_oldest_first
        self.collector.gp_did_not_attend(day, *self.dna.day(outcome.served_by_wait, waits))
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
