"""One replication: the place's patients moved through practices, hub and trust, month by month.

Demand is drawn in bulk with NumPy for each month (per practice, cohort and day); general practice
and the hub advance day by day on count arrays; the acute trust is event-driven in SimPy and is
advanced to the end of each month once that month's arrivals are known. The month is the coupling
step: it is where the system-dynamics layer will set capacities and read back pressures.

Every random draw comes from a named stream (:mod:`simulate.streams`), one per purpose, so that two
scenarios' replications share the same patients and the same chances wherever they do not differ.
"""

from __future__ import annotations

import json

import numpy as np
import xarray as xr

from simulate.clock import Clock
from simulate.collect import Collector
from simulate.place import Place
from simulate.scenario import Scenario
from simulate.services.acute import AcuteTrust, Arrivals
from simulate.services.capacity import slots_on
from simulate.services.federation import Hub
from simulate.services.practice import GeneralPractice
from simulate.streams import Streams

WORKING_DAYS_PER_YEAR = 5 * 365 / 7
"""Working days per year, Monday to Friday (bank holidays not modelled)."""


def run_replication(scenario: Scenario, place: Place, clock: Clock, streams: Streams) -> xr.Dataset:
    """Simulate one replication and return its outcomes (with the run's ledger in ``attrs``)."""
    economy = _Economy(scenario, place, clock, streams)
    for first, end in zip(clock.boundaries[:-1].tolist(), clock.boundaries[1:].tolist()):
        economy.month(first, end)
    return economy.outcomes()


class _Economy:
    """The services of one replication and the rates that drive them."""

    def __init__(self, scenario: Scenario, place: Place, clock: Clock, streams: Streams):
        spec = self.spec = scenario.spec
        self.scenario, self.place, self.clock, self.streams = scenario, place, clock, streams
        self.registered = registered = place.registered  # [practice, cohort]
        self.collector = Collector(clock, place)
        tolerances = (
            spec.practice.same_day_tolerance_working_days,
            spec.practice.routine_tolerance_working_days,
        )
        self.practice = GeneralPractice(
            len(place.practice_codes), registered.shape[1], tolerances, streams["gp.service_order"]
        )
        self.hub = Hub(place.federation_of_practice, streams["hub.selection"])
        trust = place.spec.trust
        self.trust = AcuteTrust(
            trust.ae_cubicles, trust.beds, spec.acute, self.collector, spec.costs.trim_point_days
        )
        demand = spec.demand
        self.request_rate = registered * np.asarray(demand.gp_requests_per_person_year)
        self.request_rate /= WORKING_DAYS_PER_YEAR
        self.ae_rate = registered * np.asarray(demand.ae_attendances_per_person_year) / 365.0
        self.gp_slot_rate = place.gp_fte * spec.practice.appointments_per_gp_fte_day
        federation_size = np.array([place.list_sizes[m].sum() for m in self.hub.members])
        hub = spec.hub
        self.hub_slot_rate = (
            hub.minutes_per_1000_per_week * federation_size / 1000 / hub.minutes_per_appointment / 7
        )
        leavers = spec.leavers
        self.leaver_split = [
            leavers.to_hub_share,
            leavers.to_ae_share,
            1 - leavers.to_hub_share - leavers.to_ae_share,
        ]
        self.pending_hub = np.zeros_like(registered)  # referred today, seen at the hub tomorrow
        self.pending_ae = np.zeros_like(registered)  # sent today, at A&E tomorrow
        self.working_day = 0

    def month(self, first: int, end: int) -> None:
        """Days ``first`` to ``end - 1``: practices and hub day by day, then the trust."""
        clock, streams, collector = self.clock, self.streams, self.collector
        reported = clock.month_of_day[first]
        if reported >= 0:
            collector.practice["gp_fte"][reported] = self.place.gp_fte
        working = int(clock.is_working_day[first:end].sum())
        requests = streams["gp.requests"].poisson(
            self.request_rate, (working,) + self.registered.shape
        )
        same_day = streams["gp.request_type"].binomial(requests, self.spec.demand.same_day_share)
        arrivals = np.stack([same_day, requests - same_day], axis=-1)
        sent_to_ae = np.zeros((end - first,) + self.registered.shape, dtype=np.int64)
        today = 0  # index of the month's working days
        for day in range(first, end):
            sent_to_ae[day - first] = self._hub_day(day)
            if clock.is_working_day[day]:
                self._practice_day(day, requests[today], arrivals[today])
                today += 1
        background = _background_arrivals(self.ae_rate, first, end, self.spec.acute, streams)
        collector.ledger["ae_background"] += len(background.times)
        from_gp = _gp_origin_arrivals(sent_to_ae, first, self.spec.acute, streams)
        self.trust.run(Arrivals.merge(background, from_gp), until=end)

    def _hub_day(self, day: int) -> np.ndarray:
        """Yesterday's referrals at the hub; returns everyone who reaches A&E from GP today."""
        slots = slots_on(self.hub_slot_rate, day)
        seen, overflow = self.hub.day(self.pending_hub, slots)
        self.collector.hub_day(day, seen=seen, overflow=overflow, slots=slots)
        to_ae = self.pending_ae + overflow
        self.pending_hub = np.zeros_like(self.registered)
        self.pending_ae = np.zeros_like(self.registered)
        return to_ae

    def _practice_day(self, day: int, requests: np.ndarray, arrivals: np.ndarray) -> None:
        """One working day at every practice; those past tolerance are sent on tomorrow."""
        slots = slots_on(self.gp_slot_rate, self.working_day)
        outcome = self.practice.working_day(self.working_day, arrivals, slots)
        destination = self.streams["leavers.destination"].multinomial(
            outcome.leavers, self.leaver_split
        )
        self.pending_hub, self.pending_ae = destination[..., 0], destination[..., 1]
        self.collector.gp_day(
            day,
            requests=requests,
            served=outcome.served,
            wait_sum=outcome.wait_sum,
            backlog=outcome.backlog,
            slots=slots,
            to_hub=self.pending_hub,
            to_ae=self.pending_ae,
            abandoned=destination[..., 2],
        )
        self.working_day += 1

    def outcomes(self) -> xr.Dataset:
        """The replication's cube part, costed, with the run's ledger."""
        collector = self.collector
        collector.ledger.update(
            waiting_at_end=self.practice.waiting,
            hub_referrals_at_end=int(self.pending_hub.sum()),
            ae_referrals_at_end=int(self.pending_ae.sum()),
            in_ae_at_end=self.trust.in_ae,
            in_beds_at_end=self.trust.in_beds,
        )
        outcomes = collector.dataset()
        _add_cost(outcomes, self.scenario, self.hub, collector.hub_slots, self.registered)
        outcomes.attrs["ledger"] = json.dumps(dict(sorted(collector.ledger.items())))
        return outcomes


