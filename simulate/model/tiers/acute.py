"""The acute trust: A&E cubicles and emergency beds, event by event.

Contention is what matters here, so it is event-driven. Each attendance waits first come first
served for a treatment cubicle, is treated, and is then either discharged or admitted. An admitted
patient takes a free bed at once; if none is free the patient *boards*: keeps the cubicle (blocking
it) until a bed frees, boarders getting beds in the order they started waiting. With
``when_no_bed = "divert"`` such a patient is sent elsewhere instead (the loss system of Erlang B).
Time is in days. Arrival times and every patient's treatment time, admission and length of stay are
drawn in bulk before the patients enter, so the event loop only does the queueing. A patient who
needs a step-down bed when medically fit waits for one in the acute bed (a delayed transfer of
care); step-down beds go first come first served by the time patients became fit. The loop is
a heap, not SimPy: with two event kinds and FIFO queues, SimPy's per-patient generators and
events were 80% of a replication's time (see :class:`AcuteTrust`).
"""

from __future__ import annotations

import gc
import heapq
import math
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, fields
from itertools import chain

import numpy as np

from simulate.inputs.schema import AcuteSpec
from simulate.model.collector import Collector
from simulate.model.tiers.community import StepDown

HOURS = 1.0 / 24.0


@dataclass
class Arrivals:
    """A batch of A&E arrivals with everything that will happen to each, sorted by time (days)."""

    times: np.ndarray
    practice: np.ndarray
    cohort: np.ndarray
    treatment: np.ndarray
    admitted: np.ndarray
    stay: np.ndarray
    age: np.ndarray  # age band index, -1 when not drawn
    minor: np.ndarray  # minor attendance: self-referred, discharged without admission
    stepdown_stay: np.ndarray  # days in a step-down bed once medically fit; 0 when not needed

    @classmethod
    def draw(cls, times, practice, cohort, spec: AcuteSpec, rng: np.random.Generator) -> Arrivals:
        """Each arrival's treatment (days), admission and length of stay, from one stream."""
        n = len(times)
        treatment = spec.treatment_hours.sample(rng, n) * HOURS
        admitted = rng.random(n) < np.asarray(spec.admission_probability)[cohort]
        stay = spec.length_of_stay_days.sample(rng, n)
        none = np.zeros(n)
        return cls(times, practice, cohort, treatment, admitted, stay, none - 1, none > 0, none)

    @classmethod
    def merge(cls, *batches: Arrivals) -> Arrivals:
        """Batches combined in time order (stable: ties keep batch order)."""
        names = [f.name for f in fields(cls)]
        joined = {f: np.concatenate([getattr(b, f) for b in batches]) for f in names}
        order = np.argsort(joined["times"], kind="stable")
        return cls(**{f: joined[f][order] for f in names})

    def subset(self, keep: np.ndarray) -> Arrivals:
        """The arrivals where ``keep`` is true, still in time order (those sent to one trust)."""
        return type(self)(**{f.name: getattr(self, f.name)[keep] for f in fields(self)})


class Pool:
    """Identical servers (cubicles or beds): how many there are and how many are busy."""

    def __init__(self, capacity: int):
        self.capacity = capacity
        self.count = 0


class Beds(Pool):
    """The trust's emergency beds: a pool whose size changes only as the trust opens beds.

    The establishment is whole beds; what investment opens (the stocks' bed pipeline, a smooth
    flow) accumulates and the establishment is its rounded total.
    """

    def __init__(self, beds: int):
        super().__init__(beds)
        self._start, self._opened = float(beds), 0.0

    def open(self, beds: float) -> None:
        """Add ``beds`` (a fraction, from the investment pipeline) to the establishment."""
        self._opened += beds
        self.capacity = int(round(self._start + self._opened))


_TREATED, _BED_FREE, _FIT, _STEPDOWN_FREE, _GAVE_UP = 0, 1, 2, 3, 4


