"""Experiments: scenarios × replications from one root seed, run, saved part by part, assembled.

The unit of work is one (scenario, replication) *part*. Each part is written atomically as soon as
it finishes, under ``OUT/parts/``; running the same experiment again skips the parts already there
(after checking they belong to this experiment), so an interrupted run loses only what was in
flight. The cube is assembled from the parts and written atomically to ``OUT/cube.nc``.
Replication ``r`` of every scenario uses the same streams (common random numbers).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import xarray as xr

from simulate import __version__
from simulate.clock import Clock
from simulate.cube import assemble, load, provenance, write_atomic
from simulate.engine import run_replication
from simulate.errors import InputError
from simulate.place import Place, load_place
from simulate.scenario import Scenario
from simulate.streams import Streams


@dataclass(frozen=True)
class Experiment:
    """Which scenarios, how many replications, from which seed, over which months."""

    scenarios: tuple[Scenario, ...]
    replications: int
    root_seed: int
    months: int
    warmup_months: int
    preloaded_places: dict[str, Place] | None = field(
        default=None, compare=False, hash=False, repr=False
    )
    """Places already built (by scenario name), e.g. from a cube's text, instead of the files."""

    def __post_init__(self):
        names = [s.name for s in self.scenarios]
        if len(set(names)) != len(names):
            raise InputError(f"two scenarios share a name: {names}")
        starts = {s.spec.start for s in self.scenarios}
        if len(starts) > 1:
            raise InputError(f"scenarios start in different months: {sorted(map(str, starts))}")
        if self.replications < 1 or self.months < 1 or self.warmup_months < 0:
            raise InputError("replications and months must be at least 1, warm-up at least 0")

    @cached_property
    def clock(self) -> Clock:
        """The calendar every scenario shares."""
        return Clock(self.scenarios[0].spec.start, self.months, self.warmup_months)

    @cached_property
    def key(self) -> str:
        """Hash of everything that determines the parts' numbers."""
        identity = {
            "scenarios": {s.name: s.sha256 for s in self.scenarios},
            "places": {
                name: hashlib.sha256(place.text.encode()).hexdigest()
                for name, place in self.places.items()
            },
            "seed": self.root_seed,
            "months": self.months,
            "warmup": self.warmup_months,
            "start": str(self.scenarios[0].spec.start),
            "icsim": __version__,
        }
        return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()

    @cached_property
    def places(self) -> dict[str, Place]:
        """Each scenario's place, checked to share one list of practices."""
        places = self.preloaded_places or {
            s.name: load_place(s.spec.place, s.folder) for s in self.scenarios
        }
        codes = {tuple(p.practice_codes) for p in places.values()}
        if len(codes) > 1:
            raise InputError("scenarios in one experiment must use places with the same practices")
        return places

    def parts(self) -> list[tuple[Scenario, int]]:
        """Every unit of work, replication-major so early parts cover every scenario."""
        return [(s, r) for r in range(self.replications) for s in self.scenarios]


def part_path(out: Path, scenario: Scenario, replication: int) -> Path:
    """Where one part is saved."""
    return out / "parts" / f"{scenario.name}.r{replication:04d}.nc"


def run_part(
    experiment: Experiment, place: Place, scenario: Scenario, replication: int
) -> xr.Dataset:
    """One replication of one scenario, tagged with the experiment it belongs to."""
    streams = Streams(experiment.root_seed, replication)
    part = run_replication(scenario, place, experiment.clock, streams)
    part.attrs.update(
        experiment_key=experiment.key, scenario=scenario.name, replication=replication
    )
    return part


def run(
    experiment: Experiment,
    out: Path,
    command: str,
    progress: Callable[[int, int], None] | None = None,
) -> xr.Dataset:
    """Run every part not yet saved under ``out``, then assemble and save ``out/cube.nc``."""
    places = experiment.places
    key = experiment.key
    parts: dict[tuple[str, int], xr.Dataset] = {}
    todo = experiment.parts()
    for done, (scenario, replication) in enumerate(todo, start=1):
        path = part_path(out, scenario, replication)
        if path.exists():
            part = load(path)
            if part.attrs.get("experiment_key") != key:
                raise InputError(
                    "belongs to a different experiment (scenario, seed, months or "
                    "version differ); use another --out",
                    file=path,
                )
        else:
            part = run_part(experiment, places[scenario.name], scenario, replication)
            write_atomic(part, path)
        parts[(scenario.name, replication)] = part
        if progress:
            progress(done, len(todo))
    attrs = provenance(
        scenarios=experiment.scenarios,
        places=places,
        root_seed=experiment.root_seed,
        replications=experiment.replications,
        months=experiment.months,
        warmup_months=experiment.warmup_months,
        start=experiment.scenarios[0].spec.start,
        command=command,
    )
    cube = assemble(parts, [s.name for s in experiment.scenarios], experiment.replications, attrs)
    write_atomic(cube, out / "cube.nc")
    return cube
