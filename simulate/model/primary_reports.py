"""What general practice, the hubs and the out-of-hours services report to the collector.

One call per day, arrays [practice, cohort]: each adds into the collector's month-shaped arrays
(``pk``, ``practice``, the hubs' slots) and the run's ledger, as :mod:`simulate.model.collector`
describes. A mixin of :class:`simulate.model.collector.Collector`, kept apart so the collector's
module holds the acute, community and stock reports and how the cube is made.
"""

from __future__ import annotations

import numpy as np

from simulate.model.tiers.dna import BANDS as DNA_BANDS


class PrimaryCareReports:
    """The daily reports of practices, hubs, 7-day opening and out-of-hours services."""

    def gp_day(
        self, day: int, *, requests, served, wait_sum, backlog, slots, to_hub, to_ae, abandoned
    ) -> None:
        """One working day at every practice."""
        self.ledger.update(
            requests=int(requests.sum()),
            seen_practice=int(served.sum()),
            left_to_hub=int(to_hub.sum()),
            left_to_ae=int(to_ae.sum()),
            abandoned=int(abandoned.sum()),
        )
        m = self._month[day]
        if m < 0:
            return
        pk = self.pk
        pk["gp_requests"][m] += requests
        pk["gp_appointments"][m] += served
        pk["gp_wait_days_sum"][m] += wait_sum
        pk["gp_backlog"][m] += backlog
        pk["gp_overflow_hub"][m] += to_hub
        pk["gp_overflow_ae"][m] += to_ae
        pk["gp_abandoned"][m] += abandoned
        self.practice["gp_capacity"][m] += slots

    def gp_did_not_attend(self, day: int, booked: np.ndarray, missed: np.ndarray) -> None:
        """Appointments booked and missed [practice, lead-time band, cohort] on one working day.

        The ledger keeps both by band (``gp_booked_<band>``, ``gp_dna_<band>``), so a run can show
        its DNA rate by lead time; the cube keeps the appointments lost.
        """
        for b, band in enumerate(DNA_BANDS):
            self.ledger[f"gp_booked_{band}"] += int(booked[:, b].sum())
            self.ledger[f"gp_dna_{band}"] += int(missed[:, b].sum())
        m = self._month[day]
        if m >= 0:
            self.pk["gp_did_not_attend"][m] += missed.sum(axis=1)

    def hub_day(self, day: int, *, seen, overflow, booked, slots) -> None:
        """One day at the federation hubs: practices' referrals ``seen`` and not, 111's ``booked``.

        ``slots`` per federation.
        """
        self.ledger.update(
            seen_hub=int(seen.sum()), hub_full=int(overflow.sum()), booked_hub=int(booked.sum())
        )
        m = self._month[day]
        if m >= 0:
            self.pk["hub_appointments"][m] += seen + booked
            self.pk["out_of_hours_hub_appointments"][m] += booked
            self.hub_slots[m] += slots

    def seven_day_day(self, day: int, *, seen, overflow, booked, slots) -> None:
        """One weekend day of 7-day opening: need that found it open ``seen``, 111's ``booked``."""
        self.ledger.update(booked_seven_day=int(seen.sum() + booked.sum()))
        m = self._month[day]
        if m >= 0:
            self.pk["seven_day_appointments"][m] += seen + booked
            self.seven_day_slots[m] += slots

    def hub_turned_away(self, day: int, *, to_ae, abandoned) -> None:
        """Practices' referrals the hub could not see: those who went to A&E, and who gave up."""
        self.ledger.update(hub_to_ae=int(to_ae.sum()), hub_abandoned=int(abandoned.sum()))
        m = self._month[day]
        if m >= 0:
            self.pk["hub_overflow_ae"][m] += to_ae
            self.pk["hub_overflow_abandoned"][m] += abandoned

    def out_of_hours_day(
        self, day: int, *, need, to_hub, to_ae, nhs111, waited, to_seven_day=0
    ) -> None:
        """One day's need arising while practices are closed, by what people chose."""
        self.ledger.update(
            ooh_need=int(np.sum(need)),
            ooh_to_hub=int(np.sum(to_hub)),
            ooh_to_seven_day=int(np.sum(to_seven_day)),
            ooh_to_ae=int(np.sum(to_ae)),
            nhs111=int(np.sum(nhs111)),
            ooh_waited=int(np.sum(waited)),
        )
        m = self._month[day]
        if m >= 0:
            pk = self.pk
            pk["out_of_hours_need"][m] += need
            pk["out_of_hours_to_hub"][m] += to_hub
            pk["out_of_hours_to_ae"][m] += to_ae
            pk["nhs111_contacts"][m] += nhs111
            pk["out_of_hours_waited"][m] += waited

    def gp_out_of_hours(self, day: int, cases) -> None:
        """NHS 111 contacts the hub had no slot for, seen by the GP out-of-hours service."""
        self.ledger.update(gp_ooh=int(np.sum(cases)))
        m = self._month[day]
        if m >= 0:
            self.pk["gp_out_of_hours_cases"][m] += cases
