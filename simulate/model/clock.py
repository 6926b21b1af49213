"""The simulation calendar: days, working days and calendar months.

The clock counts days from day 0, the first day of the warm-up. Reported months are calendar months
starting at the scenario's ``start``; the warm-up is the ``warmup_months`` calendar months before
it, simulated but never reported. GP practices work Monday to Friday except the bank holidays of
England and Wales (the calendar clock reads them from the ``holidays`` package); the hub, A&E and
beds run every day. The benchmark's calendar (:class:`EqualMonths`) keeps the reference workload's
plain Monday-to-Friday week, and has no bank holidays.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np


def add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month ``months`` after the month of ``day`` (negative goes back)."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


class Timeline:
    """What the engine and collector read from a clock, derived from :attr:`boundaries`.

    A subclass gives ``months`` (reported), ``boundaries`` (day number of each simulated period's
    start, warm-up periods first, plus the horizon's end), ``warmup_months`` (how many leading
    periods are warm-up), ``month_starts`` (the date of each boundary) and ``first_weekday`` (of
    day 0, Monday = 0).
    """

    months: int
    warmup_months: int
    boundaries: np.ndarray
    month_starts: list[dt.date]
    first_weekday: int

    @property
    def days(self) -> int:
        """Length of the horizon in days."""
        return int(self.boundaries[-1])

    @property
    def report_from_day(self) -> int:
        """First reported day."""
        return int(self.boundaries[self.warmup_months])

    @cached_property
    def month_of_day(self) -> np.ndarray:
        """Reported month index of every day; negative in the warm-up."""
        index = np.repeat(np.arange(len(self.boundaries) - 1), np.diff(self.boundaries))
        return index - self.warmup_months

    working_days_per_year = 5 * 365 / 7
    """Mean working days a year (Monday to Friday; a calendar less its bank holidays)."""

    @cached_property
    def weekday(self) -> np.ndarray:
        """Weekday of every day (Monday = 0)."""
        return (self.first_weekday + np.arange(self.days)) % 7

    @cached_property
    def is_bank_holiday(self) -> np.ndarray:
        """True on a bank holiday (none unless the timeline is a calendar)."""
        return np.zeros(self.days, dtype=bool)

    @cached_property
    def is_working_day(self) -> np.ndarray:
        """True on Monday to Friday, unless a bank holiday: when practices are open."""
        return (self.weekday < 5) & ~self.is_bank_holiday

    @cached_property
    def reported_boundaries(self) -> np.ndarray:
        """Day numbers of the reported months' starts, plus the horizon's end."""
        return self.boundaries[self.warmup_months :]

    @cached_property
    def days_in_month(self) -> np.ndarray:
        """Length of each reported month in days."""
        return np.diff(self.reported_boundaries)

    @cached_property
    def working_days_in_month(self) -> np.ndarray:
        """Working days in each reported month."""
        working = self.is_working_day[self.report_from_day :]
        return np.add.reduceat(
            working.astype(int), self.reported_boundaries[:-1] - self.report_from_day
        )

    @cached_property
    def month_coordinate(self) -> np.ndarray:
        """The reported months' first days as ``datetime64[ns]``."""
        return np.array(self.month_starts[self.warmup_months : -1], dtype="datetime64[ns]")


@dataclass(frozen=True)
class Clock(Timeline):
    """Reported calendar months ``start`` .. ``start + months``, preceded by ``warmup_months``."""

    start: dt.date
    months: int
    warmup_months: int
    bank_holidays: bool = True

    def __post_init__(self):
        if self.start.day != 1:
            raise ValueError("start must be the first day of a month")
        if self.months < 1 or self.warmup_months < 0:
            raise ValueError("months must be >= 1 and warm-up months >= 0")

    @cached_property
    def month_starts(self) -> list[dt.date]:
        """First day of every simulated month, warm-up included, plus the end of the horizon."""
        return [add_months(self.start, m) for m in range(-self.warmup_months, self.months + 1)]

    @cached_property
    def boundaries(self) -> np.ndarray:
        """Day number of each entry of :attr:`month_starts` (day 0 = first warm-up day)."""
        origin = self.month_starts[0]
        return np.array([(d - origin).days for d in self.month_starts])

    @property
    def first_weekday(self) -> int:
        """Weekday of day 0 (Monday = 0)."""
        return self.month_starts[0].weekday()

    @property
    def working_days_per_year(self) -> float:
        """Monday to Friday less the 8 bank holidays a year (all weekdays, by substitute days).

        Without bank holidays, the plain Monday-to-Friday year of :class:`Timeline`.
        """
        return 5 * 365.25 / 7 - 8 if self.bank_holidays else Timeline.working_days_per_year

    @cached_property
    def is_bank_holiday(self) -> np.ndarray:
        """The bank holidays of England and Wales (one calendar: Scotland's and NI's differ)."""
        if not self.bank_holidays:
            return np.zeros(self.days, dtype=bool)
        import holidays

        origin = self.month_starts[0]
        years = range(origin.year, self.month_starts[-1].year + 1)
        found = np.zeros(self.days, dtype=bool)
        for day in holidays.UK(subdiv="ENG", years=years):
            index = (day - origin).days
            if 0 <= index < self.days:
                found[index] = True
        return found


@dataclass(frozen=True)
class EqualMonths(Timeline):
    """``warmup_days`` of warm-up, then ``days`` split into ``months`` near-equal months.

    The benchmark's calendar (shared/bench/WORKLOAD.md §1): 56 days' warm-up from a Monday, then
    365 days in 12 months, month ``m`` starting on day ``warmup_days + ceil(days·m/months)``. The
    warm-up is one period, so ``warmup_months`` is 1. ``start`` is the first reported day.
    """

    start: dt.date
    warmup_days: int = 56
    observed_days: int = 365
    months: int = 12
    warmup_months: int = field(default=1, init=False)

    @cached_property
    def boundaries(self) -> np.ndarray:
        """Day 0, then each month's first day, then the horizon's end."""
        starts = [
            self.warmup_days + -(-self.observed_days * m // self.months)
            for m in range(self.months + 1)
        ]
        return np.array([0, *starts])

    @cached_property
    def month_starts(self) -> list[dt.date]:
        """The date of every boundary."""
        origin = self.start - dt.timedelta(days=self.warmup_days)
        return [origin + dt.timedelta(days=int(d)) for d in self.boundaries]

    @property
    def first_weekday(self) -> int:
        """Weekday of day 0 (Monday = 0)."""
        return self.month_starts[0].weekday()


@dataclass(frozen=True)
class Weeks(Timeline):
    """``weeks`` reported weeks from ``start`` with no warm-up: a finer series for pilot runs.

    The engine reads periods from :attr:`boundaries`, so a week is reported as a month would be;
    :mod:`simulate.experiment.warmup` uses it to see the transient from empty at a finer grain.
    """

    start: dt.date
    months: int  # the number of weeks: the engine's name for reported periods
    warmup_months: int = field(default=0, init=False)

    @cached_property
    def boundaries(self) -> np.ndarray:
        """Day 0, each week's first day, and the horizon's end."""
        return np.arange(self.months + 1) * 7

    @cached_property
    def month_starts(self) -> list[dt.date]:
        """The date of every boundary."""
        return [self.start + dt.timedelta(days=int(d)) for d in self.boundaries]

    @property
    def first_weekday(self) -> int:
        """Weekday of day 0 (Monday = 0)."""
        return self.start.weekday()
