"""Same-day need that arises while the practice is closed, and what people do with it.

A share of same-day need (``demand.out_of_hours_same_day_share``) arises in the practice's closed
hours: weekday evenings and nights, weekends and bank holidays. It arises every day, in proportion
to the day's closed hours (13.5 on a working day, when practices open 08:00-18:30; 24 on a closed
day), as counts per practice × cohort, never one object per person. Each person then chooses
(``[access]``): A&E, NHS 111, or waiting for the practice to open (joining its same-day requests
on the next working day). NHS 111 sends a share to A&E and books the rest into the federation's
hub when the hub has a free appointment that day (after the practices' own bookings), else passes
them to the GP out-of-hours service.

With 7-day opening (``[seven_day]``) the federation's practices also open on weekend days
within ``seven_day.opening_hours``: the share of a weekend day's need that arises in those hours
(by the hour-of-day profile of need, ``access.need_share_by_hour``) asks them first, as
in-hours need asks the practice, and those who find them full choose as if nothing were open.

So out-of-hours A&E use follows from when care is open and free, not from a stated effect: more
hub appointments on the evenings and weekends people need them keep more of the 111 stream out
of the GP out-of-hours service, and 7-day opening turns closed hours into opening hours.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulate.model.tiers.hub import minutes_by_practice

OPEN_HOURS = 10.5
"""Hours a practice is open on a working day (08:00-18:30, the core contract hours)."""


@dataclass(frozen=True)
class NeedOutOfHours:
    """One day's out-of-hours need by what people chose, arrays [practice, cohort]."""

    to_hub: np.ndarray  # arose while their federation's hub was open: they want a hub slot
    to_ae: np.ndarray  # went to A&E
    to_111: np.ndarray  # contacted NHS 111 and were not sent to A&E: they want a hub slot
    nhs111_to_ae: np.ndarray  # contacted NHS 111 and were sent to A&E
    waiting: np.ndarray  # wait for the practice to open
    to_seven_day: np.ndarray | None = None  # arose while weekend opening was open: want a slot


def closed_hours(clock) -> np.ndarray:
    """Hours each day the practices are closed."""
    return np.where(clock.is_working_day, 24.0 - OPEN_HOURS, 24.0)


CLOSED_HOURS_A_WEEK = 168 - 5 * OPEN_HOURS


def share_between(by_hour, opens: float, closes: float) -> float:
    """Share of a day's need arising from ``opens`` to ``closes`` (hours), by hourly shares.

    ``by_hour`` gives each hour's share (None: uniform); within an hour need is uniform.
    """
    hours = np.full(24, 1 / 24) if by_hour is None else np.asarray(by_hour, dtype=float)
    cumulative = np.concatenate([[0.0], np.cumsum(hours / hours.sum())])
    return float(
        np.interp(closes, np.arange(25), cumulative) - np.interp(opens, np.arange(25), cumulative)
    )


