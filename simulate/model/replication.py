"""One replication: the place's patients moved through practices, hub and trust, month by month.

Demand is drawn in bulk with NumPy for each month (per practice, cohort and day); general practice
and the hub advance day by day on count arrays; the acute trust is event-driven in SimPy and is
advanced to the end of each month once that month's arrivals are known. The month is the coupling
step: it is where the system-dynamics layer will set capacities and read back pressures.

Every random draw comes from a named stream (:mod:`simulate.model.streams`), one per purpose, so
that two scenarios' replications share the same patients and the same chances wherever they do not
differ.
"""

from __future__ import annotations

import json
import time

import numpy as np
import xarray as xr

from simulate.errors import InputError
from simulate.inputs.levers import InterventionsSpec
from simulate.inputs.scenario import Scenario
from simulate.inputs.schema import CostSpec, ScenarioSpec
from simulate.model.clock import Clock
from simulate.model.collector import Collector, parameter_values
from simulate.model.levers.levers import Effects, Levers
from simulate.model.place import Place
from simulate.model.rates import Rates, draw_age, per_practice
from simulate.model.stocks.dynamics import Pressures, for_place
from simulate.model.streams import Streams
from simulate.model.tiers.acute import HOURS, AcuteTrust, Arrivals
from simulate.model.tiers.capacity import slots_on
from simulate.model.tiers.community import CommunityNursing, StepDown
from simulate.model.tiers.hub import Hub
from simulate.model.tiers.practice import GeneralPractice

WORKING_DAYS_PER_YEAR = 5 * 365 / 7
"""Working days per year, Monday to Friday (bank holidays not modelled)."""


