"""What the mean-field mode (``[dynamics] mode = "sd"``) does not model yet, refused in one line.

The mean field is the same month loop over fluid tiers (:mod:`simulate.model.replication`); it
models no interventions, only some changes in time, and no mental-health trust yet (several acute
trusts it splits by catchment, :mod:`simulate.model.tiers.fluid_providers`). A scenario or place
asking for more is refused with the key to change, never run without it.
"""

from __future__ import annotations

from simulate.errors import InputError
from simulate.inputs.levers import InterventionsSpec

MEAN_FIELD_CHANGES = ("dynamics.", "practice.", "hub.", "leavers.", "costs.")
"""Keys whose [[changes]] the mean field follows month by month; it tabulates the rest (demand's
admission chances, acute stays, community episodes) once, at the start."""


def _can_run(scenario) -> None:
    """The mean field models no interventions and only some changes yet: say so, not ignore."""
    spec = scenario.spec
    fixed = [c.key for c in spec.changes if not c.key.startswith(MEAN_FIELD_CHANGES)]
    if spec.interventions != InterventionsSpec() or fixed:
        what = "[interventions]" if not fixed else f"a change of {fixed[0]}"
        raise InputError(
            f"mode sd does not model {what} yet; run the hybrid mode",
            file=scenario.folder / f"{scenario.name}.toml",
            key="dynamics.mode",
        )


def mean_field_can_run(scenario, place) -> None:
    """Refuse what the mean field does not model yet: interventions, some changes, mental health."""
    _can_run(scenario)
    if place.spec.mental_health is not None:
        raise InputError(
            f"mode sd does not model the mental-health trust of {place.spec.name} yet; "
            "run the hybrid mode",
            key="dynamics.mode",
        )