class _OutOfHours:
    """What both implementations share: the daily rate of out-of-hours need, and the hub's hours.

    Need that arises while the federation's hub is open asks the hub, as in-hours need asks the
    practice. The hub is open for its clinician-hours (``minutes_per_1000_per_week`` × list) over
    ``hub.clinicians_per_session``, on each day in proportion to ``hub.share_by_weekday``; its
    sessions sit in evenings and weekend days, when out-of-hours need is ``hub.need_concentration``
    times its mean rate over all closed hours (nights are quiet).
    """

    def __init__(self, place, clock, collector):
        self.collector = collector
        hours = closed_hours(clock)
        self.closed_hours = hours
        # mean closed hours a year over the horizon, so a year's need is spread over them
        self.share_of_year = hours / (hours.mean() * 365.25)
        self.weekday = np.where(clock.is_bank_holiday, 6, clock.weekday)
        self.working = clock.is_working_day
        codes = sorted(set(place.federation_of_practice))
        self.federation = np.array([codes.index(f) for f in place.federation_of_practice])
        self.list_sizes = np.asarray(place.list_sizes, dtype=float)
        self.federation_size = np.bincount(self.federation, weights=place.list_sizes)

    def enter(self, month) -> None:
        """The month's expected need per day [day, practice, cohort] and its choice shares."""
        spec, demand = month.spec, month.demand
        per_year = demand.gp_requests * demand.working_days_per_year
        if month.effects is not None:
            per_year = per_year * month.effects.gp_requests  # levers act on need, at any hour
        share = spec.demand.same_day_share * spec.demand.out_of_hours_same_day_share
        days = self.share_of_year[month.first : month.end]
        self.first = month.first
        self.expected = days[:, None, None] * (per_year * share)[None]
        access = spec.access
        self.choice = [
            access.out_of_hours_to_ae_share,
            access.out_of_hours_to_111_share,
            1 - access.out_of_hours_to_ae_share - access.out_of_hours_to_111_share,
        ]
        self.to_ae_from_111 = access.nhs111_to_ae_share
        self.hub_open = self._hub_open(spec.hub, days.size, month.first, month.effects)
        self.seven_day_open = self._seven_day_open(spec, days.size, month.first)
        self.none = not self.expected.any()
        # the ledger counts out-of-hours need and choices in every run, even with none of either
        self.collector.out_of_hours_day(month.first, need=0, to_hub=0, to_ae=0, nhs111=0, waited=0)

    def _seven_day_open(self, spec, days: int, first: int) -> np.ndarray:
        """Chance [day] that need arising on each day finds the weekend practices open."""
        seven = spec.seven_day
        if seven.minutes_per_1000_per_week <= 0:
            return np.zeros(days)
        span = slice(first, first + days)
        opens = np.asarray(seven.share_by_weekday)[self.weekday[span]] > 0
        window = share_between(spec.access.need_share_by_hour, *seven.opening_hours)
        return np.where(opens & ~self.working[span], window, 0.0)

    def _hub_open(self, hub, days: int, first: int, effects=None) -> np.ndarray:
        """Chance that need arising on each day [day, practice] finds its hub open."""
        by_practice = minutes_by_practice(hub, effects)
        if by_practice is None:
            clinician_hours = hub.minutes_per_1000_per_week * self.federation_size / 1000 / 60
        else:  # extended access commissioned per federation (the extended_access lever)
            minutes = np.bincount(self.federation, weights=by_practice * self.list_sizes)
            clinician_hours = minutes / 1000 / 60
        open_a_week = clinician_hours / hub.clinicians_per_session  # [federation]
        span = slice(first, first + days)
        share = np.asarray(hub.share_by_weekday)[self.weekday[span]]  # [day]
        open_today = open_a_week[None, :] * share[:, None]  # hours [day, federation]
        chance = hub.need_concentration * open_today / self.closed_hours[span, None]
        return np.minimum(chance, 1.0)[:, self.federation]

    def record(self, day: int, need: np.ndarray, chosen: NeedOutOfHours) -> None:
        """The day's need and choices, to the collector."""
        self.collector.out_of_hours_day(
            day,
            need=need,
            to_hub=chosen.to_hub,
            to_seven_day=chosen.to_seven_day,
            to_ae=chosen.to_ae + chosen.nhs111_to_ae,
            nhs111=chosen.to_111 + chosen.nhs111_to_ae,
            waited=chosen.waiting,
        )

    def rechoose(self, day: int, unbooked: np.ndarray) -> NeedOutOfHours:
        """Those who asked an open hub and found it full choose as if nothing were open."""
        nothing = np.zeros_like(unbooked)
        if not unbooked.any():  # nobody chooses again: nothing to draw or report
            return NeedOutOfHours(nothing, nothing, nothing, nothing, nothing, nothing)
        result = self.choose(unbooked)
        self.record(day, nothing, result)
        return result

    def ledger(self) -> dict[str, int]:
        """Out-of-hours need keeps nobody overnight: each chose that day."""
        return {}


class EventOutOfHours(_OutOfHours):
    """Out-of-hours need in whole people: Poisson counts, multinomial choices."""

    def __init__(self, place, clock, collector, streams):
        super().__init__(place, clock, collector)
        self.streams = streams

    def day(self, day: int) -> NeedOutOfHours:
        """The day's out-of-hours need and what each person chose."""
        d = day - self.first
        if self.none:  # no need arises out of hours (e.g. the reference workload): no draws
            nobody = np.zeros(self.expected.shape[1:], dtype=np.int64)
            return NeedOutOfHours(nobody, nobody, nobody, nobody, nobody, nobody)
        need = self.streams["ooh.need"].poisson(self.expected[d])
        to_hub = self.streams["ooh.hub_open"].binomial(need, self.hub_open[d][:, None])
        to_seven = np.zeros_like(need)
        if self.seven_day_open[d] > 0:
            to_seven = self.streams["ooh.seven_day"].binomial(need - to_hub, self.seven_day_open[d])
        result = self.choose(need - to_hub - to_seven, to_hub, to_seven)
        self.record(day, need, result)
        return result

    def choose(self, deciding: np.ndarray, to_hub=None, to_seven=None) -> NeedOutOfHours:
        """What those with no open primary care choose: A&E, NHS 111 or waiting."""
        chosen = self.streams["ooh.choice"].multinomial(deciding, self.choice)
        called = chosen[..., 1]
        sent = self.streams["ooh.nhs111"].binomial(called, self.to_ae_from_111)
        hub = np.zeros_like(deciding) if to_hub is None else to_hub
        seven = np.zeros_like(deciding) if to_seven is None else to_seven
        return NeedOutOfHours(hub, chosen[..., 0], called - sent, sent, chosen[..., 2], seven)


class FluidOutOfHours(_OutOfHours):
    """Out-of-hours need in expected numbers."""

    def day(self, day: int) -> NeedOutOfHours:
        """The day's expected out-of-hours need, split by the hub's hours and the choice."""
        d = day - self.first
        need = self.expected[d]
        to_hub = need * self.hub_open[d][:, None]
        to_seven = (need - to_hub) * self.seven_day_open[d]
        result = self.choose(need - to_hub - to_seven, to_hub, to_seven)
        self.record(day, need, result)
        return result

    def choose(self, deciding: np.ndarray, to_hub=None, to_seven=None) -> NeedOutOfHours:
        """What those with no open primary care choose, in expected numbers."""
        to_ae, called, waiting = (deciding * share for share in self.choice)
        sent = called * self.to_ae_from_111
        hub = np.zeros_like(deciding) if to_hub is None else to_hub
        seven = np.zeros_like(deciding) if to_seven is None else to_seven
        return NeedOutOfHours(hub, to_ae, called - sent, sent, waiting, seven)
