"""Referral management and a new pathway: triage of GP referrals, and a community clinic.

A share of the reached practices' referrals is clinically triaged; the triage finds a share of
those suitable for a community clinic (a GP with an extended role, a community specialist
team), which sees them while it has appointments; a share of those it sees it refers on to
outpatients. The lever sets these mechanisms (:class:`Pathway`, read by the electives tier,
:mod:`simulate.model.tiers.electives`); fewer first attendances, follow-ups and elective
admissions follow from them there. Its running cost is the triage of the referrals expected from
the reached practices and the clinic's appointments, paid for whether used or not (like a hub's).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulate.model.levers.base import Lever, Tables


@dataclass(frozen=True)
class Pathway:
    """The month's referral management, as the electives tier applies it."""

    triaged: np.ndarray  # share of each [practice, cohort]'s referrals triaged
    redirected: float  # share of those triaged found suitable for the community clinic
    onward: float  # share of those seen at the clinic referred on to outpatients
    clinic_per_working_day: float  # community clinic new patients a working day


class ReferralManagement(Lever):
    """Triage of GP referrals and a community clinic for those it redirects."""

    name = "referral_management"

    def act(self, on: float, days: int, tables: Tables) -> None:
        """The month's pathway at share ``on`` of its full reach and capacity, and its cost."""
        s, target = self.spec, self.target
        triaged = self.reach * s.triaged_share * on
        tables.pathway = Pathway(
            triaged,
            s.redirected_share,
            s.onward_referral_share,
            on * s.clinic_new_patients_per_week / 5,
        )
        referrals = target.expected["outpatient_referrals"] * days / 365
        triage = referrals * triaged * s.triage_cost_gbp_per_referral
        reached = self.reach * target.registered
        share = reached / max(reached.sum(), 1e-300)
        clinic = on * s.clinic_new_patients_per_week * days / 7 * s.clinic_cost_gbp_per_new_patient
        tables.add_cost(triage + clinic * share, self.name)
