"""The acute trusts as a tier of the month protocol (event implementation).

A&E, beds and step-down beds are the event loop of :class:`~simulate.model.tiers.acute.AcuteTrust`,
run over the month's arrivals (:mod:`simulate.model.tiers.arrivals`) once general practice has
sent its share. Outpatients and elective admissions are the electives tier
(:mod:`simulate.model.tiers.electives`); each trust's share of them is the outpatient catchment's
(:meth:`simulate.model.providers.ProviderSums.outpatients`).

A place may have several acute trusts, each its own event loop with its own cubicles and beds.
Each arrival goes to one trust by its practice's emergency catchment. The community
provider's step-down beds are allotted to the trusts in proportion to their beds (each trust's
discharges draw on their own allocation), since one trust's month runs before the next's. With
one trust nothing is routed and nothing extra is drawn: the run is what it was before.
"""

from __future__ import annotations

import numpy as np

from simulate.inputs.catchment import catchment_shares
from simulate.inputs.place import largest_remainder
from simulate.model.providers import AtProvider, ProviderSums
from simulate.model.tiers.acute import AcuteTrust
from simulate.model.tiers.arrivals import of_month
from simulate.model.tiers.catchment import cumulative, route
from simulate.model.tiers.community import StepDown
from simulate.model.tiers.month import Month
from simulate.model.tiers.utc import stream, without


class EventAcute:
    """The acute trusts as a tier: A&E and beds event by event."""

    def __init__(self, place, spec, streams, collector):
        trusts, community = place.spec.acute_trusts, place.spec.community
        self.stepdown_beds = community.stepdown_beds
        allotted = largest_remainder(community.stepdown_beds, [t.beds for t in trusts])
        self.sums = ProviderSums(collector.clock, trusts)
        # one patience stream for all trusts: their months run one after another, so each
        # trust's draws follow the last's in a fixed order
        patience = streams["ae.patience"] if spec.acute.ae_patience_hours is not None else None
        self.trusts = [
            AcuteTrust(
                t.ae_cubicles,
                t.beds,
                spec.acute,
                AtProvider(collector, self.sums, i),
                spec.costs.trim_point_days,
                StepDown(int(beds)) if beds else None,
                patience,
            )
            for i, (t, beds) in enumerate(zip(trusts, allotted))
        ]
        self.emergency = cumulative(catchment_shares(place.spec, "emergency"))
        self.outpatients = catchment_shares(place.spec, "outpatients")
        self.streams, self.collector = streams, collector

    @property
    def trust(self) -> AcuteTrust:
        """The first (with one trust, the only) trust's event loop."""
        return self.trusts[0]

    def open_beds(self, beds: float) -> None:
        """Beds opened by investment this month (the stocks' bed pipeline), by share of beds."""
        open_now = np.array([t.beds.capacity for t in self.trusts], dtype=float)
        for trust, share in zip(self.trusts, open_now / open_now.sum()):
            trust.beds.open(beds * share)

    def enter(self, month: Month) -> None:
        """The month's bed capacities on record, in all and at each trust."""
        first = month.first
        self.collector.capacities(first, beds=self._beds(), stepdown_beds=self.stepdown_beds)
        for i, trust in enumerate(self.trusts):
            self.sums.month(first, i, bed_capacity=trust.beds.capacity)

    def _beds(self) -> int:
        """Beds open at all the trusts."""
        return sum(t.beds.capacity for t in self.trusts)

    def run(self, month: Month, sent_to_ae: np.ndarray, sent_ooh: np.ndarray) -> None:
        """The month's A&E arrivals, background and ``sent_to_ae`` [day, practice, cohort]."""
        arrivals = of_month(month, sent_to_ae, sent_ooh, self.streams, self.collector)
        seen = stream(arrivals, month.spec.utc, self.streams["utc.streaming"])
        if seen.any():  # an urgent treatment centre at the front door sees them instead
            self.collector.utc_attendances(
                arrivals.times[seen], arrivals.practice[seen], arrivals.cohort[seen]
            )
            arrivals = without(arrivals, seen)
        self.collector.ae_minor(
            *(x[arrivals.minor] for x in (arrivals.times, arrivals.practice, arrivals.cohort))
        )
        if len(self.trusts) == 1:
            self.trust.run(arrivals, until=month.end)
            return
        to = route(arrivals.practice, self.emergency, self.streams["ae.catchment"])
        for i, trust in enumerate(self.trusts):
            trust.run(arrivals.subset(to == i), until=month.end)

    def close(self) -> tuple[float, int]:
        """Patients in a bed or boarding in A&E for one, and beds open: what bed investment reads.

        Boarders count: occupancy alone cannot pass 100%, so a business case sized on it alone
        never sees how many more beds the patients waiting for one need.
        """
        return sum(t.in_beds + t.boarding for t in self.trusts), self._beds()

    @property
    def census_variance(self) -> float:
        """The census :meth:`close` reports is a realised count: nothing about it is unknown."""
        return 0.0

    @property
    def census_correlation(self) -> tuple[float, ...]:
        """A realised count has no noise to correlate."""
        return ()

    def ledger(self) -> dict[str, int]:
        """Patients still in A&E and in beds at the end."""
        return {
            "in_ae_at_end": sum(t.in_ae for t in self.trusts),
            "in_beds_at_end": sum(t.in_beds for t in self.trusts),
        }