def run_replication(
    scenario: Scenario, place: Place, clock: Clock, streams: Streams, timings: dict | None = None
) -> xr.Dataset:
    """Simulate one replication and return its outcomes (with the run's ledger in ``attrs``).

    Uncertain parameters are drawn first, once (:meth:`Scenario.sampled`); their values are kept
    in the outcomes as ``parameter_value``. With ``[dynamics] mode = "sd"`` the expected flows of
    :mod:`simulate.model.meanfield` replace the event engine. ``timings``, if given, receives the
    wall seconds of the whole run and of the system-dynamics step within it (``total_seconds``,
    ``dynamics_seconds``).
    """
    began = time.perf_counter()
    scenario = scenario.sampled(streams)
    if scenario.spec.dynamics.mode == "sd":
        from simulate.model.meanfield import run_mean_field

        _mean_field_can_run(scenario)
        return run_mean_field(scenario, place, clock, timings)
    economy = _Economy(scenario, place, clock, streams)
    for first, end in zip(clock.boundaries[:-1].tolist(), clock.boundaries[1:].tolist()):
        economy.month(first, end)
    outcomes = economy.outcomes()
    if scenario.sampled_values:
        outcomes["parameter_value"] = parameter_values(scenario.sampled_values)
    if timings is not None:
        timings.update(
            total_seconds=time.perf_counter() - began, dynamics_seconds=economy.dynamics_seconds
        )
    return outcomes


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
        trust, community = place.spec.trust, place.spec.community
        self.trust = AcuteTrust(
            trust.ae_cubicles, trust.beds, spec.acute, self.collector, spec.costs.trim_point_days
        )
        if community.stepdown_beds:
            self.trust.stepdown = StepDown(community.stepdown_beds)
        self.nursing = CommunityNursing(
            community.nursing_caseload,
            spec.community.nursing_episode_days,
            registered.shape,
            streams["community.nursing"],
        )
        self.demand_base = place.population.demand_base  # who makes demand [practice, age, cohort]
        self.gp_fte = place.gp_fte
        self.federation_size = np.array([place.list_sizes[m].sum() for m in self.hub.members])
        self._derive(spec)
        self.month_costs = []  # unit costs in force in each reported month
        # interventions: fixed reach now, multipliers each month (all 1.0 when no lever is on)
        base = place.population.demand_base
        expected = {
            "gp_requests": self.request_rate * WORKING_DAYS_PER_YEAR,
            "emergency_admissions": per_practice(base, self.rates.emergency_admissions),
            "outpatient_referrals": self.referral_rate * 365.0,
        }
        self.levers = Levers(
            spec.interventions, place, expected, spec.practice.appointments_per_gp_fte_day
        )
        self.fx: Effects | None = None
        self.pending_hub = np.zeros_like(registered)  # referred today, seen at the hub tomorrow
        self.pending_ae = np.zeros_like(registered)  # sent today, at A&E tomorrow
        self.working_day = 0
        # the system-dynamics layer, and last month's pressures it reads (see _couple)
        self.stocks = for_place(spec, place) if spec.dynamics.coupled else None
        self.dynamics_seconds = 0.0
        self.month_requests = np.zeros(len(place.practice_codes))
        self.month_slots = np.zeros(len(place.practice_codes))

    def _derive(self, spec: ScenarioSpec) -> None:
        """Rates that follow from the scenario's parameters; again whenever a change moves them."""
        self.spec = spec
        self.rates = Rates.of(spec, self.place)
        self._demand_from(self.demand_base)
        self.gp_slot_rate = self.gp_fte * spec.practice.appointments_per_gp_fte_day
        hub = spec.hub
        self.hub_slot_rate = (
            hub.minutes_per_1000_per_week
            * self.federation_size
            / 1000
            / hub.minutes_per_appointment
            / 7
        )
        leavers = spec.leavers
        self.leaver_split = [
            leavers.to_hub_share,
            leavers.to_ae_share,
            1 - leavers.to_hub_share - leavers.to_ae_share,
        ]
        self.nursing.discharge_chance = min(1.0, 1.0 / spec.community.nursing_episode_days)
        if getattr(self, "stocks", None) is not None:
            self.stocks.spec = spec.dynamics  # money per head may change in time

    def _demand_from(self, base: np.ndarray) -> None:
        """Daily rates from the people who make demand, ``base`` [practice, age, cohort]."""
        rates = self.rates
        self.request_rate = per_practice(base, rates.gp_requests) / WORKING_DAYS_PER_YEAR
        self.ae_rate = per_practice(base, rates.ae_attendances) / 365.0
        self.ae_age_weights = base * rates.ae_attendances
        self.gp_age_weights = base * rates.gp_requests
        self.outpatient_rate = per_practice(base, rates.outpatient_attendances) / 365.0
        self.referral_rate = per_practice(base, rates.outpatient_referrals) / 365.0
        self.nursing_rate = per_practice(base, rates.nursing_referrals) / 365.0

    def _enter_month(self, first: int) -> int:
        """Apply the month's phased ``[[changes]]``; return the reported month (<0 in warm-up).

        Rates are re-derived only in months whose values moved.
        """
        reported = int(self.clock.month_of_day[first])
        spec = self.scenario.spec_for_month(reported)
        if spec is not self.spec:
            self._derive(spec)
        if reported >= 0:
            self.month_costs.append(spec.costs)
        return reported

    def _new_money(self) -> np.ndarray | float:
        """Extra GP funding reaching practices this month, [practice, cohort] by list share (GBP).

        It is spent whether or not the capacity it buys is used. The appointments it buys are
        costed at the unit cost as well, so with new money the cost errs high, never low.
        """
        if self.stocks is None:
            return 0.0
        share = self.registered / np.maximum(self.registered.sum(axis=1, keepdims=True), 1)
        return self.stocks.new_money[:, None] * share

    def beds_occupied_now(self) -> float:
        """Occupied acute beds at the end of the last month simulated (the stocks' pressure)."""
        return self.trust.in_beds

    def _couple(self, first: int) -> None:
        """The monthly coupling: stocks advance on last month's pressures, then set this month.

        The first month runs on the place as synthesised (the stocks equal it exactly), so a
        coupled run and an uncoupled one agree until the stocks first move.
        """
        stocks, spec = self.stocks, self.spec
        if stocks is None:
            d = spec.dynamics
            heads = self.place.list_sizes
            money = d.gp_funding_GBP_per_head_per_year + d.extra_gp_funding_GBP_per_head_per_year
            self.collector.stocks(
                first,
                registered=self.registered,
                gp_fte=self.place.gp_fte,
                gp_fte_funded=self.place.gp_fte,
                funding_allocated=money * heads / 12,
                investment_committed=d.gp_funding_GBP_per_head_per_year * heads / 12,
            )
            return
        began = time.perf_counter()
        if first > 0:
            stocks.month(Pressures(self.month_requests, self.month_slots, self.beds_occupied_now()))
            self.demand_base, self.gp_fte = stocks.demand_base, stocks.gp_fte
            self._demand_from(self.demand_base)
            self.gp_slot_rate = self.gp_fte * spec.practice.appointments_per_gp_fte_day
            self.trust.beds.capacity = stocks.beds
        self.month_requests = np.zeros_like(self.month_requests)
        self.month_slots = np.zeros_like(self.month_slots)
        self.collector.stocks(
            first,
            registered=stocks.registered,
            gp_fte=stocks.gp_fte,
            gp_fte_funded=stocks.funded_fte,
            funding_allocated=stocks.funding_allocated,
            investment_committed=stocks.investment_committed,
        )
        self.dynamics_seconds += time.perf_counter() - began

    def month(self, first: int, end: int) -> None:
        """Days ``first`` to ``end - 1``: practices and hub day by day, then the trust."""
        clock, streams, collector = self.clock, self.streams, self.collector
        reported = self._enter_month(first)
        self._couple(first)
        fx = self.fx = self.levers.effects(reported, end - first)
        if reported >= 0:
            collector.pk["intervention_cost"][reported] += fx.running_cost + self._new_money()
            collector.practice["capitated_budget"][reported] = self.levers.capitated_budget()
        places = self.place.spec
        collector.capacities(
            first, beds=self.trust.beds.capacity, stepdown_beds=places.community.stepdown_beds
        )
        collector.outpatients(
            first,
            attendances=streams["outpatient.attendances"].poisson(
                self.outpatient_rate * (end - first)
            ),
            referrals=streams["outpatient.referrals"].poisson(
                self.referral_rate * fx.outpatient_referrals * (end - first)
            ),
        )
        nursing_referrals = streams["community.referrals"].poisson(
            self.nursing_rate, (end - first,) + self.registered.shape
        )
        visits_per_day = self.spec.community.nursing_visits_per_week / 7.0
        working = int(clock.is_working_day[first:end].sum())
        requests = streams["gp.requests"].poisson(
            self.request_rate * fx.gp_requests, (working,) + self.registered.shape
        )
        same_day = streams["gp.request_type"].binomial(requests, self.spec.demand.same_day_share)
        arrivals = np.stack([same_day, requests - same_day], axis=-1)
        sent_to_ae = np.zeros((end - first,) + self.registered.shape, dtype=np.int64)
        today = 0  # index of the month's working days
        for day in range(first, end):
            sent_to_ae[day - first] = self._hub_day(day)
            admitted = self.nursing.day(nursing_referrals[day - first])
            collector.community_day(
                day,
                referrals=nursing_referrals[day - first],
                admitted=admitted,
                caseload=self.nursing.caseload,
                waiting=self.nursing.waiting,
                contacts=self.nursing.caseload * visits_per_day,
            )
            if clock.is_working_day[day]:
                self._practice_day(day, requests[today], arrivals[today])
                today += 1
        background = _background_arrivals(self.ae_rate * fx.ae_attendances, first, end, streams)
        background = self._patients(background, self.ae_age_weights, None, "ae.background.patient")
        collector.ledger["ae_background"] += len(background.times)
        from_gp = _gp_origin_arrivals(sent_to_ae, first, self.spec.acute, streams)
        minor = self.spec.acute.gp_origin_minor_share
        from_gp = self._patients(from_gp, self.gp_age_weights, minor, "ae.gp_origin.patient")
        arrivals = Arrivals.merge(background, from_gp)
        collector.ae_minor(
            *(x[arrivals.minor] for x in (arrivals.times, arrivals.practice, arrivals.cohort))
        )
        self.trust.run(arrivals, until=end)

    def _patients(self, when, weights, minor_share, stream) -> Arrivals:
        """Arrivals ``(times, practice, cohort)`` with age, acuity and what will happen to each."""
        times, practice, cohort = when
        rng, acute, rates = self.streams[stream], self.spec.acute, self.rates
        n = len(times)
        age = draw_age(weights, practice, cohort, rng)
        chance = rates.minor_share[age] if minor_share is None else np.full(n, minor_share)
        minor = rng.random(n) < chance
        admit = rates.admit_if_not_minor[age, cohort] * self.fx.admissions[practice, cohort]
        admit = np.minimum(admit, 1.0)  # an intervention's multiplier never makes it above 1
        admitted = ~minor & (rng.random(n) < admit)
        treatment = acute.treatment_hours.sample(rng, n) * HOURS
        stay = acute.length_of_stay_days.sample(rng, n) * rates.stay_ratio[age, cohort]
        stay = stay * self.fx.length_of_stay[practice, cohort]
        needs = admitted & (rng.random(n) < np.asarray(acute.stepdown_share_by_age)[age])
        stepdown = np.where(needs, acute.stepdown_stay_days.sample(rng, n), 0.0)
        return Arrivals(times, practice, cohort, treatment, admitted, stay, age, minor, stepdown)

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
        slots = slots_on(self.gp_slot_rate * self.fx.gp_capacity, self.working_day)
        outcome = self.practice.working_day(self.working_day, arrivals, slots)
        self.month_requests += requests.sum(axis=1)
        self.month_slots += slots
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
            nursing_waiting_at_end=int(self.nursing.waiting.sum()),
            nursing_caseload_at_end=int(self.nursing.caseload.sum()),
        )
        outcomes = collector.dataset()
        outcomes.coords["provider"] = (
            "practice",
            self.levers.providers(self.place.spec.trust.name),
            {"long_name": "organisation that runs the practice"},
        )
        _add_cost(outcomes, self.month_costs, self.hub, collector.hub_slots, self.registered)
        outcomes.attrs["ledger"] = json.dumps(dict(sorted(collector.ledger.items())))
        return outcomes


