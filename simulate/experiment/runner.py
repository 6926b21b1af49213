"""Experiments: scenarios × replications from one root seed, run, saved part by part, assembled.

The unit of work is one (scenario, replication) *part*. A part is computed by :func:`compute_part`
from a :class:`Task` that carries everything it needs (scenario, place, clock, seed), so any
executor (:mod:`simulate.experiment.executors`: in-process, a local dask cluster, a remote one) can
run it, and the model never learns where it runs. Each part is written atomically as soon as it
finishes, under ``OUT/parts/``; running the same experiment again skips the parts already there
after checking that *every* part in the folder belongs to this experiment
(:mod:`simulate.experiment.parts`), so an interrupted run loses only what was in flight and two
experiments never mix. The cube is assembled by reading the
parts back one scenario at a time and written atomically to ``OUT/cube.nc``; memory is bounded by
one part in flight per worker plus the cube itself, never by the number of replications run so far.
Replication ``r`` of every scenario uses the same streams (common random numbers).

With a :class:`~simulate.experiment.precision.PrecisionRule` the replication count is not fixed:
after the first batch, batches are added until the paired difference of every scenario from the
baseline on one metric is precise enough, or a cap is reached. The count each step reaches
depends only on parts already saved, so a resumed run retraces it and reuses every part.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import xarray as xr

from simulate import __version__
from simulate.errors import InputError
from simulate.experiment.executors import InProcess
from simulate.experiment.integrity import check_finite, digest, digest_of
from simulate.experiment.lock import locked
from simulate.experiment.parts import (
    check_parts,
    part_name,
    part_path,
    read_part,
    remove_stale,
    save_part,
    stack_parts,
)
from simulate.experiment.precision import MINIMUM, PrecisionRule, Verdict, assess, next_total
from simulate.inputs.scenario import Scenario
from simulate.model.clock import Clock
from simulate.model.place import Place, load_place
from simulate.model.replication import run_replication
from simulate.model.streams import Streams
from simulate.results.cube import assemble, provenance, write_atomic


def _defer_dask_detection() -> None:
    """Keep xarray from importing dask.array (about 1 s) until this process has imported it.

    The first time xarray builds a variable it asks whether the data is a dask array, and to
    know, imports dask.array (and scipy.fftpack with it) if dask is installed, as it is here for
    ``--workers``. An object cannot be an instance of a class no one has imported, so until
    ``dask.array`` is imported the honest answer is "no dask array type"; after that, xarray's
    own answer. Only xarray's cache of that answer is touched, and only if it has the expected
    shape; otherwise nothing changes but the time.
    """
    try:
        from xarray.namedarray import pycompat
    except ImportError:  # pragma: no cover - another xarray layout: leave it alone
        return
    cache = getattr(pycompat, "_cached_duck_array_modules", None)
    if not isinstance(cache, dict) or "dask" in cache or "dask.array" in sys.modules:
        return

    class Deferred:
        def __getattr__(self, name):  # anything else (version, module): the real answer
            cache["dask"] = pycompat.DuckArrayModule("dask")
            return getattr(cache["dask"], name)

        @property
        def type(self) -> tuple:
            return () if "dask.array" not in sys.modules else self.__getattr__("type")

    cache["dask"] = Deferred()


_defer_dask_detection()


@dataclass(frozen=True)
class Experiment:
    """Which scenarios, how many replications, from which seed, over which months.

    ``timeline`` replaces the calendar clock when given (the benchmark's equal months).
    """

    scenarios: tuple[Scenario, ...]
    replications: int
    root_seed: int
    months: int
    warmup_months: int
    timeline: Clock | None = field(default=None, compare=False)
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
        if self.timeline is not None:
            return self.timeline
        first = self.scenarios[0].spec
        return Clock(first.start, self.months, self.warmup_months, first.bank_holidays)

    @cached_property
    def identity(self) -> dict:
        """Everything that determines the parts' numbers."""
        return {
            "scenarios": {s.name: s.sha256 for s in self.scenarios},
            "places": {
                name: hashlib.sha256(place.text.encode()).hexdigest()
                for name, place in self.places.items()
            },
            "seed": self.root_seed,
            "months": self.months,
            "warmup": self.warmup_months,
            "start": str(self.scenarios[0].spec.start),
            "clock": repr(self.clock),
            "icsim": __version__,
        }

    @cached_property
    def key(self) -> str:
        """Hash of :attr:`identity`."""
        return hashlib.sha256(json.dumps(self.identity, sort_keys=True).encode()).hexdigest()

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

    def tasks(self, replications: range) -> list[Task]:
        """Every unit of work, replication-major so early parts cover every scenario."""
        return [
            Task(s, self.places[s.name], self.clock, self.root_seed, r, self.key, self.identity)
            for r in replications
            for s in self.scenarios
        ]


@dataclass(frozen=True)
class Task:
    """What a worker needs to compute one part, and nothing else (it is pickled to workers)."""

    scenario: Scenario
    place: Place
    clock: Clock
    root_seed: int
    replication: int
    key: str
    identity: dict

    @property
    def name(self) -> str:
        """The part's file name."""
        return part_name(self.scenario.name, self.replication)


_PLACES: dict[str, Place] = {}
"""Places this process has run, by content: a worker synthesises each population once."""


def _resident(place: Place) -> Place:
    """The equal place this process already holds (population built), else ``place``."""
    digest = hashlib.sha256(place.text.encode() + place.age_sex.tobytes()).hexdigest()
    if digest not in _PLACES:
        if len(_PLACES) >= 4:  # a long-lived worker serving many experiments
            _PLACES.clear()
        _PLACES[digest] = place
    return _PLACES[digest]


def compute_part(task: Task) -> xr.Dataset:
    """One replication of one scenario, tagged with the experiment it belongs to."""
    streams = Streams(task.root_seed, task.replication)
    part = run_replication(task.scenario, _resident(task.place), task.clock, streams)
    part.attrs.update(
        experiment_key=task.key,
        experiment_identity=json.dumps(task.identity, sort_keys=True),
        scenario=task.scenario.name,
        replication=task.replication,
    )
    return part


def run(
    experiment: Experiment,
    out: Path,
    command: str,
    progress: Callable[[int, int], None] | None = None,
    executor=None,
    rule: PrecisionRule | None = None,
) -> xr.Dataset:
    """Run every part not yet saved under ``out``, then assemble and save ``out/cube.nc``.

    ``progress(done, total)`` is called once before any work (with the parts already saved) and
    after each part is saved. ``executor`` defaults to in-process. With ``rule``, replications
    are added past ``experiment.replications`` (:class:`PrecisionRule`) and the cube's attributes
    say whether the rule was met.
    """
    places = experiment.places
    with locked(out, command):
        return _run_locked(experiment, places, out, command, progress, executor, rule)


def _run_locked(experiment, places, out, command, progress, executor, rule) -> xr.Dataset:
    """:func:`run`, with the output folder locked."""
    finished = check_parts(out, experiment.key, experiment.identity)
    remove_stale(out)
    for stale in out.glob(".cube.nc.*.tmp"):  # a cube write that was killed
        stale.unlink(missing_ok=True)
    replications, extra = experiment.replications, {}
    with executor or InProcess() as pool:
        work = _Work(experiment, out, pool, finished, progress)
        work.upto(replications)
        if rule is not None:
            replications, verdicts = _until_precise(work, rule)
            extra = rule.attrs(verdicts)
    attrs = provenance(
        scenarios=experiment.scenarios,
        places=places,
        root_seed=experiment.root_seed,
        replications=replications,
        months=experiment.months,
        warmup_months=experiment.warmup_months,
        start=experiment.scenarios[0].spec.start,
        command=command,
    )
    cube = assemble(
        lambda s: stack_parts([part_path(out, s, r) for r in range(replications)], _unchanged),
        experiment.scenarios,
        replications,
        {**attrs, **extra},
    )
    write_atomic(cube, out / "cube.nc")
    return cube


def load_part(path: Path) -> xr.Dataset:
    """A saved part, its numbers checked against the digest saved with them."""
    part = read_part(path)
    _unchanged(path, part.attrs, {n: (v.dims, v.values) for n, v in part.data_vars.items()})
    return part


def _unchanged(path: Path, attrs: dict, data: dict) -> None:
    """Raise if a part's numbers (``{name: (dims, values)}``) are not those it was saved with."""
    saved = attrs.get("data_sha256")
    if saved != digest_of(data):
        why = "has no digest of its numbers" if saved is None else "numbers changed since saved"
        raise InputError(f"part {why}; delete it to recompute", file=path)


@dataclass
class _Work:
    """Parts computed so far, and the means to compute more on one executor."""

    experiment: Experiment
    out: Path
    pool: object
    finished: set[str]
    progress: Callable[[int, int], None] | None
    started: bool = False

    def upto(self, replications: int) -> None:
        """Compute (or find saved) replications ``0 .. replications - 1`` of every scenario."""
        tasks = self.experiment.tasks(range(replications))
        todo = [t for t in tasks if t.name not in self.finished]
        done = len(tasks) - len(todo)
        if self.progress and not self.started:
            self.progress(done, len(tasks))
        self.started = True
        for task, part in self.pool.map(compute_part, todo):
            what = f"replication {task.replication} of scenario {task.scenario.name!r}"
            check_finite(part, what)
            part.attrs["data_sha256"] = digest(part)  # checked when the part is reused
            save_part(part, self.out / "parts" / task.name)
            self.finished.add(task.name)
            del part
            done += 1
            if self.progress:
                self.progress(done, len(tasks))


def _until_precise(work: _Work, rule: PrecisionRule) -> tuple[int, dict[str, Verdict]]:
    """Add batches until every scenario meets ``rule`` or the cap; the count and the verdicts."""
    experiment = work.experiment
    if len(experiment.scenarios) < 2:
        raise InputError("--precision needs a baseline and at least one other scenario")
    baseline, *others = experiment.scenarios
    values: dict[tuple[str, int], float] = {}

    def series(scenario: Scenario, n: int) -> np.ndarray:
        for r in range(n):
            if (scenario.name, r) not in values:
                part = load_part(part_path(work.out, scenario, r))
                values[scenario.name, r] = rule.value(part)
        return np.array([values[scenario.name, r] for r in range(n)])

    n = max(experiment.replications, MINIMUM)
    step = max(1, getattr(work.pool, "workers", 1) // len(experiment.scenarios))
    while True:
        work.upto(n)
        base = series(baseline, n)
        verdicts = {s.name: assess(series(s, n) - base, base, rule.precision) for s in others}
        if all(v.met for v in verdicts.values()) or n >= rule.cap:
            return n, verdicts
        n = next_total(list(verdicts.values()), rule.cap, step)
