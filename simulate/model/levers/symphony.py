"""Symphony-style integration (South Somerset): the trust runs practices; a complex-care hub.

The hub finds its patients with a risk tool among the chosen cohorts (three or more long-term
conditions) of the reached practices and case-manages them
(:mod:`~simulate.model.levers.case_management`): key workers and extensivist clinicians, whose
effect on the enrolled's hazards comes only with the team's capacity and after the learning lag.
With ``trust_owns_practices`` the practices' provider becomes the trust (one budget).
"""

from __future__ import annotations

from simulate.model.levers.case_management import CaseManagement


class Symphony(CaseManagement):
    """Integration led by the acute trust, with a complex-care hub for multimorbid patients."""

    name = "symphony"
    stream = 1

    def owner(self, trust: str) -> str | None:
        """The trust, when it takes the practices on."""
        return trust if self.spec.trust_owns_practices else None
