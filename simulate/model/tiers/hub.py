"""The federation's extended-access hub: same-day appointments, every day, no backlog.

Referrals made by the federation's practices on one day are seen at the hub the next day. If there
are more than the day's appointments, a uniformly random subset is seen (a multivariate
hypergeometric draw across practices and cohorts); those not seen choose again among what is left
(A&E or giving up), as do those NHS 111 could not book.

The hub owns its conversion of commissioned time into capacity: ``minutes per 1,000 registered
patients per week`` × the federation's list ÷ 1,000 ÷ minutes per appointment appointments a week,
spread over the days by ``hub.share_by_weekday`` (evening and weekend sessions), in whole slots
(event) or as the expected number (fluid, where a day's wanting is taken as Poisson about its
expectation, so a nearly full hub seats ``E[min(X, slots)]``, not ``min(E[X], slots)``). The
practices' referrals are booked first; NHS 111 books what is left for out-of-hours need the same
day.

7-day opening (``[seven_day]``) is the same kind of bookable capacity on weekend days, so the
same classes serve it with ``table="seven_day"``: they read that table's minutes and weekdays and
report to the collector's ``seven_day_day``.
"""

from __future__ import annotations

import numpy as np

from simulate.model.tiers.queues import poisson_min


def federations(federation_of_practice: list[str]) -> tuple[list[str], list[np.ndarray]]:
    """Federation codes (sorted) and the practices (indices) of each."""
    codes = sorted(set(federation_of_practice))
    members = [
        np.array([i for i, f in enumerate(federation_of_practice) if f == code]) for code in codes
    ]
    return codes, members


def minutes_by_practice(hub, effects) -> np.ndarray | None:
    """Each practice's hub minutes per 1,000 a week where extended access sets some, else None.

    ``hub`` is the month's ``[hub]``; the ``extended_access`` lever moves the reached practices'
    minutes part of the way to its own level (:attr:`Effects.hub_minutes`).
    """
    lever = getattr(effects, "hub_minutes", None)
    if lever is None:
        return None
    minutes, weight = lever
    base = hub.minutes_per_1000_per_week
    return base + weight * (minutes - base)


class _Hubs:
    """What both hub tiers share: the federations, their commissioned time and its week."""

    def __init__(self, place, clock, collector, table: str = "hub"):
        self.table = table
        self._report = getattr(collector, f"{table}_day")
        self.codes, self.members = federations(place.federation_of_practice)
        # [federation, practice] 1 where the practice belongs: federation totals in one product
        self.membership = np.zeros((len(self.members), len(place.federation_of_practice)), int)
        for f, members in enumerate(self.members):
            self.membership[f, members] = 1
        self.list_sizes = np.asarray(place.list_sizes, dtype=float)
        self.federation_size = np.array([place.list_sizes[m].sum() for m in self.members])
        self.collector = collector
        # the day of the week whose share of the week's sessions each day gets (bank holidays
        # run a Sunday service)
        self.weekday = np.where(clock.is_bank_holiday, 6, clock.weekday)
        self.offered = np.zeros(len(self.members))  # expected appointments so far, for rounding

    def enter(self, month) -> None:
        """The month's appointments a week at each federation's hub, and their spread by day."""
        hub = getattr(month.spec, self.table)
        effects = getattr(month, "effects", None)  # a month of the hub alone may have none
        by_practice = minutes_by_practice(hub, effects) if self.table == "hub" else None
        if by_practice is None:
            minutes = hub.minutes_per_1000_per_week * self.federation_size
        else:  # extended access commissioned per federation: each list's own minutes
            minutes = np.array([(by_practice * self.list_sizes)[m].sum() for m in self.members])
        self.week_slots = minutes / 1000 / hub.minutes_per_appointment
        self.share_by_weekday = np.asarray(hub.share_by_weekday)
        # whether any federation has appointments this month
        self.open = bool(np.any(self.week_slots * self.share_by_weekday.max() > 0))

    def slots_today(self, day: int) -> np.ndarray:
        """Expected appointments today at each hub (its week's share for this weekday)."""
        return self.week_slots * self.share_by_weekday[self.weekday[day]]

    def record(self, day: int, referrals, seen, booked, slots) -> None:
        """The day's appointments to the collector: practices' referrals, then bookings."""
        self._report(day, seen=seen, overflow=referrals - seen, booked=booked, slots=slots)

    def _book(self, day: int, referrals, bookings, slots) -> tuple:
        """Seat referrals, then each kind of booking in turn; record; return who was not seen."""
        seen, left = self._choose(referrals, slots)
        booked = []
        for wanting in bookings:
            got, left = self._choose(wanting, left)
            booked.append(got)
        self.record(day, referrals, seen, sum(booked, np.zeros_like(seen)), slots)
        return (referrals - seen, *(w - b for w, b in zip(bookings, booked)))

    def ledger(self) -> dict[str, int]:
        """The hub keeps no backlog: nobody is left in it overnight."""
        return {}


