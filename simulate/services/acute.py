"""The acute trust: A&E cubicles and emergency beds, event by event in SimPy.

Contention is what matters here, so it is event-driven. Each attendance waits first come first
served for a treatment cubicle, is treated, and is then either discharged or admitted. An admitted
patient takes a free bed at once; if none is free the patient *boards*: keeps the cubicle (blocking
it) until a bed frees, boarders getting beds in the order they started waiting. With
``when_no_bed = "divert"`` such a patient is sent elsewhere instead (the loss system of Erlang B).
Time is in days. Arrival times and every patient's treatment time, admission and length of stay are
drawn in bulk before the patients enter, so SimPy only does the queueing. A patient who needs a
step-down bed when medically fit is handed to the community's step-down unit, and keeps the acute
bed until that unit takes them (a delayed transfer of care).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import simpy

from simulate.collect import Collector
from simulate.scenario import AcuteSpec

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


class AcuteTrust:
    """A&E cubicles and beds in one SimPy environment, advanced a month at a time."""

    def __init__(
        self,
        cubicles: int,
        beds: int,
        spec: AcuteSpec,
        collector: Collector,
        trim_point_days: float = 0.0,
        stepdown=None,
    ):
        self.env = simpy.Environment()
        self.cubicles = simpy.Resource(self.env, cubicles)
        self.beds = simpy.Resource(self.env, beds)
        self.divert = spec.when_no_bed == "divert"
        self.collector = collector
        self.trim = trim_point_days
        self.stepdown = stepdown  # a community.StepDown sharing self.env, or None

    def run(self, arrivals: Arrivals, until: float) -> None:
        """Let ``arrivals`` (all before ``until``) in and advance the clock to ``until``."""
        self.collector.ae_arrivals(arrivals.times, arrivals.practice, arrivals.cohort)
        self.env.process(self._feed(arrivals))
        self.env.run(until=until)

    def _feed(self, a: Arrivals):
        env, patient = self.env, self._patient
        rows = zip(
            a.times.tolist(),
            a.practice.tolist(),
            a.cohort.tolist(),
            a.treatment.tolist(),
            a.admitted.tolist(),
            a.stay.tolist(),
            a.stepdown_stay.tolist(),
        )
        for time, practice, cohort, treatment, admitted, stay, stepdown in rows:
            if time > env.now:
                yield env.timeout(time - env.now)
            env.process(patient(time, practice, cohort, treatment, admitted, stay, stepdown))

    def _patient(self, arrived, practice, cohort, treatment, admitted, stay, stepdown=0.0):
        env, collector = self.env, self.collector
        cubicle = self.cubicles.request()
        yield cubicle
        treated = env.now
        yield env.timeout(treatment)
        if admitted:
            if self.divert and self.beds.count >= self.beds.capacity:
                collector.diverted(env.now)
            else:
                bed = self.beds.request()
                yield bed
                fit = env.timeout(stay)
                if stepdown > 0 and self.stepdown is not None:
                    fit.callbacks.append(
                        lambda _e, bed=bed: self.stepdown.transfer(
                            lambda: self.beds.release(bed), practice, cohort, stepdown
                        )
                    )
                else:
                    fit.callbacks.append(lambda _event: self.beds.release(bed))
                collector.admission(env.now, practice, cohort, stay, self.trim)
        self.cubicles.release(cubicle)
        collector.ae_departure(arrived, treated, env.now)

    @property
    def in_ae(self) -> int:
        """Patients in A&E now (in a cubicle or waiting for one)."""
        return self.cubicles.count + len(self.cubicles.queue)

    @property
    def in_beds(self) -> int:
        """Occupied beds now."""
        return self.beds.count
