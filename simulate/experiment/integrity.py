"""Checks on a part's numbers: finite where they must be, and unchanged since they were saved.

Kept apart from the part file format (:mod:`simulate.experiment.parts`), so that both checks
survive a change of format: they read only the part's data variables.
"""

from __future__ import annotations

import hashlib

import numpy as np
import xarray as xr


class NonFinite(ValueError):
    """A replication produced inf, or NaN where a number must be."""


def check_finite(part: xr.Dataset, what: str) -> None:
    """Raise :class:`NonFinite` naming the variable if ``part`` holds garbage.

    Infinity is never a result. NaN is one only as the mean of nothing (a variable whose
    ``long_name`` starts with "mean", e.g. the A&E wait in a month without attendances).
    """
    for name, variable in part.data_vars.items():
        values = variable.values
        if values.dtype.kind not in "fc":
            continue
        if np.isinf(values).any():
            raise NonFinite(f"{what} produced infinite values of {name}; check its inputs")
        mean = str(variable.attrs.get("long_name", "")).startswith("mean")
        if not mean and np.isnan(values).any():
            raise NonFinite(f"{what} produced undefined (NaN) values of {name}; check its inputs")


def digest(dataset: xr.Dataset) -> str:
    """SHA-256 of ``dataset``'s data variables: names, dimensions, dtypes and values."""
    return digest_of({name: (v.dims, v.values) for name, v in dataset.data_vars.items()})


def digest_of(data: dict[str, tuple[tuple[str, ...], np.ndarray]]) -> str:
    """:func:`digest` of data variables given as ``{name: (dims, values)}``.

    So that parts can be checked as their arrays are read, without building a Dataset first.
    """
    sha = hashlib.sha256()
    for name in sorted(data):
        dims, values = data[name]
        values = np.ascontiguousarray(values)
        sha.update(f"{name}|{tuple(dims)}|{values.dtype.str}|{values.shape}\n".encode())
        if values.dtype.kind == "O":
            sha.update(repr(values.tolist()).encode())
        else:
            sha.update(values.tobytes())
    return sha.hexdigest()
