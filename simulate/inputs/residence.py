"""Where a system's registered patients live: resident shares by place, and their checks.

Commissioners answer either for the patients registered with their practices (health's
registered population) or for the people living in their area (local government's resident
one); the two differ because lists cross boundaries. NHS Digital's "Patients Registered at a GP
Practice" counts each practice's patients by the LSOA they live in, so summing a practice's
patients over the LSOAs of each place gives the share of its list resident in each place. A
place file gives those shares (``residents = { PLACE = share }``) for a ``[[places]]`` entry (all
its practices) or, where one differs, for a practice; with none, everyone lives in the place
whose practice they are registered with.

:func:`resident_shares` resolves the [practice, place] table (rows sum to 1); the results split
each practice's outcomes by it when a place reports by residence
(:mod:`simulate.results.residence`). Shares are of the list living in the system's places:
patients living beyond the system stay with the place the table gives them, since nothing is
modelled outside it. :func:`check_residence` finds what the schema cannot see key by key, one
located line each: a table naming a place the file does not list, shares that do not sum to 1,
resident shares or a resident basis in a file with no places.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simulate.errors import InputError
from simulate.inputs.catchment import TOLERANCE
from simulate.inputs.toml import dotted, line_of

if TYPE_CHECKING:
    from pathlib import Path

    from simulate.inputs.place import PlaceSpec


def home_places(spec: PlaceSpec) -> np.ndarray:
    """Index into ``spec.places`` of each practice's own place (a checked system's)."""
    of = {code: i for i, place in enumerate(spec.places) for code in place.practices}
    return np.array([of[p.code] for p in spec.practices], dtype=np.int64)


def resident_shares(spec: PlaceSpec) -> np.ndarray:
    """Share of each practice's list resident in each place: [practice, place], rows sum to 1.

    The practice's own table, else its place's, else all of it in its own place. With no
    ``[[places]]`` there is nothing to split: an empty [practice, 0] table.
    """
    codes = [place.code for place in spec.places]
    shares = np.zeros((len(spec.practices), len(codes)))
    if not codes:
        return shares
    home = home_places(spec)
    for i, p in enumerate(spec.practices):
        table = p.residents or spec.places[home[i]].residents or {codes[home[i]]: 1.0}
        for code, share in table.items():
            shares[i, codes.index(code)] = share
        shares[i] /= shares[i].sum()
    return shares


def membership(spec: PlaceSpec) -> np.ndarray:
    """Each practice's own place as a [practice, place] table of ones and zeros."""
    shares = np.zeros((len(spec.practices), len(spec.places)))
    if spec.places:
        shares[np.arange(len(spec.practices)), home_places(spec)] = 1.0
    return shares


def check_residence(spec: PlaceSpec, path: Path, text: str) -> list[InputError]:
    """Every problem of the resident shares and the commissioning basis, one located line each."""

    def problem(location: tuple, message: str) -> InputError:
        return InputError(message, file=path, line=line_of(text, location), key=dotted(location))

    codes = [place.code for place in spec.places]
    owners = [("places", i, place) for i, place in enumerate(spec.places)]
    owners += [("practices", i, p) for i, p in enumerate(spec.practices)]
    found = []
    for kind, i, owner in owners:
        if not owner.residents:
            continue
        at = (kind, i, "residents")
        if not codes:
            found.append(problem(at, "resident shares need [[places]] to live in; none listed"))
            continue
        found += [
            problem((*at, code), f"names place {code!r}, not one of the places {', '.join(codes)}")
            for code in owner.residents
            if code not in codes
        ]
        total = sum(owner.residents.values())
        if abs(total - 1) > TOLERANCE:
            found.append(problem(at, f"shares sum to {total:g}, not 1"))
    if spec.commissioning == "resident" and not codes:
        found.append(
            problem(("commissioning",), "a resident basis needs [[places]]; none are listed")
        )
    return found


def residence_coords(spec: PlaceSpec) -> dict[str, tuple]:
    """What a cube records of residence, as xarray coordinates.

    The places people live in, and each practice's resident shares with the basis the place
    file reports by (their ``commissioning`` attribute).
    """
    about = {
        "units": "1",
        "long_name": "share of the practice's registered list resident in each place",
        "commissioning": spec.commissioning,
    }
    codes = [place.code for place in spec.places]
    return {
        "residence": ("residence", codes, {"long_name": "place of residence"}),
        "resident_share": (("practice", "residence"), resident_shares(spec), about),
    }
