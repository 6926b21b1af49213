"""The schema of when care is open: out-of-hours choices, 7-day opening, an urgent treatment centre.

The ``[access]``, ``[seven_day]`` and ``[utc]`` tables of a scenario (see
:mod:`simulate.inputs.schema`, which gathers every table): what people do with need that arises
while practices are shut, and the services that can be open then. Opening hours are checked to lie
within one day.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import (
    Field,
    NonNegativeFloat,
    PositiveFloat,
    field_validator,
    model_validator,
)

from simulate.inputs.types import Share, Spec


class AccessSpec(Spec):
    """What people do with same-day need that arises while their practice is closed.

    Some go to A&E, some contact NHS 111 (which books a hub appointment when the hub has a free
    one that day, or passes them to the GP out-of-hours service, or sends a share to A&E), and
    the rest wait for the practice to open, joining its same-day requests the next working day.
    """

    out_of_hours_to_ae_share: Share = 0.0
    out_of_hours_to_111_share: Share = 0.0
    nhs111_to_ae_share: Share = 0.0
    need_share_by_hour: Annotated[list[Share], Field(min_length=24, max_length=24)] | None = None
    """Share of a day's urgent need (and of all A&E arrivals) in each hour, 00:00 .. 23:00
    (None: uniform): which part of a weekend day's need finds 7-day opening open."""

    @field_validator("need_share_by_hour")
    @classmethod
    def _a_day(cls, shares: list[float] | None) -> list[float] | None:
        if shares is not None and abs(sum(shares) - 1) > 1e-6:
            raise ValueError(f"the shares must sum to 1, not {sum(shares):g}")
        return shares

    @model_validator(mode="after")
    def _at_most_one(self) -> AccessSpec:
        if self.out_of_hours_to_ae_share + self.out_of_hours_to_111_share > 1 + 1e-12:
            raise ValueError("out_of_hours_to_ae_share + out_of_hours_to_111_share exceed 1")
        return self


def _opening_window(value: tuple[float, float]) -> tuple[float, float]:
    """Opening hours ``(opens, closes)`` within one day."""
    if not 0 <= value[0] < value[1] <= 24:
        raise ValueError("opening hours must satisfy 0 <= opens < closes <= 24")
    return value


class SevenDaySpec(Spec):
    """7-day opening: the federation's practices open at weekends in daytime hours.

    Capacity is commissioned like extended access (minutes per 1,000 registered a week), on
    Saturdays and Sundays (bank holidays as Sunday) within ``opening_hours``. Need arising in
    those hours books it, then NHS 111 (when ``bookable_by_111``) books what is free.
    """

    minutes_per_1000_per_week: NonNegativeFloat = 0.0
    minutes_per_appointment: PositiveFloat = 10.0
    opening_hours: tuple[float, float] = (8.0, 18.5)
    saturday_share: Share = 0.5
    """Share of the week's weekend appointments on Saturday; Sunday has the rest."""
    bookable_by_111: bool = True

    @field_validator("opening_hours")
    @classmethod
    def _window(cls, value: tuple[float, float]) -> tuple[float, float]:
        return _opening_window(value)

    @property
    def share_by_weekday(self) -> list[float]:
        """Share of the week's appointments Monday .. Sunday: weekends only."""
        return [0.0] * 5 + [self.saturday_share, 1 - self.saturday_share]


class UrgentTreatmentSpec(Spec):
    """An urgent treatment centre in front of A&E: minor arrivals streamed at the front door.

    While it is open, each minor arrival (self-referred, to be discharged) is streamed to it with
    chance ``streaming_share``, as long as the hour's cases (clinicians × 60 / minutes per case)
    are not used up; the rest are A&E attendances, queueing for a cubicle.
    """

    clinicians: NonNegativeFloat = 0.0
    minutes_per_case: PositiveFloat = 20.0
    opening_hours: tuple[float, float] = (8.0, 22.0)
    streaming_share: Share = 0.0

    @field_validator("opening_hours")
    @classmethod
    def _window(cls, value: tuple[float, float]) -> tuple[float, float]:
        return _opening_window(value)

    @property
    def cases_per_hour(self) -> float:
        """Cases the centre can see in an hour it is open."""
        return self.clinicians * 60.0 / self.minutes_per_case
