"""Mental health: the mental-health trust of a place file, and the scenario's ``[mental_health]``.

A place that lists ``[mental_health]`` has a mental-health trust: its adult acute beds, its
liaison psychiatry practitioners on duty at each acute trust's A&E, and its community
mental-health teams' caseload. A place without one models no mental-health services at all, and
runs exactly as before. The scenario's ``[mental_health]`` gives the mechanism's rates: who
presents in crisis, how long each step takes, who is admitted, what a bed day costs. Every value
has its unit in its name, and its source and range beside it; the simulation is
:mod:`simulate.model.tiers.mental_health`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from pydantic import Field, NonNegativeFloat, NonNegativeInt, PositiveInt

from simulate.errors import InputError
from simulate.inputs.categories import COHORTS
from simulate.inputs.distributions import Duration, LogNormal
from simulate.inputs.toml import dotted, line_of
from simulate.inputs.types import Share, Spec

if TYPE_CHECKING:
    from pathlib import Path

RatioByCohort = Annotated[
    list[Annotated[float, Field(gt=0)]], Field(min_length=len(COHORTS), max_length=len(COHORTS))
]


class MentalHealthTrustSpec(Spec):
    """A place's mental-health trust: its beds, liaison psychiatry and community teams."""

    code: str  # its code in the cube's provider coordinate (not an acute trust's)
    name: str
    beds: NonNegativeInt  # adult and older-adult acute mental-health beds
    liaison_practitioners_per_ae: PositiveInt  # on duty round the clock at each acute trust's A&E
    cmht_caseload: NonNegativeInt  # persons the community mental-health teams can hold at once


def check_trust(spec, path: Path, text: str) -> list[InputError]:
    """The mental-health trust's code is its own, not an acute trust's (the cube's provider)."""
    mh = spec.mental_health
    if mh is None or mh.code not in [t.key for t in spec.acute_trusts]:
        return []
    at = ("mental_health", "code")
    return [
        InputError(
            f"{mh.code!r} is an acute trust's code too",
            file=path,
            line=line_of(text, at),
            key=dotted(at),
        )
    ]


def _hours(mean: float, sd: float) -> LogNormal:
    return LogNormal(dist="lognormal", mean=mean, sd=sd)


class MentalHealthSpec(Spec):
    """How people in mental-health crisis use A&E, liaison psychiatry and mental-health beds.

    Used only where the place has a mental-health trust. Crisis presentations at A&E come from
    everyone at ``crisis_presentations_per_1000_per_year`` and, for people who need a community
    mental-health team (``cmht_need_share`` of the list), at their own rates in or out of a
    team's contact; the teams hold at most the trust's caseload. Multimorbidity raises both by
    ``crisis_rate_ratio_by_ltc_count``. After time in A&E they are referred to liaison
    psychiatry, assessed, and a share is admitted to a mental-health bed, or, with none free
    locally, placed out of area.
    """

    # presentations per 1,000 registered persons a year, by people not needing a CMHT (Baracaia
    # et al. 2020, EMJ, HES 2013-14: 4.2% of ED attendances for mental health, median trust 3.2%,
    # IQR 2.6-4.1%, of 402 attendances per 1,000 registered: 10.5-17 per 1,000 with the CMHT
    # groups below; range 8-14)
    crisis_presentations_per_1000_per_year: NonNegativeFloat = 10.5
    # share of the list needing a community mental-health team (assumption: QOF serious mental
    # illness register about 0.94% of registered patients, recalled; range 0.8-1.1%)
    cmht_need_share: Share = 0.0094
    # crisis presentations per person-year of people needing a CMHT, in a team's contact and not
    # (assumption: none published found; HSCIC 2013 found 41% of mental-health service users
    # attended A&E in a year against 19% of everyone; ranges 0.2-0.5 and 0.3-1.0)
    crisis_presentations_per_person_year_in_contact: NonNegativeFloat = 0.3
    crisis_presentations_per_person_year_not_in_contact: NonNegativeFloat = 0.6
    # relative crisis rate by number of long-term conditions 0, 1, 2, 3, 4+ (Barnett et al.
    # 2012, Lancet: adjusted odds of a mental-health disorder 1.95 with one physical disorder,
    # 6.74 with five or more; odds ratios taken to prevalence ratios at 10% prevalence with none,
    # 2-4 interpolated geometrically, 4+ at 5.5: assumption; range 1-2 to 1-5); normalised to
    # the place's mix, so the rates above are the place's means
    crisis_rate_ratio_by_ltc_count: RatioByCohort = [1.0, 1.78, 2.28, 2.87, 3.79]
    # hours in A&E before the referral to liaison psychiatry (triage, medical assessment and
    # clearance; assumption: mean 3, range 1-6)
    hours_to_liaison_referral: Duration = _hours(3.0, 2.0)
    # hours of a liaison assessment (about 60 minutes' contact a referral, Strategies to measure
    # and improve ED performance, scoping review 2020, table 8; with notes and arranging care:
    # assumption mean 1.5, range 1-3)
    liaison_assessment_hours: Duration = _hours(1.5, 0.75)
    # share of crisis presentations admitted to a mental-health bed after assessment (assumption:
    # range 0.05-0.15; Baracaia et al. 2020: 1 in 3 admitted to any hospital bed)
    admission_share: Share = 0.08
    # admissions to mental-health beds by other routes (crisis and home-treatment teams, Mental
    # Health Act assessments at home), per 1,000 a year: derived, 1.9 admissions per 1,000 in all
    # (18 acute beds per 100,000 at 95% occupancy and 33 days, Centre for Mental Health 2019 from
    # NHS Benchmarking) less the A&E route's 14 x 0.08 = 1.1 (range 0.4-1.2)
    other_admissions_per_1000_per_year: NonNegativeFloat = 0.8
    # days in a mental-health bed (NHS Benchmarking via Centre for Mental Health 2019: mean 33,
    # King's Fund 2024: 39 in 2023; sd assumption)
    length_of_stay_days: Duration = _hours(33.0, 30.0)
    # hours from the decision to admit to leaving A&E for a local bed (assumption: mean 4,
    # range 2-8)
    bed_transfer_hours: Duration = _hours(4.0, 3.0)
    # hours from the decision to admit to leaving A&E for a bed out of area, found by a search
    # beyond the trust (assumption: mean 16, range 8-72; HSJ 2022 FOI: waits up to three days)
    out_of_area_search_hours: Duration = _hours(16.0, 12.0)
    # GBP a local mental-health bed day (assumption: about 420, PSSRU unit costs recalled,
    # range 350-500)
    bed_day_cost_GBP: NonNegativeFloat = 420.0
    # GBP an out-of-area bed day (NHS Digital Out of Area Placements 2018 via Mind: 545 a day
    # for an inappropriate placement; range 450-650)
    out_of_area_bed_day_cost_GBP: NonNegativeFloat = 545.0
