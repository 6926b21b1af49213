"""The acute trust as a tier of the month protocol (event implementation).

Outpatient attendances and referrals are counts drawn once a month; A&E, beds and step-down beds
are the event loop of :class:`~simulate.model.tiers.acute.AcuteTrust`, run over the month's
arrivals (:mod:`simulate.model.tiers.arrivals`) once general practice has sent its share.
"""

from __future__ import annotations

import numpy as np

from simulate.model.tiers.acute import AcuteTrust
from simulate.model.tiers.arrivals import of_month
from simulate.model.tiers.community import StepDown
from simulate.model.tiers.month import Month


class EventAcute:
    """The acute trust as a tier: outpatients drawn per month, A&E and beds event by event."""

    def __init__(self, place, spec, streams, collector):
        trust, community = place.spec.trust, place.spec.community
        stepdown = StepDown(community.stepdown_beds) if community.stepdown_beds else None
        self.trust = AcuteTrust(
            trust.ae_cubicles,
            trust.beds,
            spec.acute,
            collector,
            spec.costs.trim_point_days,
            stepdown,
            streams["ae.patience"] if spec.acute.ae_patience_hours is not None else None,
        )
        self.stepdown_beds = community.stepdown_beds
        self.streams, self.collector = streams, collector

    def open_beds(self, beds: float) -> None:
        """Beds opened by investment this month (the stocks' bed pipeline)."""
        self.trust.beds.open(beds)

    def enter(self, month: Month) -> None:
        """The month's bed capacities on record, and its outpatient activity."""
        first, days, demand = month.first, month.days, month.demand
        self.collector.capacities(
            first, beds=self.trust.beds.capacity, stepdown_beds=self.stepdown_beds
        )
        referrals = demand.outpatient_referrals * month.effects.outpatient_referrals * days
        self.collector.outpatients(
            first,
            attendances=self.streams["outpatient.attendances"].poisson(
                demand.outpatient_attendances * days
            ),
            referrals=self.streams["outpatient.referrals"].poisson(referrals),
        )

    def run(self, month: Month, sent_to_ae: np.ndarray, sent_ooh: np.ndarray) -> None:
        """The month's A&E arrivals, background and ``sent_to_ae`` [day, practice, cohort]."""
        arrivals = of_month(month, sent_to_ae, sent_ooh, self.streams, self.collector)
        self.collector.ae_minor(
            *(x[arrivals.minor] for x in (arrivals.times, arrivals.practice, arrivals.cohort))
        )
        self.trust.run(arrivals, until=month.end)

    def close(self) -> tuple[float, int]:
        """Patients in a bed or boarding in A&E for one, and beds open: what bed investment reads.

        Boarders count: occupancy alone cannot pass 100%, so a business case sized on it alone
        never sees how many more beds the patients waiting for one need.
        """
        return self.trust.in_beds + self.trust.boarding, self.trust.beds.capacity

    def ledger(self) -> dict[str, int]:
        """Patients still in A&E and in beds at the end."""
        return {"in_ae_at_end": self.trust.in_ae, "in_beds_at_end": self.trust.in_beds}
