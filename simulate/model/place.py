"""The place a run uses: the organisations of a health economy and its registered population.

A place file is read and checked by :mod:`simulate.inputs.place`, which gives its spec, its text
and its registered persons by practice × sex × age band. :class:`Place` adds what the model works
on: the synthetic registered population (:mod:`simulate.model.population`), NumPy columns built
once per place from those counts and its own seed, never one object per patient, and the engine's
views of it (lists by practice × cohort, workforce by practice). A place is named either by a
path to its file or by the name of a shipped place (:func:`place_path`); a cube stores its text,
so a rerun rebuilds it from the cube (:func:`place_from_toml`), never from the shipped file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from simulate.inputs.place import PlaceSpec, read_place
from simulate.model.population import Population, synthesise
from simulate.shipped import shipped_dir


@dataclass(frozen=True)
class Place:
    """The organisations and the registered population of a place."""

    spec: PlaceSpec
    text: str
    age_sex: np.ndarray  # registered persons [practice, sex (0 male, 1 female), AGE5 band]

    def __getstate__(self) -> dict:
        """What pickling sends: not the population, which a worker rebuilds once and keeps.

        Sending it would copy megabytes to every task;
        :func:`simulate.experiment.runner.compute_part` keeps one place (population built) per
        worker process instead.
        """
        state = dict(self.__dict__)
        state.pop("population", None)
        return state

    @cached_property
    def population(self) -> Population:
        """The synthetic registered population (NumPy columns), built once per place."""
        return synthesise(self.spec, self.age_sex)

    @property
    def practice_codes(self) -> list[str]:
        """Practice codes in file order."""
        return [p.code for p in self.spec.practices]

    @property
    def list_sizes(self) -> np.ndarray:
        """Registered patients per practice."""
        return self.age_sex.sum(axis=(1, 2))

    @property
    def registered(self) -> np.ndarray:
        """Registered patients by practice × cohort; rows sum to list sizes exactly."""
        return self.population.registered

    @property
    def gp_fte(self) -> np.ndarray:
        """GP full-time equivalents per practice."""
        return np.array([p.gp_fte for p in self.spec.practices])

    @property
    def nurse_fte(self) -> np.ndarray:
        """Practice nurse full-time equivalents per practice."""
        return np.array([p.nurse_fte for p in self.spec.practices])

    @property
    def federation_of_practice(self) -> list[str]:
        """Federation code of each practice."""
        return [p.federation for p in self.spec.practices]

    @property
    def locality_of_practice(self) -> list[str]:
        """Locality code of each practice."""
        return [p.locality for p in self.spec.practices]

    @property
    def total(self) -> int:
        """Total registered population."""
        return int(self.list_sizes.sum())


def place_path(reference: str, relative_to: Path | None = None) -> Path:
    """A place file: a path ending in ``.toml`` (relative to ``relative_to``) or a shipped name."""
    if reference.endswith(".toml"):
        path = Path(reference)
        return path if path.is_absolute() or relative_to is None else relative_to / path
    return shipped_dir() / "places" / f"{reference}.toml"


def load_place(reference: str, relative_to: Path | None = None) -> Place:
    """Read and validate a place file (and its practice CSV, if it names one)."""
    return Place(*read_place(place_path(reference, relative_to)))


def place_from_toml(
    text: str,
    folder: Path | None = None,
    label: str = "<cube place_toml>",
    practice_csv: Path | None = None,
) -> Place:
    """A place from its text, e.g. the one a cube stores (so a rerun never reads the shipped file).

    A practice CSV the place names is read from ``folder`` (default: the shipped places); its
    hash, recorded in the text, is checked so a different list is never used silently. ``label``
    names the text in error messages; ``practice_csv`` names the CSV itself, wherever it is.
    """
    folder = folder or shipped_dir() / "places"
    return Place(*read_place(folder / label, text, practice_csv))