class EventHub(_Hubs):
    """The hubs of all federations, in whole appointments and whole patients."""

    def __init__(self, place, clock, collector, rng: np.random.Generator, table: str = "hub"):
        super().__init__(place, clock, collector, table)
        self.rng = rng

    def day(self, day: int, referrals: np.ndarray, *bookings: np.ndarray) -> tuple:
        """Practices' ``referrals`` from yesterday, then today's out-of-hours ``bookings``.

        ``bookings`` are booked in the order given, each from what the ones before left. Returns
        those of each not seen. Whole slots: today's are what the cumulative expected number of
        appointments passes, so none is lost to rounding over the run.
        """
        rate = self.slots_today(day)
        slots = (np.floor(self.offered + rate + 1e-9) - np.floor(self.offered + 1e-9)).astype(
            np.int64
        )
        self.offered += rate
        return self._book(day, referrals, bookings, slots)

    def _choose(self, wanting: np.ndarray, slots: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Who of ``wanting`` [practice, cohort] gets one of each hub's ``slots``, and slots left.

        Where a hub is full its slots go to a uniformly random subset (multivariate
        hypergeometric across practices and cohorts).
        """
        if not wanting.any():  # nobody asks (out-of-hours bookings, often): every slot is left
            return wanting.copy(), slots.copy()
        totals = self.membership @ wanting.sum(axis=1)  # whole counts: exact in any order
        full = totals > slots
        seen = wanting.copy()
        for f in np.flatnonzero(full):  # only full hubs draw, in federation order as before
            members = self.members[f]
            asking = wanting[members]
            chosen = self.rng.multivariate_hypergeometric(asking.ravel(), int(slots[f]))
            seen[members] = chosen.reshape(asking.shape)
        return seen, np.where(full, 0, slots - totals)


class FluidHub(_Hubs):
    """The hubs in expected counts, each day's wanting taken as Poisson about its expectation.

    The event hub seats ``min(X, slots)`` of a day's random ``X`` wanting, and
    ``E[min(X, c)] < min(E[X], c)``: near full, the fluid ``min`` would seat more than any day
    does. So each kind seats what the Poisson overflow adds (:func:`poisson_min`): the practices'
    referrals ``E[min(X1, c)]``, the first bookings ``E[min(X1 + X2, c)] - E[min(X1, c)]``, and so
    on, exact where each kind's daily count is Poisson and independent (out-of-hours need is drawn
    so; the practices' overflow is taken to be), shared out within a hub in proportion to asking.
    """

    def day(self, day: int, referrals: np.ndarray, *bookings: np.ndarray) -> tuple:
        """Yesterday's expected referrals, then each kind of booking, up to today's slots."""
        slots = self.slots_today(day)
        asked = np.zeros(len(self.members))
        seated = np.zeros(len(self.members))
        seen = []
        for wanting in (referrals, *bookings):
            totals = self.membership @ wanting.sum(axis=1)
            asked = asked + totals
            now = poisson_min(asked, slots)
            share = np.divide(now - seated, totals, out=np.zeros_like(totals), where=totals > 0)
            seen.append(wanting * (self.membership.T @ share)[:, None])
            seated = now
        self.record(day, referrals, seen[0], sum(seen[1:], np.zeros_like(seen[0])), slots)
        return tuple(w - s for w, s in zip((referrals, *bookings), seen))
