"""The month protocol: each tier's event and fluid implementations are interchangeable."""

import inspect

import pytest

from simulate.model.tiers.community import EventCommunity, FluidCommunity
from simulate.model.tiers.fluid_trust import FluidAcute
from simulate.model.tiers.hub import EventHub, FluidHub
from simulate.model.tiers.out_of_hours import EventOutOfHours, FluidOutOfHours
from simulate.model.tiers.practice import EventPractice, FluidPractice
from simulate.model.tiers.trust import EventAcute

PAIRS = {
    "practice": (
        EventPractice,
        FluidPractice,
        ("day", "close", "set_workforce", "wait_for_opening", "turned_away"),
    ),
    "hub": (EventHub, FluidHub, ("day",)),
    "community": (EventCommunity, FluidCommunity, ("day",)),
    "acute": (EventAcute, FluidAcute, ("run", "close", "open_beds")),
    "out_of_hours": (EventOutOfHours, FluidOutOfHours, ("day", "choose", "rechoose")),
}


@pytest.mark.parametrize("tier", sorted(PAIRS))
def test_event_and_fluid_tiers_share_the_protocol(tier):
    event, fluid, flows = PAIRS[tier]
    for name in ("enter", "ledger", *flows):
        assert inspect.signature(getattr(event, name)) == inspect.signature(getattr(fluid, name))
    assert not issubclass(fluid, event) and not issubclass(event, fluid)
