"""One replication: the place's patients moved through the tiers, month by month.

A replication is a short loop over calendar months (:class:`Replication`). At the start of each,
the phased ``[[changes]]`` give the month's parameters, the system-dynamics stocks advance on last
month's pressures and set the month's demand, workforce and beds, and the levers give their
effects; every tier then ``enter``s the month (:mod:`simulate.model.tiers.month`). The days run
(practices, hub and community services day by day; what the practices send on reaches the hub or
A&E the next day), then the acute trust takes the month's arrivals, and each tier ``close``s the
month with the pressures the stocks read next month.

Which tiers run decides the mode: the *event* tiers (random counts and queues; the hybrid mode)
or the *fluid* tiers (expected flows; ``[dynamics] mode = "sd"``, the mean field). The loop is the
same. Every random draw comes from a named stream (:mod:`simulate.model.streams`), one per purpose,
so two scenarios' replications share the same patients and chances wherever they do not differ.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import xarray as xr

from simulate.inputs.categories import AGE_BANDS, SEXES
from simulate.inputs.residence import residence_coords
from simulate.model import care_homes
from simulate.model.clock import Clock
from simulate.model.collector import Collector
from simulate.model.costing import add_cost, add_seven_day_cost
from simulate.model.demand import Demand
from simulate.model.levers import Levers
from simulate.model.mean_field import mean_field_can_run
from simulate.model.outcomes import parameter_values
from simulate.model.rates import Rates
from simulate.model.stocks.economy import Pressures, for_place
from simulate.model.streams import Streams
from simulate.model.tiers.community import EventCommunity, FluidCommunity
from simulate.model.tiers.electives import Drawn, Electives, Expected
from simulate.model.tiers.fluid_trust import FluidAcute
from simulate.model.tiers.hub import EventHub, FluidHub
from simulate.model.tiers.mental_health import EventMentalHealth
from simulate.model.tiers.month import Month, Referrals
from simulate.model.tiers.out_of_hours import EventOutOfHours, FluidOutOfHours
from simulate.model.tiers.practice import EventPractice, FluidPractice
from simulate.model.tiers.trust import EventAcute


def run_replication(scenario, place, clock: Clock, streams: Streams, timings: dict | None = None):
    """Simulate one replication and return its outcomes (with the run's ledger in ``attrs``).

    Uncertain parameters are drawn first, once (:meth:`Scenario.sampled`); their values are kept
    in the outcomes as ``parameter_value``. With ``[dynamics] mode = "sd"`` the fluid tiers
    replace the event tiers. ``timings``, if given, receives the wall seconds of the whole run and
    of the system-dynamics step within it (``total_seconds``, ``dynamics_seconds``).
    """
    began = time.perf_counter()
    scenario = scenario.sampled(streams)
    if scenario.spec.dynamics.mode == "sd":
        mean_field_can_run(scenario, place)
        replication = Replication(scenario, place, clock, fluid_tiers)
    else:
        replication = Replication(scenario, place, clock, event_tiers(streams))
    outcomes = replication.run()
    if scenario.spec.dynamics.mode != "sd" and scenario.sampled_values:
        outcomes["parameter_value"] = parameter_values(scenario.sampled_values)
    if timings is not None:
        timings.update(
            total_seconds=time.perf_counter() - began,
            dynamics_seconds=replication.dynamics_seconds,
        )
    return outcomes


@dataclass
class Tiers:
    """The tiers a replication composes, all of one kind (event or fluid)."""

    practice: EventPractice | FluidPractice
    hub: EventHub | FluidHub
    community: EventCommunity | FluidCommunity
    acute: EventAcute | FluidAcute
    out_of_hours: EventOutOfHours | FluidOutOfHours
    seven_day: EventHub | FluidHub  # 7-day opening: weekend appointments, booked like the hub's
    kind: str
    dtype: type  # of the counts passed between tiers: whole patients, or expected numbers
    electives: Electives | None = None  # the GP-referral pathway (runs its days as it enters)
    mental_health: EventMentalHealth | None = None  # crisis care, with a mental-health trust

    def __iter__(self):
        tiers = (self.practice, self.hub, self.community, self.acute, self.out_of_hours)
        tiers += (self.seven_day, self.electives, self.mental_health)
        return iter(tier for tier in tiers if tier is not None)


def event_tiers(streams: Streams):
    """A maker of the event tiers (random counts, queues), drawing from ``streams``."""

    def make(place, spec, rates, clock, collector) -> Tiers:
        return Tiers(
            EventPractice(place, spec, streams, collector, place.gp_fte),
            EventHub(place, clock, collector, streams["hub.selection"]),
            EventCommunity(place, spec, streams, collector),
            EventAcute(place, spec, streams, collector),
            EventOutOfHours(place, clock, collector, streams),
            EventHub(place, clock, collector, streams["seven_day.selection"], "seven_day"),
            "event",
            np.int64,
            Electives(place, spec, rates, clock, collector, Drawn(streams)),
            EventMentalHealth.of_place(place, clock, streams),
        )

    return make


def fluid_tiers(place, spec, rates, clock, collector) -> Tiers:
    """The fluid tiers: expected flows on the same calendar (the mean-field mode)."""
    return Tiers(
        FluidPractice(place, spec, collector, place.gp_fte),
        FluidHub(place, clock, collector),
        FluidCommunity(place, collector),
        FluidAcute(place, spec, rates, clock, collector),
        FluidOutOfHours(place, clock, collector),
        FluidHub(place, clock, collector, "seven_day"),
        "fluid",
        float,
        Electives(place, spec, rates, clock, collector, Expected()),
    )


class Replication:
    """The month loop of one replication: stocks, levers and tiers composed."""

    def __init__(self, scenario, place, clock: Clock, make_tiers):
        self.scenario, self.place, self.clock = scenario, place, clock
        self.spec = spec = scenario.spec
        self.collector = Collector(clock, place)
        self.rates = Rates.of(spec, place)
        self.demand = self._demand(place.population.demand_base, place.population.demand_mix)
        self.tiers = make_tiers(place, spec, self.rates, clock, self.collector)
        # both modes: with no intervention on, the levers' effects are each practice's
        # propensity to admit and to refer (the mean field refuses interventions as yet)
        self.levers = self._levers(spec)
        self.stocks = for_place(spec, place, scenario.folder) if spec.dynamics.coupled else None
        self.month_costs = []  # unit costs in force in each reported month
        self.nobody = np.zeros(place.registered.shape, dtype=self.tiers.dtype)
        self.referred = Referrals(self.nobody, self.nobody)  # sent today, at hub or A&E tomorrow
        self.pressures: Pressures | None = None  # last month's, which the stocks read
        self.dynamics_seconds = 0.0

    def _demand(self, base, mix) -> Demand:
        """The demand of people ``base`` [practice, age, cohort] of sex × deprivation ``mix``."""
        return Demand.of(self.rates, base, self.clock.working_days_per_year, mix)

    def _levers(self, spec) -> Levers:
        """The scenario's levers on the place (all multipliers 1.0 when none is on)."""
        base = self.place.population.demand_base
        expected = {
            "gp_requests": self.demand.gp_requests * self.clock.working_days_per_year,
            "emergency_admissions": self.demand.emergency_admissions * 365.0,
            "outpatient_referrals": self.demand.outpatient_referrals * 365.0,
            **care_homes.expected(base, spec.care_homes, self.rates),
        }
        return Levers(
            spec.interventions, self.place, expected, spec.practice.appointments_per_gp_fte_day
        )

    def run(self) -> xr.Dataset:
        """Every month of the clock, then the replication's costed outcomes."""
        bounds = self.clock.boundaries
        for first, end in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
            self.month(first, end)
        return self.outcomes()

    def month(self, first: int, end: int) -> None:
        """One month: enter it, its days, the trust's month, and the pressures it leaves."""
        month = self._enter(first, end)
        for tier in self.tiers:
            tier.enter(month)
        sent_to_ae, sent_ooh = self._days(month)
        acute = self.tiers.acute
        acute.run(month, sent_to_ae, sent_ooh)
        requests, slots = self.tiers.practice.close()
        occupied, beds = acute.close()
        self.pressures = Pressures(
            requests, slots, occupied, beds, acute.census_variance, acute.census_correlation
        )

    def _enter(self, first: int, end: int) -> Month:
        """The month's parameters, stocks and effects (phased changes re-derive the rates)."""
        reported = int(self.clock.month_of_day[first])
        spec = self.scenario.spec_for_month(reported)
        if spec is not self.spec:
            self.spec, self.rates = spec, Rates.of(spec, self.place)
            self.demand = self._demand(self.demand.base, self.demand.mix)
            if self.stocks is not None:
                self.stocks.follow(spec.dynamics)
        if reported >= 0:
            self.month_costs.append(spec.costs)
        self._couple(first)
        effects = self.levers.effects(reported, end - first)
        cost = effects.running_cost + self._new_money()
        self.collector.interventions(
            first, cost=cost, budget=self.levers.capitated_budget(), enrolled=effects.enrolled
        )
        hazard = effects.care_home_hazard
        care_homes.record(self.collector, first, end - first, self.demand, spec, self.rates, hazard)
        return Month(first, end, reported, spec, self.rates, self.demand, effects)

    def _couple(self, first: int) -> None:
        """The monthly coupling: stocks advance on last month's pressures, then set this month.

        The first month runs on the place as synthesised (the stocks equal it exactly), so a
        coupled run and an uncoupled one agree until the stocks first move.
        """
        stocks = self.stocks
        if stocks is None:
            self._record_place_stocks(first)
            return
        began = time.perf_counter()
        if self.pressures is not None:
            opened = stocks.month(self.pressures)
            self.demand = self._demand(stocks.demand_base, stocks.demand_mix)
            self.tiers.practice.set_workforce(stocks.gp_fte)
            self.tiers.acute.open_beds(opened)
        self.collector.stocks(
            first,
            registered=stocks.registered,
            gp_fte=stocks.gp_fte,
            gp_fte_funded=stocks.funded_fte,
            funding_allocated=stocks.funding_allocated,
            investment_committed=stocks.investment_committed,
        )
        self.collector.population(
            first, by_age_sex=stocks.people_by_sex_band, by_cohort=stocks.registered.sum(axis=0)
        )
        self.dynamics_seconds += time.perf_counter() - began

    def _record_place_stocks(self, first: int) -> None:
        """Without coupled stocks: the place's own list, workforce and money, every month."""
        d, heads = self.spec.dynamics, self.place.list_sizes
        money = d.gp_funding_GBP_per_head_per_year + d.extra_gp_funding_GBP_per_head_per_year
        self.collector.stocks(
            first,
            registered=self.place.registered,
            gp_fte=self.place.gp_fte,
            gp_fte_funded=self.place.gp_fte,
            funding_allocated=money * heads / 12,
            investment_committed=d.gp_funding_GBP_per_head_per_year * heads / 12,
        )
        by_age_sex, by_cohort = self._place_people
        self.collector.population(first, by_age_sex=by_age_sex, by_cohort=by_cohort)

    @cached_property
    def _place_people(self) -> tuple[np.ndarray, np.ndarray]:
        """The place's people [sex, age band] and [cohort]: without stocks, the same each month."""
        people = self.place.population
        by_age_sex = people.count(
            {"s": (people.sex, len(SEXES)), "a": (people.age_band, len(AGE_BANDS))}
        )
        return by_age_sex, self.place.registered.sum(axis=0)

    def _new_money(self) -> np.ndarray | float:
        """Extra GP funding reaching practices this month, [practice, cohort] by list share (GBP).

        It is spent whether or not the capacity it buys is used. The appointments it buys are
        costed at the unit cost as well, so with new money the cost errs high, never low.
        """
        if self.stocks is None:
            return 0.0
        registered = self.place.registered
        share = registered / np.maximum(registered.sum(axis=1, keepdims=True), 1)
        return self.stocks.new_money[:, None] * share

    def _days(self, month: Month) -> np.ndarray:
        """The month's days at practices, hub and community; returns who goes to A&E, by day.

        Two arrays: those sent from opening-hours care, and those from out-of-hours need. What
        the practices send on one working day is seen at the hub, or arrives at A&E, the
        next day; those the hub cannot see go to A&E that same day.
        """
        tiers, working = self.tiers, self.clock.is_working_day
        sent_to_ae = np.zeros((month.days,) + self.nobody.shape, dtype=tiers.dtype)
        sent_ooh = np.zeros_like(sent_to_ae)
        for d, day in enumerate(range(month.first, month.end)):
            sent_to_ae[d], sent_ooh[d] = self._primary_care_day(day)
            tiers.community.day(day)
            if working[day]:
                self.referred = tiers.practice.day(day)
        return sent_to_ae, sent_ooh

    def _primary_care_day(self, day: int) -> tuple[np.ndarray, np.ndarray]:
        """Yesterday's referrals and today's out-of-hours need at the hub; who goes to A&E.

        Returns those sent to A&E from opening-hours care, and from out-of-hours need.

        Need that arose while weekend (7-day) opening was open books it, then NHS 111 what it
        left (when it may). The practices' referrals book the hub first; then out-of-hours need
        that arose while the hub was open, then NHS 111 for the rest. Referrals the hub cannot
        see choose again (A&E or giving up), as do those who found it or the weekend practices
        full (as if nothing were open); 111 contacts it cannot book go to the GP out-of-hours
        service. Those who wait for the practice join its next working day.
        """
        tiers, referred = self.tiers, self.referred
        ooh = tiers.out_of_hours
        need = ooh.day(day)
        unseen, to_111 = self._seven_day(day, need)
        overflow, unbooked, unbooked_111 = tiers.hub.day(day, referred.to_hub, need.to_hub, to_111)
        again = ooh.rechoose(day, unbooked + unseen)  # found it full: as if nothing were open
        self.collector.gp_out_of_hours(day, unbooked_111 + again.to_111)
        tiers.practice.wait_for_opening(need.waiting + again.waiting)
        to_ae = referred.to_ae + tiers.practice.turned_away(day, overflow)
        self.referred = Referrals(self.nobody, self.nobody)
        return to_ae, need.to_ae + need.nhs111_to_ae + again.to_ae + again.nhs111_to_ae

    def _seven_day(self, day: int, need) -> tuple[np.ndarray, np.ndarray]:
        """Weekend opening's day: those who found it full, and 111 contacts it did not book."""
        seven = self.tiers.seven_day
        if not seven.open:
            return self.nobody, need.to_111
        if self.spec.seven_day.bookable_by_111:
            _, unseen, to_111 = seven.day(day, self.nobody, need.to_seven_day, need.to_111)
            return unseen, to_111
        _, unseen = seven.day(day, self.nobody, need.to_seven_day)
        return unseen, need.to_111

    def outcomes(self) -> xr.Dataset:
        """The replication's cube part, costed, with the run's ledger."""
        collector, place = self.collector, self.place
        outcomes = collector.dataset()
        outcomes.coords["practice_provider"] = (
            "practice",
            self.levers.providers(place.spec.acute_trusts[0].name),  # the lead trust
            {"long_name": "organisation that runs the practice"},
        )
        outcomes = self._by_provider(outcomes)
        if self.tiers.mental_health is not None:
            outcomes = self.tiers.mental_health.outputs(outcomes)
        members = self.tiers.hub.members
        add_cost(outcomes, self.month_costs, members, collector.hub_slots, place.registered)
        add_seven_day_cost(outcomes, self.month_costs, members, collector.seven_day_slots)
        outcomes.attrs["ledger"] = json.dumps(self._ledger())
        return outcomes

    def _by_provider(self, outcomes: xr.Dataset) -> xr.Dataset:
        """The ``provider_*`` variables (either mode) and the place of each practice, if any."""
        sums = getattr(self.tiers.acute, "sums", None)
        if sums is not None:
            costs = self.month_costs

            def unit(name: str) -> np.ndarray:
                return np.array([getattr(c, name) for c in costs], dtype=float)[:, None]

            sums.outpatients(outcomes, self.tiers.acute.outpatients)
            outcomes = outcomes.merge(sums.dataset(unit))
        places = self.place.spec.places
        if places:
            of = {code: p.code for p in places for code in p.practices}
            outcomes.coords["place"] = (
                "practice",
                [of[code] for code in self.place.practice_codes],
                {"long_name": "place (borough, CCG) the practice belongs to"},
            )
            outcomes = outcomes.assign_coords(residence_coords(self.place.spec))
        return outcomes

    def _ledger(self) -> dict:
        """Where every patient ended: the collector's counts and what is left in each tier."""
        if self.tiers.kind == "fluid":
            return {"mode": "sd"}  # expected flows account for no patients one by one
        ledger = self.collector.ledger
        ledger.update(
            hub_referrals_at_end=int(self.referred.to_hub.sum()),
            ae_referrals_at_end=int(self.referred.to_ae.sum()),
        )
        for tier in self.tiers:
            ledger.update(tier.ledger())
        return dict(sorted(ledger.items()))
