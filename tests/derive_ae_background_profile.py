"""Derive the hour and weekday profiles of *background* A&E arrivals from the published ones.

The published profiles (HSCIC A&E HES; NHS Digital Hospital A&E Activity) are of *all* arrivals.
In the model a share of arrivals is routed from primary-care need (past tolerance, hub full,
out-of-hours need), at the hours those streams come (08:00-22:00; after 18:30 on a working day).
Giving the background stream the published profile as well would count the evening and weekend
peak twice. So the background's profile is what is left of the published one once the routed
arrivals of the baseline are placed::

    background(h) = (total x published(h) - routed(h)) / background total

Run from the repository root (two replications of the baseline on the default place)::

    python tests/derive_ae_background_profile.py

and copy the printed lists into ``scenarios/baseline.toml``. ``tests/results/test_calibration.py``
then checks the share of attendances while practices are shut against the published profile.
"""

from __future__ import annotations

import numpy as np

from simulate.inputs.scenario import load_scenario
from simulate.model import replication as engine
from simulate.model.clock import Clock
from simulate.model.place import load_place
from simulate.model.streams import Streams
from simulate.model.tiers import arrivals

PUBLISHED_HOUR = [
    0.0234, 0.0189, 0.0153, 0.0126, 0.0108, 0.0108, 0.0144, 0.0234,
    0.0396, 0.0640, 0.0741, 0.0739, 0.0701, 0.0670, 0.0650, 0.0629,
    0.0619, 0.0609, 0.0503, 0.0467, 0.0413, 0.0360, 0.0306, 0.0261,
]  # fmt: skip
PUBLISHED_WEEKDAY = [0.160, 0.145, 0.140, 0.140, 0.140, 0.135, 0.140]


def routed_times(scenario, place, clock, replications: int) -> tuple[np.ndarray, float]:
    """Reported arrival times (days) of every routed A&E arrival, and all reported arrivals."""
    seen: list[np.ndarray] = []
    wrapped = {}
    for name in ("from_general_practice", "from_out_of_hours"):
        original = getattr(arrivals, name)

        def record(*args, _original=original, **kwargs):
            when = _original(*args, **kwargs)
            seen.append(when[0])
            return when

        wrapped[name] = original
        setattr(arrivals, name, record)
    total = 0.0
    try:
        for r in range(replications):
            part = engine.run_replication(scenario, place, clock, Streams(1, r))
            total += float(part.ae_attendances.sum())
    finally:
        for name, original in wrapped.items():
            setattr(arrivals, name, original)
    times = np.concatenate(seen)
    return times[times >= clock.report_from_day], total


def main() -> None:
    # the routed streams' hours do not depend on the background's profile: the baseline as it is
    scenario = load_scenario("scenarios/baseline.toml")
    place = load_place("default")
    clock = Clock(scenario.spec.start, months=12, warmup_months=3)
    times, total = routed_times(scenario, place, clock, 2)
    hour = np.bincount((times % 1 * 24).astype(int), minlength=24)
    weekday = np.bincount(clock.weekday[times.astype(int)], minlength=7)
    background = total - len(times)
    for name, published, routed in (
        ("arrival_share_by_hour", PUBLISHED_HOUR, hour),
        ("arrival_share_by_weekday", PUBLISHED_WEEKDAY, weekday),
    ):
        share = (total * np.asarray(published) - routed) / background
        share = np.round(share / share.sum(), 4)
        share[np.argmax(share)] += round(1 - share.sum(), 4)  # sums to 1 in four decimals
        print(f"{name} = {[round(float(x), 4) for x in share]}")
    print(f"routed share of all arrivals: {len(times) / total:.3f}")


if __name__ == "__main__":
    main()
