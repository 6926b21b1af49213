"""Mental-health crisis care: presentations at A&E, liaison psychiatry, beds, out-of-area care.

A place with a mental-health trust (``[mental_health]`` in its place file) gets this tier; a place
without one never builds it, so its runs draw nothing more and are what they were. Each month:

1. **Community mental-health teams.** ``cmht_need_share`` of the list need a team; the teams hold
   at most their caseload, so the share in contact is ``min(1, caseload / need)``.
2. **Crisis presentations** at A&E are Poisson per practice × cohort: everyone else at
   ``crisis_presentations_per_1000_per_year``, people needing a team at the rate of those in
   contact or of those not, all times the cohort's multimorbidity ratio (normalised to the
   place's mix). Each presentation reaches an acute trust's A&E by the emergency catchment.
3. **Liaison psychiatry.** After ``hours_to_liaison_referral`` in A&E the patient is referred to
   the trust's liaison team (:class:`~simulate.model.tiers.mh_services.Liaison`) and waits for a
   practitioner, first come first served, then is assessed.
4. **Beds.** ``admission_share`` of those assessed are to be admitted: with a local bed free they
   leave A&E ``bed_transfer_hours`` later; with none (:class:`~simulate.model.tiers.mh_services.
   LossBeds`) they are placed out of area for their stay and leave after
   ``out_of_area_search_hours``. Admissions by other routes (``other_admissions_per_1000_per_
   year``) compete for the same beds. The rest go home from A&E after their assessment.

Patients whose referral or decision falls after the month's end wait for the next month, so
the queues are first come first served across months. Nothing here states an effect of the
teams on A&E or beds: what changes them is who presents, and how long the queues hold them.
The patients take no acute cubicle (the acute tier's published A&E rate already counts them):
the time they spend is their own, counted in ``mh_*`` variables. Random draws come from the
tier's own streams (``mh.*``), so adding the tier shifts no other number.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from simulate.inputs.catchment import catchment_shares
from simulate.model.mh_outcomes import MentalHealthSums, with_provider
from simulate.model.tiers.catchment import cumulative, route
from simulate.model.tiers.mh_services import Liaison, LossBeds

HOURS = 1.0 / 24.0


@dataclass
class Crises:
    """Patients in crisis on their way through A&E (times in days), one entry each."""

    arrived: np.ndarray
    practice: np.ndarray
    cohort: np.ndarray
    trust: np.ndarray
    referred: np.ndarray  # when referred to liaison psychiatry
    assessment: np.ndarray  # how long the assessment takes (days)
    admit: np.ndarray  # to be admitted to a mental-health bed after it
    stay: np.ndarray  # days in the bed (local or out of area)
    transfer: np.ndarray  # days from the decision to leaving A&E for a local bed
    search: np.ndarray  # days from the decision to leaving A&E for a bed out of area
    decided: np.ndarray  # when the assessment ended (NaN until it has)

    def take(self, keep: np.ndarray) -> Crises:
        """The patients where ``keep`` is true (or at the indices ``keep``)."""
        return Crises(**{f.name: getattr(self, f.name)[keep] for f in fields(self)})

    @classmethod
    def join(cls, a: Crises, b: Crises) -> Crises:
        """Two batches as one."""
        return cls(
            **{
                f.name: np.concatenate([getattr(a, f.name), getattr(b, f.name)])
                for f in fields(cls)
            }
        )

    def __len__(self) -> int:
        return len(self.arrived)


def crisis_rates(spec, people: np.ndarray, caseload: int) -> tuple[np.ndarray, float, float]:
    """Expected crisis presentations a year [practice, cohort], the need and those in contact.

    ``people`` [practice, cohort] are those who make demand. The multimorbidity ratios are
    normalised to the place's mix, so the rates are the place's means.
    """
    need = spec.cmht_need_share * people.sum()
    contact = min(1.0, caseload / need) if need > 0 else 1.0
    ratio = np.asarray(spec.crisis_rate_ratio_by_ltc_count, dtype=float)
    mean_ratio = (people * ratio).sum() / max(people.sum(), 1)
    share = spec.cmht_need_share
    per_person = (1 - share) * spec.crisis_presentations_per_1000_per_year / 1000 + share * (
        contact * spec.crisis_presentations_per_person_year_in_contact
        + (1 - contact) * spec.crisis_presentations_per_person_year_not_in_contact
    )
    return people * ratio / mean_ratio * per_person, float(need), float(min(need, caseload))


class EventMentalHealth:
    """The mental-health trust's crisis pathway as a tier: liaison queues and a loss of beds."""

    def __init__(self, place, clock, streams):
        self.trust = mh = place.spec.mental_health
        acute = [t.key for t in place.spec.acute_trusts]
        self.liaison = [Liaison(mh.liaison_practitioners_per_ae) for _ in acute]
        self.beds = LossBeds(mh.beds)
        self.emergency = cumulative(catchment_shares(place.spec, "emergency"))
        self.sums = MentalHealthSums(clock, len(place.practice_codes), acute)
        self.streams = streams
        self.waiting = self.deciding = None  # patients carried into the next month
        self.filled = False  # the beds filled as in their steady state, at the first month
        self.counts = dict.fromkeys(("presented", "home", "local", "away", "other"), 0)

    @classmethod
    def of_place(cls, place, clock, streams) -> EventMentalHealth | None:
        """The tier for ``place``, or None for a place without a mental-health trust."""
        return cls(place, clock, streams) if place.spec.mental_health is not None else None

    def enter(self, month) -> None:
        """The month's crises: drawn, queued for liaison, decided, admitted or placed away."""
        spec = month.spec.mental_health
        people = month.demand.base.sum(axis=1)  # [practice, cohort]
        rates, need, in_contact = crisis_rates(spec, people, self.trust.cmht_caseload)
        self.sums.month(
            month.first, cmht_need=need, cmht_caseload=in_contact, bed_capacity=self.beds.capacity
        )
        if month.reported >= 0:
            costs = (spec.bed_day_cost_GBP, spec.out_of_area_bed_day_cost_GBP)
            self.sums.cost_per_bed_day[month.reported] = costs
        if not self.filled:
            self.filled = True
            self._fill_beds(spec, rates.sum(), people.sum(), month.first)
        new = self._draw(spec, rates, month)
        self.counts["presented"] += len(new)
        assessed = self._liaison(new, month.end)
        self._beds(assessed, spec, people.sum(), month)

    def _fill_beds(self, spec, crises: float, people: float, first: int) -> None:
        """The beds at the start as in the steady state of their admissions (M/G/infinity).

        Occupied beds are Poisson of mean admissions a day × mean stay (capped at the beds);
        each patient's stay is length-biased and they are a uniform share through it, the
        stationary residual stay of M/G/infinity, so the first months are not an empty ward
        filling up.
        """
        per_day = (
            crises * spec.admission_share + spec.other_admissions_per_1000_per_year * people / 1000
        ) / 365.0
        rng = self.streams["mh.start"]
        n = min(int(rng.poisson(per_day * spec.length_of_stay_days.mean)), self.beds.capacity)
        stays = spec.length_of_stay_days.sample(rng, 20 * n + 1)
        chosen = rng.choice(stays, size=n, p=stays / stays.sum())
        leaving = np.sort(first + rng.random(n) * chosen)
        self.beds.fill(leaving)
        self.sums.spread("mh_bed_days", np.full(n, float(first)), leaving)

    def _draw(self, spec, rates: np.ndarray, month) -> Crises:
        """The month's crisis presentations, with everything that will happen to each."""
        rng = self.streams["mh.presentations"]
        counts = rng.poisson(rates * month.days / 365.0)
        cells = np.repeat(np.arange(counts.size), counts.ravel())
        practice, cohort = np.unravel_index(cells, counts.shape)
        times = month.first + rng.random(len(cells)) * month.days
        order = np.argsort(times, kind="stable")
        times, practice, cohort = times[order], practice[order], cohort[order]
        trust = route(practice, self.emergency, self.streams["mh.catchment"])
        self.sums.presented(times, practice, cohort, trust)
        n, path = len(times), self.streams["mh.pathway"]
        return Crises(
            times,
            practice,
            cohort,
            trust,
            times + spec.hours_to_liaison_referral.sample(path, n) * HOURS,
            spec.liaison_assessment_hours.sample(path, n) * HOURS,
            path.random(n) < spec.admission_share,
            spec.length_of_stay_days.sample(path, n),
            spec.bed_transfer_hours.sample(path, n) * HOURS,
            spec.out_of_area_search_hours.sample(path, n) * HOURS,
            np.full(n, np.nan),
        )

    def _liaison(self, new: Crises, end: int) -> Crises:
        """Referrals before ``end`` assessed, first come first served at each A&E's team."""
        pool = new if self.waiting is None else Crises.join(self.waiting, new)
        pool = pool.take(np.argsort(pool.referred, kind="stable"))
        due = pool.referred < end
        self.waiting, pool = pool.take(~due), pool.take(due)
        started = np.empty(len(pool))
        for i, team in enumerate(self.liaison):
            at = np.flatnonzero(pool.trust == i)
            started[at] = team.serve(pool.referred[at], pool.assessment[at])
        pool.decided = started + pool.assessment
        self.sums.assessed(pool.arrived, pool.referred, started, pool.trust)
        home = ~pool.admit
        self.sums.left_ae(pool.arrived[home], pool.decided[home], pool.trust[home])
        self.counts["home"] += int(home.sum())
        return pool.take(pool.admit)

    def _beds(self, admit: Crises, spec, people: float, month) -> None:
        """Decisions to admit before the month's end, and other routes' admissions, to beds."""
        pool = admit if self.deciding is None else Crises.join(self.deciding, admit)
        pool = pool.take(np.argsort(pool.decided, kind="stable"))
        due = pool.decided < month.end
        self.deciding, pool = pool.take(~due), pool.take(due)
        rng = self.streams["mh.other_admissions"]
        others = rng.poisson(
            spec.other_admissions_per_1000_per_year * people / 1000 * month.days / 365
        )
        other_times = np.sort(month.first + rng.random(others) * month.days)
        other_stays = spec.length_of_stay_days.sample(rng, others)
        self.counts["other"] += int(others)
        times = np.concatenate([pool.decided, other_times])
        stays = np.concatenate([pool.stay, other_stays])
        order = np.argsort(times, kind="stable")
        local = np.empty(len(times), dtype=bool)
        local[order] = self.beds.admit(times[order], stays[order])
        self.sums.admitted(times, stays, local)
        here = local[: len(pool)]
        left = pool.decided + np.where(here, pool.transfer, pool.search)
        self.sums.left_ae(pool.arrived, left, pool.trust)
        self.counts["local"] += int(here.sum())
        self.counts["away"] += int((~here).sum())

    def ledger(self) -> dict[str, int]:
        """Every crisis presentation accounted for: where each was at the run's end."""
        waiting = sum(len(x) for x in (self.waiting, self.deciding) if x is not None)
        c = self.counts
        return {
            "mh_crisis_presentations": c["presented"],
            "mh_home_from_ae": c["home"],
            "mh_admitted_local_from_ae": c["local"],
            "mh_out_of_area_from_ae": c["away"],
            "mh_in_ae_at_end": waiting,
            "mh_other_route_admissions": c["other"],
        }

    def outputs(self, outcomes):
        """The run's outcomes with the ``mh_*`` variables and the trust as a provider."""
        mh = self.trust
        outcomes = with_provider(outcomes, mh.code, mh.name)
        return outcomes.merge(self.sums.dataset(mh.code, mh.name), join="left")