def _background_arrivals(rate, first, end, spec, streams) -> Arrivals:
    """A&E arrivals not from general practice: Poisson in continuous time, per practice × cohort."""
    counts = streams["ae.background.count"].poisson(rate * (end - first))
    practice, cohort = np.nonzero(counts)
    n = counts[practice, cohort]
    practice, cohort = np.repeat(practice, n), np.repeat(cohort, n)
    times = first + streams["ae.background.time"].random(len(practice)) * (end - first)
    order = np.argsort(times, kind="stable")
    return Arrivals.draw(
        times[order], practice[order], cohort[order], spec, streams["ae.background.patient"]
    )


def _gp_origin_arrivals(counts, first, spec, streams) -> Arrivals:
    """A&E arrivals sent on by general practice or the hub: uniform within the day's window."""
    day, practice, cohort = np.nonzero(counts)
    n = counts[day, practice, cohort]
    day, practice, cohort = np.repeat(day, n), np.repeat(practice, n), np.repeat(cohort, n)
    opens, closes = spec.gp_arrival_window_hours
    hours = opens + streams["ae.gp_origin.time"].random(len(day)) * (closes - opens)
    times = first + day + hours / 24.0
    order = np.argsort(times, kind="stable")
    return Arrivals.draw(
        times[order], practice[order], cohort[order], spec, streams["ae.gp_origin.patient"]
    )


def _add_cost(
    outcomes: xr.Dataset,
    scenario: Scenario,
    hub: Hub,
    hub_slots: np.ndarray,
    registered: np.ndarray,
) -> None:
    """Cost of the month at the scenario's unit costs (GBP).

    Contacts are costed as they happen; hub sessions are paid for whether used or not, so their
    cost is shared over the federation's registered patients, like the per-head funding behind them.
    """
    c = scenario.spec.costs
    cost = (
        outcomes["gp_appointments"].values * c.practice_appointment
        + outcomes["ae_attendances"].values * c.ae_attendance
        + outcomes["emergency_admissions"].values * c.emergency_admission
        + outcomes["excess_bed_days"].values * c.excess_bed_day
    )
    for f, members in enumerate(hub.members):
        share = registered[members] / registered[members].sum()
        cost[:, members] += hub_slots[:, f, None, None] * c.hub_offered_appointment * share
    outcomes["cost"].values[...] = cost