class AcuteTrust:
    """A&E cubicles and beds as one lean event loop, advanced a month at a time.

    Only two kinds of event exist (end of treatment, a bed freeing), so a heap of
    ``(time, sequence, kind, patient)`` and two FIFO queues (for a cubicle, for a bed) do what a
    SimPy environment with two Resources did, at a fraction of the cost: no generator, event or
    callback objects per patient. Ties resolve as in SimPy, in the order events were scheduled.
    Departures and admissions are handed to the collector in bulk at the end of each ``run``.
    """

    def __init__(
        self,
        cubicles: int,
        beds: int,
        spec: AcuteSpec,
        collector: Collector,
        trim_point_days: float = 0.0,
        stepdown: StepDown | None = None,
        patience_rng: np.random.Generator | None = None,
    ):
        self.cubicles = Pool(cubicles)
        # patience for a cubicle (acute.ae_patience_hours): who waits longer leaves unseen
        self.patience = spec.ae_patience_hours if patience_rng is not None else None
        self.patience_rng = patience_rng
        self._gave_up = 0  # of the patients in the cubicle queue, those who have left it
        self.beds = Beds(beds)
        self.divert = spec.when_no_bed == "divert"
        self.collector = collector
        self.trim = trim_point_days
        self.stepdown = stepdown
        self.now = 0.0
        # heap of (time, sequence, kind, patient), with a sentinel that never comes
        self._events: list = [(float("inf"), -1, _TREATED, None)]
        self._sequence = 0
        self._waiting: deque = deque()  # patients waiting for a cubicle
        self._boarding: deque = deque()  # admitted patients holding a cubicle, waiting for a bed

    def run(self, arrivals: Arrivals, until: float) -> None:
        """Let ``arrivals`` (all before ``until``) in and advance the clock to ``until``."""
        with _collection_paused():
            self._loop(arrivals, until)

    def _loop(self, arrivals: Arrivals, until: float) -> None:  # long: one loop, closures on locals
        """The month's event loop.

        Each arrival first lets in every event due at or before it (an event tied with an arrival
        goes first), then takes a cubicle or queues; after the last arrival, the events before
        ``until``. The heap keeps a sentinel at infinity, so "is there an event?" is never asked.
        """
        self.collector.ae_arrivals(arrivals.times, arrivals.practice, arrivals.cohort)
        patience = self._patience(len(arrivals.times))
        events, waiting, boarding = self._events, self._waiting, self._boarding
        cubicles, beds, divert = self.cubicles, self.beds, self.divert
        departed: list[tuple[float, float, float]] = []
        admitted: list[tuple[float, int, int, float]] = []
        diverted: list[float] = []
        left: list[tuple[float, float, float]] = []  # arrived, gave up, gave up (no treatment)
        moved: list[tuple[float, float, float, int, int]] = []  # fit, moved, stay, practice, cohort
        stepdown = self.stepdown
        push, pop = heapq.heappush, heapq.heappop
        sequence = self._sequence

        def free_cubicle(now):
            nonlocal sequence
            while waiting and waiting[0][8]:  # those who left the queue, dropped as reached
                waiting.popleft()
                self._gave_up -= 1
            if waiting:
                patient = waiting.popleft()
                patient[6] = now
                sequence += 1
                push(events, (now + patient[3], sequence, _TREATED, patient))
            else:
                cubicles.count -= 1

        def take_bed(patient, now):
            nonlocal sequence
            admitted.append((now, patient[1], patient[2], patient[5]))
            departed.append((patient[0], patient[6], now))
            sequence += 1
            kind = _FIT if patient[7] > 0 and stepdown is not None else _BED_FREE
            push(events, (now + patient[5], sequence, kind, patient))

        def free_bed(now):
            if boarding:
                take_bed(boarding.popleft(), now)
                free_cubicle(now)
            else:
                beds.count -= 1

        def move_to_stepdown(patient, fit, now):
            nonlocal sequence
            moved.append((fit, now, patient[7], patient[1], patient[2]))
            sequence += 1
            push(events, (now + patient[7], sequence, _STEPDOWN_FREE, None))
            free_bed(now)

        infinity = float("inf")
        last = math.nextafter(until, -infinity)  # the latest time before ``until``
        rows = zip(
            arrivals.times.tolist(),
            arrivals.practice.tolist(),
            arrivals.cohort.tolist(),
            arrivals.treatment.tolist(),
            arrivals.admitted.tolist(),
            arrivals.stay.tolist(),
            arrivals.stepdown_stay.tolist(),
            patience.tolist(),
        )
        # a last arrival at ``until`` lets in the events before it, then ends the loop
        for arrival, practice, cohort, treat, admit, stay, step, wait_limit in chain(
            rows, ((until, 0, 0, 0.0, False, 0.0, 0.0, 0.0),)
        ):
            ends = arrival >= until
            horizon = last if ends else arrival
            while events[0][0] <= horizon:
                now, _, kind, other = pop(events)
                if kind == _TREATED:
                    if not other[4]:
                        departed.append((other[0], other[6], now))
                        free_cubicle(now)
                    elif beds.count < beds.capacity:
                        beds.count += 1
                        take_bed(other, now)
                        free_cubicle(now)
                    elif divert:
                        diverted.append(now)
                        departed.append((other[0], other[6], now))
                        free_cubicle(now)
                    else:
                        boarding.append(other)
                elif kind == _BED_FREE:
                    free_bed(now)
                elif kind == _GAVE_UP:
                    if other[6] < 0:  # still waiting for a cubicle: leaves without being seen
                        other[8] = True
                        self._gave_up += 1
                        left.append((other[0], now, now))
                elif kind == _FIT:
                    if stepdown.count < stepdown.capacity:
                        stepdown.count += 1
                        move_to_stepdown(other, now, now)
                    else:
                        stepdown.queue.append((now, other))
                elif stepdown.queue:  # _STEPDOWN_FREE
                    fit, waiter = stepdown.queue.popleft()
                    move_to_stepdown(waiter, fit, now)
                else:
                    stepdown.count -= 1
            if ends:
                break
            # arrived, practice, cohort, treatment, admitted, stay, treated (set at start),
            # step-down stay, gave up waiting
            patient = [arrival, practice, cohort, treat, admit, stay, -1.0, step, False]
            if cubicles.count < cubicles.capacity:
                cubicles.count += 1
                patient[6] = arrival
                sequence += 1
                push(events, (arrival + treat, sequence, _TREATED, patient))
            else:
                waiting.append(patient)
                if wait_limit < infinity:
                    sequence += 1
                    push(events, (arrival + wait_limit, sequence, _GAVE_UP, patient))
        self._sequence = sequence
        self.now = until
        self._report(departed, admitted, diverted, moved)
        if left:
            self.collector.ae_left(*_columns(left, 3)[:2])

    def _patience(self, n: int) -> np.ndarray:
        """Each arrival's patience for a cubicle (days); infinite when no one leaves unseen."""
        if self.patience is None:
            return np.full(n, np.inf)
        return self.patience.sample(self.patience_rng, n) * HOURS

    def _report(self, departed, admitted, diverted, moved) -> None:
        """The month's events to the collector, a batch of each kind (columns as arrays)."""
        collector = self.collector
        if moved:
            fit, moved_at, stay, practice, cohort = _columns(moved, 5)
            collector.stepdowns(fit, moved_at, stay, _whole(practice), _whole(cohort))
        if diverted:
            collector.diverted(np.array(diverted, dtype=float))
        if admitted:
            start, practice, cohort, stay = _columns(admitted, 4)
            collector.admissions(start, _whole(practice), _whole(cohort), stay, self.trim)
        if departed:
            collector.ae_departures(*_columns(departed, 3))

    @property
    def in_ae(self) -> int:
        """Patients in A&E now (in a cubicle or waiting for one)."""
        return self.cubicles.count + len(self._waiting) - self._gave_up

    @property
    def boarding(self) -> int:
        """Admitted patients holding a cubicle while they wait for a bed."""
        return len(self._boarding)

    @property
    def in_beds(self) -> int:
        """Occupied beds now."""
        return self.beds.count


@contextmanager
def _collection_paused():
    """Python's cycle collector off while the loop runs, back as it was after.

    The loop makes a few hundred thousand short-lived lists and tuples, none in a cycle (reference
    counting frees them), yet each allocation counts toward the collector's next sweep of
    everything alive: a quarter of the loop's time went on sweeps that found nothing.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _columns(rows: list[tuple], width: int) -> list[np.ndarray]:
    """The columns of ``rows`` (tuples of numbers) as float arrays, in one pass over them."""
    flat = np.fromiter(chain.from_iterable(rows), float, count=width * len(rows))
    return [np.ascontiguousarray(c) for c in flat.reshape(len(rows), width).T]


def _whole(column: np.ndarray) -> np.ndarray:
    """A column of indices (practice, cohort) held as floats, back to integers."""
    return column.astype(np.int64)
