"""A place file: the organisations of a health economy and its registered lists, read and checked.

A place file (``scenarios/places/*.toml``) lists localities, federations (each with its hub), GP
practices (list size, age profile, deprivation, workforce), the community provider and the acute
trust. Practice lists may come from a CSV in the layout of NHS Digital's "Patients Registered at a
GP Practice" (see :mod:`simulate.inputs.practice_list`). Reading a place gives its spec, its text
(with the CSV's hash stamped in, so a cube records which list it was made with) and its registered
persons by practice × sex × five-year age band, whichever source gave them (:func:`read_place`).

This module is the file only. The place a run uses, with its synthetic population, is
:class:`simulate.model.place.Place`: the population is synthesised from these counts once per
place (:mod:`simulate.model.population`), as NumPy columns, never one object per patient.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated, Literal, NamedTuple

import numpy as np
from pydantic import Field, NonNegativeInt, PositiveInt, model_validator

from simulate.errors import InputError, InputErrors
from simulate.inputs.catchment import check_organisations
from simulate.inputs.categories import AGE5
from simulate.inputs.files import CSV_LIMIT, open_regular
from simulate.inputs.mental_health import MentalHealthTrustSpec, check_trust
from simulate.inputs.practice_list import read_practice_csv
from simulate.inputs.residence import check_residence
from simulate.inputs.toml import line_of, read_toml, tomllib, validate
from simulate.inputs.types import Share, Spec

ServiceLine = Literal["emergency", "outpatients"]
"""What a catchment is given for: A&E with the emergency admissions it leads to, and outpatients."""
Catchment = dict[ServiceLine, dict[str, Share]]
"""Share of a locality's (or practice's) patients each acute trust sees, by service line."""


class LocalitySpec(Spec):
    """A locality: the geography residents live in and services are planned for."""

    code: str
    name: str
    catchment: Catchment = {}  # by service line, {trust code: share}; checked in inputs.catchment


class FederationSpec(Spec):
    """A federation of practices that runs a shared extended-access hub."""

    code: str
    name: str
    hub: str = ""  # where the hub runs (a site name)


class PracticeSpec(Spec):
    """A GP practice: its registered list, population profile and workforce."""

    code: str
    name: str
    federation: str
    locality: str
    list_size: PositiveInt | None = None  # persons; may come from the practice CSV instead
    age_profile: str | None = None  # a key of [age_profiles]; not needed when the CSV has it
    deprivation_quintile: int = Field(ge=1, le=5)  # IMD quintile, 1 = most deprived
    gp_fte: float = Field(ge=0)
    nurse_fte: float = Field(ge=0)
    catchment: Catchment = {}  # overrides the locality's, service line by service line
    residents: dict[str, Share] = {}  # overrides its place's: {place code: share of the list}


class CommunitySpec(Spec):
    """The community provider (or MCP): community nursing and step-down beds."""

    name: str
    nursing_caseload: NonNegativeInt  # patients on the district nursing caseload at once
    stepdown_beds: NonNegativeInt  # intermediate-care (step-down) beds


class TrustSpec(Spec):
    """An acute trust: A&E treatment cubicles and general and acute beds for emergencies."""

    code: str | None = None  # what catchments name it by; its name when not given
    name: str
    ae_cubicles: PositiveInt
    beds: PositiveInt

    @property
    def key(self) -> str:
        """The trust's code in catchments and in the cube's ``provider`` coordinate."""
        return self.code or self.name


class SubPlaceSpec(Spec):
    """A place within a system (a borough, a former CCG): its own practices, shared providers."""

    code: str
    name: str
    practices: list[str] = Field(min_length=1)  # practice codes; each in one place only
    # share of the place's registered lists resident in each place {place code: share}; none:
    # all live in their own place (checked in inputs.residence)
    residents: dict[str, Share] = {}


class PopulationSpec(Spec):
    """How the registered population is made (sources in the place files).

    Either synthesised person by person from age-specific prevalence (every key but
    ``cohort_shares``), or, with ``cohort_shares``, a fixed cohort table: each practice's list
    split over cohorts by largest remainder, everyone resident and of no modelled age. The table
    is what the reference workload (shared/bench/WORKLOAD.md §2) prescribes; real places synthesise.
    """

    seed: NonNegativeInt = 1
    practice_csv: str | None = None
    cohort_shares: list[Share] | None = Field(None, min_length=5, max_length=5)
    female_share: Share | None = None
    prevalence_2plus_by_age: list[Share] | None = Field(None, min_length=5, max_length=5)
    ltc_count_shape: float | None = Field(None, gt=0)
    deprivation_onset_shift_years: float | None = Field(None, ge=0)
    list_inflation: float | None = Field(None, ge=0, le=0.5)
    cross_boundary_share: Share | None = None
    own_locality_share: Share | None = None
    risk_age_weights: list[float] | None = Field(None, min_length=8, max_length=8)
    risk_ltc_weights: list[float] | None = Field(None, min_length=5, max_length=5)
    risk_noise_sigma: float | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _table_or_synthesis(self) -> PopulationSpec:
        if self.cohort_shares is not None:
            if abs(sum(self.cohort_shares) - 1) > 1e-9:
                raise ValueError("cohort_shares must sum to 1")
            return self
        for key in type(self).model_fields:
            if key not in ("seed", "practice_csv", "cohort_shares") and getattr(self, key) is None:
                raise ValueError(f"missing key {key!r} (or give cohort_shares for a cohort table)")
        return self

    @property
    def is_table(self) -> bool:
        """True for a fixed cohort table (no ages, no synthesis)."""
        return self.cohort_shares is not None


class PracticeVariationSpec(Spec):
    """Practice propensities beyond case mix: lognormal spread of log-sd, drawn from the seed.

    Zero (the default) means practices differ only through their populations. The ``place_``
    keys add an effect shared by every practice of a place (``[[places]]``): the place's own
    lognormal propensity, so places differ beside the practices within them.
    """

    emergency_admission_sd_log: float = Field(0.0, ge=0, le=1)
    outpatient_referral_sd_log: float = Field(0.0, ge=0, le=1)
    place_emergency_admission_sd_log: float = Field(0.0, ge=0, le=1)
    place_outpatient_referral_sd_log: float = Field(0.0, ge=0, le=1)


AgeShares = Annotated[list[float], Field(min_length=len(AGE5), max_length=len(AGE5))]


class PlaceSpec(Spec):
    """A place file, validated."""

    name: str
    description: str = ""
    population: PopulationSpec
    age_profiles: dict[str, AgeShares] = {}
    localities: list[LocalitySpec] = Field(min_length=1)
    federations: list[FederationSpec] = Field(min_length=1)
    practices: list[PracticeSpec] = Field(min_length=1)
    community: CommunitySpec
    trust: TrustSpec | None = None  # a place with one acute trust
    trusts: list[TrustSpec] = []  # or several, reached by the catchments
    places: list[SubPlaceSpec] = []  # a system of several places (optional)
    mental_health: MentalHealthTrustSpec | None = None  # the mental-health trust, if modelled
    # whose outcomes a place's are: its practices' registered patients, or the people living in
    # it (by the resident shares); what compare --by place reports (inputs.residence)
    commissioning: Literal["registered", "resident"] = "registered"
    variation: PracticeVariationSpec = PracticeVariationSpec()

    @property
    def acute_trusts(self) -> list[TrustSpec]:
        """The acute trusts, in file order (one for a place that gives ``[trust]``)."""
        return [self.trust] if self.trust is not None else list(self.trusts)

    @model_validator(mode="after")
    def _consistent(self) -> PlaceSpec:
        if (self.trust is None) == (not self.trusts):
            raise ValueError("give one acute trust as [trust] or several as [[trusts]]")
        for name, shares in self.age_profiles.items():
            if any(s < 0 for s in shares) or sum(shares) <= 0:
                raise ValueError(f"age profile {name!r} needs non-negative shares, not all zero")
        for kind, items in (("practice", self.practices), ("federation", self.federations)):
            codes = [item.code for item in items]
            if len(set(codes)) != len(codes):
                raise ValueError(f"{kind} codes must be unique")
        federations = {f.code for f in self.federations}
        localities = {loc.code for loc in self.localities}
        for p in self.practices:
            if p.federation not in federations:
                raise ValueError(f"practice {p.code} names federation {p.federation!r}, not listed")
            if p.locality not in localities:
                raise ValueError(f"practice {p.code} names locality {p.locality!r}, not listed")
            if p.age_profile is not None and p.age_profile not in self.age_profiles:
                raise ValueError(
                    f"practice {p.code} names age profile {p.age_profile!r}, not listed"
                )
        return self


def largest_remainder(total: int, shares: np.ndarray) -> np.ndarray:
    """Integers proportional to ``shares`` that sum to ``total`` exactly (ties to lower index).

    How a list is split over age bands and sexes here, and over cohorts for a cohort table
    (:func:`simulate.model.population.cohort_table`), so the parts always add up to the list.
    """
    exact = total * np.asarray(shares, dtype=float) / np.sum(shares)
    counts = np.floor(exact).astype(np.int64)
    order = np.argsort(-(exact - counts), kind="stable")
    counts[order[: total - counts.sum()]] += 1
    return counts


class PlaceFile(NamedTuple):
    """A place file as read: what :class:`simulate.model.place.Place` is made of."""

    spec: PlaceSpec
    text: str  # the file's text, with the practice CSV's hash stamped in when it names one
    age_sex: np.ndarray  # registered persons [practice, sex (0 male, 1 female), AGE5 band]


def read_place(path: Path, text: str | None = None, practice_csv: Path | None = None) -> PlaceFile:
    """Read and validate a place file (and its practice CSV, if it names one).

    With ``text`` (e.g. the one a cube stores) the file itself is not read: ``path`` then only
    names the text in messages and gives the folder a practice CSV is read from, unless
    ``practice_csv`` names the CSV itself (its hash is checked against the text's all the same).
    """
    given = text is not None
    if text is None:
        data, text = read_toml(path)
    else:
        data = tomllib.loads(text)
    spec = validate(PlaceSpec, data, path, text)
    problems = (
        check_organisations(spec, path, text)
        + check_trust(spec, path, text)
        + check_residence(spec, path, text)
    )
    if problems:
        raise InputErrors(problems)
    text, from_csv = _practice_csv(spec, text, path, given, practice_csv)
    age_sex = _age_sex(spec, from_csv, text, path)
    _check_memory(spec, int(age_sex.sum()), path)
    return PlaceFile(spec, text, age_sex)


BYTES_PER_PERSON = 300
"""Peak memory of synthesising the population, per registered person (bytes).

Measured with ``tracemalloc`` on the default place (250,000 persons): 245 bytes a person at the
peak of :func:`simulate.model.population.synthesise`, 257 with the place's derived arrays; 300
leaves a margin. The columns kept afterwards are 12 bytes a person.
"""


def _check_memory(spec: PlaceSpec, persons: int, path: Path) -> None:
    """Refuse a place whose population could not be held, before a byte of it is allocated.

    A typing slip (``list_size = 1000000000``) would otherwise swap the machine for minutes and
    end in the kernel's out-of-memory kill, with no word of why.
    """
    if spec.population.is_table:
        return  # a cohort table is a few numbers a practice, however many persons it counts
    import psutil  # a dask.distributed dependency; reads free memory portably

    need, free = persons * BYTES_PER_PERSON, psutil.virtual_memory().available
    if need > free:
        raise InputError(
            f"{persons:,} registered persons would need about {need / 2**30:,.0f} GiB of memory "
            f"to synthesise; this machine has {free / 2**30:,.1f} GiB free: check list sizes",
            file=path,
            key="practices",
        )


def _practice_csv(
    spec: PlaceSpec, text: str, path: Path, given: bool = False, named: Path | None = None
) -> tuple[str, dict[str, np.ndarray]]:
    """The text with the CSV's hash stamped in, and the CSV's counts by practice code.

    The CSV shapes the results, so its hash joins the text that cubes and parts record; a text
    that already has a hash (a cube's) must match the CSV found now, or a rerun would silently
    use a different list.

    A ``given`` text (a cube's) is provenance, not an instruction: only the file *name* it gives
    is looked up, in ``path``'s folder, and only when the text records the file's hash, which is
    checked before a line of the file is parsed (a cube naming /etc/shadow reads nothing).
    """
    if not spec.population.practice_csv:
        return text, {}
    csv_path = path.parent / spec.population.practice_csv
    if given:
        csv_path = path.parent / Path(spec.population.practice_csv).name
        if f"# {spec.population.practice_csv} sha256 " not in text:
            raise InputError(
                f"names a practice CSV ({csv_path.name}) but records no hash of it", file=path
            )
    csv_path = named or csv_path  # a CSV the user names (reproduce --practice-csv), hash checked
    with open_regular(csv_path, CSV_LIMIT, "practice CSV") as file:
        digest = hashlib.sha256(file.read()).hexdigest()
    stamp = f"# {spec.population.practice_csv} sha256 {digest}"
    if "sha256" in text and stamp not in text:  # checked before a line of it is parsed
        raise InputError("differs from the practice list the cube was made with", file=csv_path)
    from_csv = read_practice_csv(csv_path, {p.code for p in spec.practices})
    if stamp not in text:
        text = f"{text}\n{stamp}\n"
    return text, from_csv


def _age_sex(spec: PlaceSpec, from_csv: dict[str, np.ndarray], text: str, path: Path) -> np.ndarray:
    """Registered persons by practice × sex × age band: from the CSV, or the list split by profile.

    A practice not in the CSV needs ``list_size`` and ``age_profile``; its list is split over
    age bands, then each band over the sexes, by largest remainder, so the counts sum to the list.
    """
    age_sex = np.zeros((len(spec.practices), 2, len(AGE5)), dtype=np.int64)
    female = spec.population.female_share
    for i, p in enumerate(spec.practices):
        where = ("practices", i)
        if spec.population.is_table and p.list_size is not None:
            age_sex[i, 0, 0] = p.list_size  # a cohort table models no ages: one band holds all
            continue
        if p.code in from_csv:
            age_sex[i] = from_csv[p.code]
            if p.list_size is not None and p.list_size != age_sex[i].sum():
                raise InputError(
                    f"list_size {p.list_size} differs from the practice CSV's "
                    f"{age_sex[i].sum()} for {p.code}",
                    file=path,
                    line=line_of(text, (*where, "list_size")),
                    key=f"practices[{i}].list_size",
                )
            continue
        for key in ("list_size", "age_profile"):
            if getattr(p, key) is None:
                raise InputError(
                    f"missing key (practice {p.code} is not in a practice CSV)",
                    file=path,
                    line=line_of(text, where),
                    key=f"practices[{i}].{key}",
                )
        by_age = largest_remainder(p.list_size, np.asarray(spec.age_profiles[p.age_profile]))
        women = np.array([largest_remainder(int(n), [1 - female, female])[1] for n in by_age])
        age_sex[i] = np.stack([by_age - women, women])
    return age_sex
