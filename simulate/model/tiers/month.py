"""The month protocol: what every tier is told when a month begins, and what it hands back.

A replication is a loop over calendar months. At the start of each, the stocks and the phased
changes fix the month's :class:`Month` (parameters, rates, demand, the levers' effects); every tier
``enter``s it, converting what it is given into its own terms (the hub turns minutes per 1,000
patients into slots, the practices FTE into appointments). Then the days run: practices, hub and
community services day by day on count arrays, the acute trust over the month's arrivals at once.
At the end each tier ``close``s the month and hands back what the stocks read: the practices
their requests and slots, the trust its occupied and open beds.

Each tier has an *event* implementation (random counts, queues; :mod:`simulate.model.tiers`) and
a *fluid* one (expected flows, the mean-field mode), behind the same methods, so the mean field
is the same loop over other tiers, not a subclass of the engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    from simulate.inputs.schema import ScenarioSpec
    from simulate.model.demand import Demand
    from simulate.model.levers import Effects
    from simulate.model.rates import Rates


@dataclass(frozen=True)
class Month:
    """What every tier is told when a month begins."""

    first: int  # first day (days since the clock's start, warm-up included)
    end: int  # one past the last day
    reported: int  # reported month index, negative in the warm-up
    spec: ScenarioSpec  # parameters in force this month (phased changes applied)
    rates: Rates
    demand: Demand
    effects: Effects | None  # the levers' effects; None where the tier set models no levers

    @property
    def days(self) -> int:
        """Days in the month."""
        return self.end - self.first


@dataclass(frozen=True)
class Referrals:
    """Requests a working day at the practices sends on, to be seen the next day."""

    to_hub: np.ndarray  # [practice, cohort]
    to_ae: np.ndarray  # [practice, cohort]


class Tier(Protocol):
    """The part of the protocol every tier shares; each adds its own flow method.

    The flow methods differ because tiers differ in what they take and hand on: the practices'
    ``day(day) -> Referrals``, the hub's ``day(day, referrals) -> overflow``, community services'
    ``day(day)``, the trust's ``run(month, sent_to_ae)``.
    """

    def enter(self, month: Month) -> None:
        """Take the month's parameters, rates, demand and effects; draw the month's arrivals."""

    def ledger(self) -> dict[str, int]:
        """Patients still inside the tier at the end of the run, for the run's ledger."""
