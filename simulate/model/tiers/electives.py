"""Elective care: GP referral -> first outpatient attendance -> decision to admit -> admission.

One tier of the month protocol, on count arrays [practice, cohort], day by day within each month
(it exchanges nothing with the other tiers within a month, so it runs its days when it enters):

- **referrals** the practices make (the demand rate, times the levers' referral multiplier) go,
  on working days, to outpatients; with referral management (the ``referral_management`` lever)
  a share is triaged, a share of those is redirected to a community clinic while it has
  appointments that day, and a share of those seen there is referred on to outpatients;
- **outpatients**: each referral waits ``first_outpatient_wait_days`` (a delay, uncapacitated:
  an M/G/∞ stage, :mod:`simulate.model.tiers.delays`) for its first attendance, which brings
  ``follow_ups_per_first_attendance`` follow-ups (counted with the first) and, for a share, a
  decision to admit; attendances from other sources (consultants, A&E) are the rest of the
  published attendance rate, drawn as before;
- **the elective waiting list** is one list for the trust, admitted first come first served
  (by day of decision) up to the trust's elective capacity each working day;
- **admission**: a day case goes home the same day; an ordinary elective takes a bed for its
  stay. Elective beds are a separate, ring-fenced pool, uncapacitated (the limit is the
  admission capacity, the theatres): they do not compete with emergency beds, a documented
  simplification (``docs/explanation/model.md``), so ``beds_occupied`` stays emergency beds.

The event tier draws whole patients; the fluid tier (the mean field) moves expected numbers by
the same steps (:class:`Expected`), so the two agree in expectation except where the capacity
binds (``E[min(X, c)] < min(E[X], c)``).

A month with no referrals and nobody in the pathway (outpatients not part of a scenario, as in
the benchmark workload) skips its days: they would draw nothing and change nothing.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from simulate.model.rates import per_practice
from simulate.model.tiers.delays import DelayLine
from simulate.model.tiers.month import Month

FLOWS = (
    "outpatient_referrals",
    "referrals_triaged",
    "community_clinic_attendances",
    "community_clinic_onward_referrals",
    "outpatient_first_attendances",
    "outpatient_attendances",
    "elective_decisions",
    "elective_admissions",
    "elective_day_cases",
    "elective_wait_days_sum",
    "elective_discharges",
)
"""The flows a day of the pathway reports (the ledger counts each by name)."""


class Drawn:
    """Whole patients: random counts and choices from named streams (the event tier)."""

    dtype = np.int64

    def __init__(self, streams):
        self.streams = streams

    def poisson(self, mean: np.ndarray, stream: str) -> np.ndarray:
        """Counts with mean ``mean``."""
        return self.streams[stream].poisson(mean)

    def binomial(self, n: np.ndarray, p, stream: str) -> np.ndarray:
        """Of ``n`` patients, those with chance ``p``."""
        return self.streams[stream].binomial(n, np.clip(p, 0.0, 1.0))

    def spread(self, n: np.ndarray, shares: np.ndarray, stream: str) -> np.ndarray:
        """``n`` [cells] spread over ``shares`` (last axis added), one multinomial a cell."""
        return self.streams[stream].multinomial(n, shares)

    def choose(self, waiting: np.ndarray, room: float, stream: str) -> np.ndarray:
        """Up to ``room`` of ``waiting``, chosen uniformly at random when not all fit."""
        if waiting.sum() <= room:
            return waiting.copy()
        rng = self.streams[stream]
        chosen = rng.multivariate_hypergeometric(waiting.ravel(), int(room))
        return chosen.reshape(waiting.shape)

    def line(self, duration, shape: tuple, stream: str) -> DelayLine:
        """A delay stage of whole patients."""
        return DelayLine(duration, shape, self.streams[stream])

    def whole(self, capacity: float) -> float:
        """Places usable today from accumulated capacity (whole patients only)."""
        return float(np.floor(capacity + 1e-9))


class Expected:
    """Expected numbers by the same steps (the fluid tier of the mean field)."""

    dtype = float

    def poisson(self, mean, stream):  # noqa: D102
        return np.asarray(mean, dtype=float)

    def binomial(self, n, p, stream):  # noqa: D102
        return n * np.clip(p, 0.0, 1.0)

    def spread(self, n, shares, stream):  # noqa: D102
        return n[..., None] * shares

    def choose(self, waiting, room, stream):  # noqa: D102
        total = waiting.sum()
        return waiting * (min(1.0, room / total) if total > 0 else 0.0)

    def line(self, duration, shape, stream):  # noqa: D102
        return DelayLine(duration, shape)

    def whole(self, capacity):  # noqa: D102
        return capacity


class Electives:
    """The GP-referral pathway to planned care, a month at a time (event or fluid by ``draws``)."""

    def __init__(self, place, spec, rates, clock, collector, draws):
        e = spec.electives
        self.shape = shape = place.registered.shape
        self.clock, self.collector, self.draws = clock, collector, draws
        self.outpatients = draws.line(e.first_outpatient_wait_days, shape, "electives.outpatients")
        self.beds = draws.line(e.ordinary_stay_days, shape, "electives.beds")
        self.listed: deque = deque()  # (day of decision, patients [practice, cohort])
        self.waiting = np.zeros(shape, dtype=draws.dtype)  # on the list now, all days together
        yearly = per_practice(place.population.demand_base, rates.outpatient_referrals).sum()
        needed = yearly * e.decision_to_admit_share / clock.working_days_per_year
        self.capacity = e.capacity_ratio * needed  # elective admissions per working day
        self.credit = self.clinic_credit = 0.0  # capacity accumulated, for whole patients
        self.none = np.zeros(shape, dtype=draws.dtype)

    def enter(self, month: Month) -> None:
        """The month's referrals and other outpatient attendances, then its days."""
        first, days, demand, draws = month.first, month.days, month.demand, self.draws
        effects = month.effects
        more = effects.outpatient_referrals if effects is not None else 1.0
        mean = demand.outpatient_referrals * more * days
        working = self.clock.is_working_day[first : month.end].astype(float)
        e = month.spec.electives
        per_first = 1 + e.follow_ups_per_first_attendance
        others = np.maximum(
            demand.outpatient_attendances - demand.outpatient_referrals * per_first, 0
        )
        self.collector.electives_day(
            first, outpatient_attendances=draws.poisson(others * days, "outpatient.attendances")
        )
        self.pathway = getattr(effects, "pathway", None)
        if self._idle(mean):
            self._pass(month)
            return
        referred = draws.poisson(mean, "outpatient.referrals")
        by_day = draws.spread(referred, working / working.sum(), "electives.days")
        for d, day in enumerate(range(first, month.end)):
            self.day(day, by_day[..., d], e)

    def _idle(self, referrals: np.ndarray) -> bool:
        """Whether the month has nothing to do: no referrals, no clinic, nobody in any stage.

        Then every draw of its days would be of nobody, which takes no random numbers (numpy
        draws nothing for a Poisson mean, binomial count or multinomial total of 0), so skipping
        the days leaves every stream where the days would have left it.
        """
        return not (
            referrals.any()
            or self.pathway is not None
            or self.waiting.any()
            or any(patients.any() for _, patients in self.listed)
            or not self.outpatients.empty
            or not self.beds.empty
        )

    def _pass(self, month: Month) -> None:
        """An idle month: only what its days would have changed with nobody in the pathway.

        Unused admission capacity is lost as on any day (the fraction of a patient carried), and
        the ledger names the pathway's flows, each 0. (Where an empty delay line's ring stands
        does not matter.)
        """
        self.listed.clear()  # decisions of nobody
        for _ in range(int(self.clock.is_working_day[month.first : month.end].sum())):
            self.credit += self.capacity
            self.credit -= self.draws.whole(self.credit)
        self.collector.electives_day(month.first, **dict.fromkeys(FLOWS, self.none))

    def day(self, day: int, referred: np.ndarray, e) -> None:
        """One day of the pathway, from today's referrals to tonight's census."""
        draws, working = self.draws, bool(self.clock.is_working_day[day])
        seen, onward, triaged = self._triage(referred, working)
        self.outpatients.add(referred - seen + onward)
        firsts = self.outpatients.leave()
        follow_ups = draws.poisson(firsts * e.follow_ups_per_first_attendance, "electives.follow")
        decided = draws.binomial(firsts, e.decision_to_admit_share, "electives.decisions")
        self.listed.append((day, decided))
        admitted, waited = self._admit(day) if working else (self.none, self.none)
        self.waiting += decided - admitted
        day_cases = draws.binomial(admitted, e.day_case_share, "electives.day_case")
        self.beds.add(admitted - day_cases)
        discharged = self.beds.leave()
        self.collector.electives_day(
            day,
            outpatient_referrals=referred,
            referrals_triaged=triaged,
            community_clinic_attendances=seen,
            community_clinic_onward_referrals=onward,
            outpatient_first_attendances=firsts,
            outpatient_attendances=firsts + follow_ups,
            elective_decisions=decided,
            elective_admissions=admitted,
            elective_day_cases=day_cases,
            elective_wait_days_sum=waited,
            elective_discharges=discharged,
            outpatient_waiting=self.outpatients.inside,
            elective_waiting_list=self.waiting,
            elective_bed_days=self.beds.inside,
        )

    def _triage(self, referred: np.ndarray, working: bool) -> tuple:
        """Referral management: those seen at the community clinic, referred on, and triaged."""
        pathway, draws = self.pathway, self.draws
        if pathway is None:
            return self.none, self.none, self.none
        triaged = draws.binomial(referred, pathway.triaged, "electives.triage")
        suitable = draws.binomial(triaged, pathway.redirected, "electives.redirect")
        self.clinic_credit += pathway.clinic_per_working_day if working else 0.0
        seen = draws.choose(suitable, draws.whole(self.clinic_credit), "electives.clinic")
        self.clinic_credit = max(self.clinic_credit - draws.whole(self.clinic_credit), 0.0)
        onward = draws.binomial(seen, pathway.onward, "electives.onward")
        return seen, onward, triaged

    def _admit(self, day: int) -> tuple[np.ndarray, np.ndarray]:
        """Admissions today from the list, oldest decisions first, and the days they waited.

        Capacity unused today is lost (a theatre list not filled); the fraction of a patient
        carries over, so whole patients are admitted at the capacity's mean rate.
        """
        self.credit += self.capacity
        room = self.draws.whole(self.credit)
        self.credit -= room
        admitted, waited = self.none.copy(), self.none.copy()
        while self.listed and room > 0:
            decided_on, patients = self.listed[0]
            chosen = self.draws.choose(patients, room, "electives.list")
            admitted, waited = admitted + chosen, waited + chosen * (day - decided_on)
            room -= chosen.sum()
            left = patients - chosen
            if left.sum() > 1e-12:
                self.listed[0] = (decided_on, left)
                break
            self.listed.popleft()
        return admitted, waited

    def ledger(self) -> dict[str, int]:
        """Patients still waiting for outpatients, on the elective list and in elective beds."""
        return {
            "outpatient_waiting_at_end": int(self.outpatients.inside.sum()),
            "elective_list_at_end": int(self.waiting.sum()),
            "elective_beds_at_end": int(self.beds.inside.sum()),
        }
