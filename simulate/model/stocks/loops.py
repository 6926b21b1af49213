"""The feedback structure the coupled model implements, as signed causal links.

``docs/explanation/feedback-loops.svg`` is drawn from :data:`LINKS` by
:func:`simulate.results.loops.draw_loops`, so the picture cannot drift from the list.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Link:
    """One causal link of the feedback structure: ``cause`` moves ``effect`` with ``sign``."""

    cause: str
    effect: str
    sign: int  # +1: same direction, -1: opposite
    delayed: bool = False  # through a material or information delay


LINKS: tuple[Link, ...] = (
    # demography drives demand
    Link("registered population", "GP requests", +1),
    Link("ageing and LTC onset", "GP requests", +1),
    Link("registered population", "GP funding allocated", +1),
    # B1, workload and attrition (reinforcing R1 with the leavers)
    Link("GP requests", "GP workload pressure", +1),
    Link("GP workload pressure", "GP leaving rate", +1),
    Link("GP leaving rate", "GP FTE", -1),
    Link("GP FTE", "GP appointments offered", +1),
    Link("GP appointments offered", "GP workload pressure", -1),
    # B2, recruitment closes the gap to the funded establishment
    Link("GP funding allocated", "funded GP FTE", +1, delayed=True),
    Link("funded GP FTE", "GP recruitment", +1),
    Link("GP FTE", "GP recruitment", -1),
    Link("GP recruitment", "GP FTE", +1, delayed=True),
    # spill-over from general practice to the acute trust
    Link("GP workload pressure", "A&E attendances", +1),
    Link("A&E attendances", "bed occupancy", +1),
    # B3, bed investment through a business case
    Link("bed occupancy", "bed investment", +1, delayed=True),
    Link("bed investment", "beds", +1, delayed=True),
    Link("beds", "bed occupancy", -1),
)
"""The feedback loops the coupled model implements, as (cause, effect, sign) links.

``docs/explanation/feedback-loops.svg`` is drawn from this list by :func:`draw_loops`.
"""
