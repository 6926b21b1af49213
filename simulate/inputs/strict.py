"""Validation of what a TOML file says as it says it: TOML has real types, so none is coerced.

Pydantic's lax mode would take ``"0.3"`` for a share, ``true`` for a count or ``"yes"`` for a
switch; strict mode refuses them. Strict mode on Python objects would also refuse a TOML array
for a tuple, so the data goes through JSON, where strict mode takes an array for either (and an
ISO date string for a date). Non-finite numbers are refused by the schemas (``allow_inf_nan``).
"""

from __future__ import annotations

import datetime as dt
import json

from pydantic import BaseModel


def _plain(value):
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    raise TypeError(f"not a TOML value: {value!r}")


def strictly(model: type[BaseModel], data) -> BaseModel:
    """``model`` from ``data`` (read from TOML), in pydantic's strict mode."""
    return model.model_validate_json(json.dumps(data, default=_plain), strict=True)
