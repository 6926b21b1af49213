"""WORKLOAD.md §8: do two implementations agree? 38 per-replication scalars, CIs that overlap.

Both implementations are reduced to the same outputs (arrays by month × practice × cohort, or by
month), then to year-total scalars per replication; two samples agree on a scalar when their 95%
t intervals of the mean overlap, or, when neither varies, when they are equal.
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from scipy import stats

from simulate.inputs.categories import COHORTS


def icsim_outputs(part: xr.Dataset, days_in_month: np.ndarray) -> dict[str, np.ndarray]:
    """An icsim part as the workload's outputs (sums, so means can be pooled)."""
    pk = (
        "gp_requests",
        "gp_appointments",
        "gp_wait_days_sum",
        "gp_overflow_hub",
        "gp_overflow_ae",
        "hub_appointments",
        "hub_overflow_ae",
        "ae_attendances",
        "emergency_admissions",
    )
    out = {name: part[name].values for name in pk}
    departures = part["ae_departures"].values
    out["ae_4h_breaches"] = part["ae_4h_breaches"].values
    out["ae_departures"] = departures
    out["ae_time_hours_sum"] = np.nan_to_num(part["ae_wait_hours"].values) * departures
    out["ae_cubicle_wait_hours_sum"] = (
        np.nan_to_num(part["ae_cubicle_wait_hours"].values) * departures
    )
    out["bed_days"] = part["beds_occupied"].values * days_in_month
    return out


def scalars(o: dict[str, np.ndarray]) -> dict[str, float]:
    """The 38 year-total scalars of one replication."""
    total = {name: float(np.sum(values)) for name, values in o.items()}
    s = {
        "gp_requests": total["gp_requests"],
        "gp_appointments": total["gp_appointments"],
        "gp_mean_wait_days": total["gp_wait_days_sum"] / total["gp_appointments"],
        "gp_overflow_hub": total["gp_overflow_hub"],
        "gp_overflow_ae": total["gp_overflow_ae"],
        "hub_appointments": total["hub_appointments"],
        "hub_overflow_ae": total["hub_overflow_ae"],
        "ae_attendances": total["ae_attendances"],
        "ae_4h_breach_share": total["ae_4h_breaches"] / total["ae_departures"],
        "ae_mean_time_hours": total["ae_time_hours_sum"] / total["ae_departures"],
        "ae_mean_cubicle_wait_hours": total["ae_cubicle_wait_hours_sum"] / total["ae_departures"],
        "emergency_admissions": total["emergency_admissions"],
        "beds_occupied_mean": total["bed_days"] / 365.0,
    }
    by_cohort = {name: np.sum(o[name], axis=(0, 1)) for name in o if np.ndim(o[name]) == 3}
    for k, cohort in enumerate(COHORTS):
        s[f"gp_appointments[{cohort}]"] = float(by_cohort["gp_appointments"][k])
        s[f"gp_mean_wait_days[{cohort}]"] = float(
            by_cohort["gp_wait_days_sum"][k] / by_cohort["gp_appointments"][k]
        )
        s[f"gp_overflow[{cohort}]"] = float(
            by_cohort["gp_overflow_hub"][k] + by_cohort["gp_overflow_ae"][k]
        )
        s[f"ae_attendances[{cohort}]"] = float(by_cohort["ae_attendances"][k])
        s[f"emergency_admissions[{cohort}]"] = float(by_cohort["emergency_admissions"][k])
    return s


def interval(values: list[float]) -> tuple[float, float, float]:
    """Mean and 95% t interval of the mean."""
    x = np.asarray(values, dtype=float)
    mean = float(x.mean())
    if len(x) < 2:
        return mean, mean, mean
    half = stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x))
    return mean, mean - half, mean + half


def agreement(a: list[dict[str, float]], b: list[dict[str, float]]) -> list[dict]:
    """One row per scalar: both intervals and whether they agree."""
    rows = []
    for name in a[0]:
        ma, la, ha = interval([r[name] for r in a])
        mb, lb, hb = interval([r[name] for r in b])
        fixed = la == ha and lb == hb
        agree = ma == mb if fixed else (la <= hb and lb <= ha)
        rows.append(dict(name=name, a=(ma, la, ha), b=(mb, lb, hb), agree=bool(agree)))
    return rows
