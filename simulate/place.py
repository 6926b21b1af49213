"""A place: the organisations of a health economy and its registered population.

A place file (``scenarios/places/*.toml``) lists the federations, the GP practices with their list
sizes and GP workforce, and the acute trust's A&E cubicles and beds. The registered population is
held as arrays (practice × cohort counts), never one object per patient; the cohort is the number
of long-term conditions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, PositiveInt, model_validator

from simulate.inputs import read_toml, tomllib, validate

COHORTS = ("0", "1", "2", "3", "4+")
"""Cohorts by number of long-term conditions."""


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FederationSpec(_Spec):
    """A federation of practices that runs a shared extended-access hub."""

    code: str
    name: str


class PracticeSpec(_Spec):
    """A GP practice: its registered list and its GP workforce."""

    code: str
    name: str
    federation: str
    list_size: PositiveInt
    gp_fte: float = Field(ge=0)


class TrustSpec(_Spec):
    """The acute trust: A&E treatment cubicles and general and acute beds for emergencies."""

    name: str
    ae_cubicles: PositiveInt
    beds: PositiveInt


class PlaceSpec(_Spec):
    """A place file, validated."""

    name: str
    description: str = ""
    ltc_shares: list[float] = Field(min_length=len(COHORTS), max_length=len(COHORTS))
    federations: list[FederationSpec] = Field(min_length=1)
    practices: list[PracticeSpec] = Field(min_length=1)
    trust: TrustSpec

    @model_validator(mode="after")
    def _consistent(self) -> PlaceSpec:
        if any(s < 0 for s in self.ltc_shares) or abs(sum(self.ltc_shares) - 1) > 1e-6:
            raise ValueError("ltc_shares must be non-negative and sum to 1")
        codes = [p.code for p in self.practices]
        if len(set(codes)) != len(codes):
            raise ValueError("practice codes must be unique")
        federations = {f.code for f in self.federations}
        for practice in self.practices:
            if practice.federation not in federations:
                raise ValueError(
                    f"practice {practice.code} names federation {practice.federation!r}, "
                    "which is not listed"
                )
        return self


def largest_remainder(total: int, shares: np.ndarray) -> np.ndarray:
    """Integers proportional to ``shares`` that sum to ``total`` exactly (ties to lower index)."""
    exact = total * np.asarray(shares, dtype=float) / np.sum(shares)
    counts = np.floor(exact).astype(np.int64)
    order = np.argsort(-(exact - counts), kind="stable")
    counts[order[: total - counts.sum()]] += 1
    return counts


@dataclass(frozen=True)
class Place:
    """The organisations and registered population, as arrays indexed by practice."""

    spec: PlaceSpec
    text: str

    @property
    def practice_codes(self) -> list[str]:
        """Practice codes in file order."""
        return [p.code for p in self.spec.practices]

    @property
    def list_sizes(self) -> np.ndarray:
        """Registered patients per practice."""
        return np.array([p.list_size for p in self.spec.practices], dtype=np.int64)

    @property
    def registered(self) -> np.ndarray:
        """Registered patients by practice × cohort; rows sum to list sizes exactly."""
        return np.stack([largest_remainder(n, self.spec.ltc_shares) for n in self.list_sizes])

    @property
    def gp_fte(self) -> np.ndarray:
        """GP full-time equivalents per practice."""
        return np.array([p.gp_fte for p in self.spec.practices])

    @property
    def federation_of_practice(self) -> list[str]:
        """Federation code of each practice."""
        return [p.federation for p in self.spec.practices]

    @property
    def population(self) -> int:
        """Total registered population."""
        return int(self.list_sizes.sum())


def shipped_dir() -> Path:
    """The shipped ``scenarios/`` folder (inside the wheel, or beside the package when editable)."""
    inside = Path(__file__).resolve().parent / "scenarios"
    return inside if inside.is_dir() else Path(__file__).resolve().parent.parent / "scenarios"


def place_path(reference: str, relative_to: Path | None = None) -> Path:
    """A place file: a path ending in ``.toml`` (relative to ``relative_to``) or a shipped name."""
    if reference.endswith(".toml"):
        path = Path(reference)
        return path if path.is_absolute() or relative_to is None else relative_to / path
    return shipped_dir() / "places" / f"{reference}.toml"


def load_place(reference: str, relative_to: Path | None = None) -> Place:
    """Read and validate a place file."""
    path = place_path(reference, relative_to)
    data, text = read_toml(path)
    return Place(spec=validate(PlaceSpec, data, path, text), text=text)


def place_from_toml(text: str, source: str = "<cube place_toml>") -> Place:
    """A place rebuilt from the text a cube stores (so a rerun never reads the shipped file)."""
    data = tomllib.loads(text)
    return Place(spec=validate(PlaceSpec, data, Path(source), text), text=text)
