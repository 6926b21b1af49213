"""Extended access for some federations: the hub time of their lists at a level of their own.

A mechanism, not an effect: the lever says how many minutes of hub clinician time per 1,000
registered a week the reached practices' lists buy (``minutes_per_1000_per_week``), ramped in from
``start_month``. The hubs (:mod:`simulate.model.tiers.hub`) offer the appointments that time buys,
the out-of-hours tier finds the hub open as often as those hours allow, and A&E moves only as far as
patients then choose the hub; the slots' cost is the hub's, per slot offered.
"""

from __future__ import annotations

from simulate.model.levers.base import Lever, Tables


class ExtendedAccess(Lever):
    """Hub minutes per 1,000 a week for the reached practices' lists."""

    name = "extended_access"

    def act(self, on: float, days: int, tables: Tables) -> None:
        """The reached practices' hub time, ``on`` of the way to the lever's level."""
        weight = on * self.reach.max(axis=1)
        tables.hub_minutes = (self.spec.minutes_per_1000_per_week, weight)
        tables.by_lever.setdefault(self.name, {})["hub_minutes_weight"] = [weight]