def _background_arrivals(rate, first, end, streams) -> tuple:
    """A&E arrivals not from general practice: Poisson in continuous time, per practice × cohort."""
    counts = streams["ae.background.count"].poisson(rate * (end - first))
    practice, cohort = np.nonzero(counts)
    n = counts[practice, cohort]
    practice, cohort = np.repeat(practice, n), np.repeat(cohort, n)
    times = first + streams["ae.background.time"].random(len(practice)) * (end - first)
    order = np.argsort(times, kind="stable")
    return times[order], practice[order], cohort[order]


def _gp_origin_arrivals(counts, first, spec, streams) -> tuple:
    """A&E arrivals sent on by general practice or the hub: uniform within the day's window."""
    day, practice, cohort = np.nonzero(counts)
    n = counts[day, practice, cohort]
    day, practice, cohort = np.repeat(day, n), np.repeat(practice, n), np.repeat(cohort, n)
    opens, closes = spec.gp_arrival_window_hours
    hours = opens + streams["ae.gp_origin.time"].random(len(day)) * (closes - opens)
    times = first + day + hours / 24.0
    order = np.argsort(times, kind="stable")
    return times[order], practice[order], cohort[order]


def _add_cost(
    outcomes: xr.Dataset,
    month_costs: list[CostSpec],
    hub: Hub,
    hub_slots: np.ndarray,
    registered: np.ndarray,
) -> None:
    """Cost of each month at the unit costs in force that month (GBP).

    Contacts are costed as they happen; hub sessions are paid for whether used or not, so their
    cost is shared over the federation's registered patients, like the per-head funding behind them.
    """
    c = _MonthlyCosts(month_costs)
    v = {name: outcomes[name].values for name in outcomes.data_vars}
    practice = v["gp_appointments"] * c.practice_appointment
    acute = (
        v["ae_attendances"] * c.ae_attendance
        + v["emergency_admissions"] * c.emergency_admission
        + v["excess_bed_days"] * c.excess_bed_day
        + v["delayed_discharge_days"] * c.delayed_discharge_day
        + v["outpatient_attendances"] * c.outpatient_attendance
    )
    community = (
        v["stepdown_bed_days"] * c.stepdown_bed_day
        + v["community_nursing_contacts"] * c.community_nurse_contact
    )
    hub_spend = np.zeros_like(practice)
    for f, members in enumerate(hub.members):
        share = registered[members] / registered[members].sum()
        hub_spend[:, members] += hub_slots[:, f, None, None] * c.hub_offered_appointment * share
    outcomes["spend_practice"].values[...] = practice
    outcomes["spend_hub"].values[...] = hub_spend
    outcomes["spend_community"].values[...] = community
    outcomes["spend_acute"].values[...] = acute
    # interventions' own running costs are already in GBP (simulate/model/levers/levers.py)
    outcomes["cost"].values[...] = practice + acute + hub_spend + community + v["intervention_cost"]


class _MonthlyCosts:
    """Each unit cost as a [month, 1, 1] array (one value per reported month), for broadcasting."""

    def __init__(self, month_costs: list[CostSpec]):
        self.month_costs = month_costs

    def __getattr__(self, name: str) -> np.ndarray:
        values = [getattr(costs, name) for costs in self.month_costs]
        return np.asarray(values, dtype=float)[:, None, None]


def _mean_field_can_run(scenario: Scenario) -> None:
    """The mean field models no interventions and only some changes yet: say so, not ignore."""
    from simulate.model.meanfield import MEAN_FIELD_CHANGES

    spec = scenario.spec
    fixed = [c.key for c in spec.changes if not c.key.startswith(MEAN_FIELD_CHANGES)]
    if spec.interventions != InterventionsSpec() or fixed:
        what = "[interventions]" if not fixed else f"a change of {fixed[0]}"
        raise InputError(
            f"mode sd does not model {what} yet; run the hybrid mode",
            file=scenario.folder / f"{scenario.name}.toml",
            key="dynamics.mode",
        )
