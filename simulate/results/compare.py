"""Paired comparisons of scenarios against a baseline, read from a cube alone.

Replication ``r`` of every scenario shares its random streams with replication ``r`` of the
baseline, so the effect of a scenario is estimated from the *paired* differences
``x[scenario, r] - x[baseline, r]``: their mean, and a 95% t-interval over replications. The same
comparison can be broken down by practice, federation, place or cohort (system-level outcomes such
as A&E breaches and beds have no such breakdown and are left out of it), or by provider: each acute
trust's own A&E, admissions, beds and acute cost (the cube's ``provider_*`` variables). Places are
by registered list or by residence, as the cube's commissioning basis says
(:mod:`simulate.results.residence`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import xarray as xr

from simulate.results.gridlock import departure_based
from simulate.results.residence import by_place

BY_PROVIDER = {
    "ae_attendances": "provider_ae_attendances",
    "ae_4h_breaches": "provider_ae_4h_breaches",
    "emergency_admissions": "provider_emergency_admissions",
    "beds_occupied": "provider_beds_occupied",
    "cost": "provider_cost",
}
"""Each headline's variable at a provider (the trust's own), for ``--by provider``."""
GROUPINGS = ("federation", "place")
"""Coordinates along ``practice`` that ``by`` can group practices by."""


def _reduce(data: xr.DataArray, how: str, by: str | None) -> xr.DataArray | None:
    """``data`` summed over everything but scenario, replication (and ``by``), then over months."""
    if by in GROUPINGS and by not in data.dims:
        if "practice" not in data.dims or by not in data.coords:
            return None
        data = data.groupby(by).sum()
    elif by is not None and by not in data.dims:
        return None
    keep = ("scenario", "replication", "month", by)
    other = [d for d in data.dims if d not in keep]
    data = data.sum(other) if other else data
    return data.sum("month") if how == "total" else data.mean("month")


@dataclass(frozen=True)
class Headline:
    """A scalar per replication drawn from the cube: a total, a mean over months, or per head.

    ``per_head`` divides the total over months by the registered population (the mean over
    months of its sum over practices and cohorts), so it is GBP per registered person over the
    reported period.
    """

    variable: str
    label: str
    unit: str
    how: str  # "total" over months, practices and cohorts; "mean" over months; or "per_head"
    more: tuple[str, ...] = ()  # variables added to ``variable`` ("-name": subtracted)

    def data(self, cube: xr.Dataset) -> xr.DataArray | None:
        """The variable with ``more`` added or subtracted; None if the cube lacks one of them."""
        names = [self.variable, *(m.lstrip("-") for m in self.more)]
        if any(name not in cube for name in names):
            return None
        data = cube[self.variable]
        for m in self.more:
            data = data - cube[m[1:]] if m.startswith("-") else data + cube[m]
        return data

    def per_replication(self, cube: xr.Dataset, by: str | None = None) -> xr.DataArray | None:
        """One value per (scenario, replication[, group]); None when ``by`` does not apply."""
        if by == "provider":
            name = BY_PROVIDER.get(self.variable)
            if name is None or name not in cube or self.how == "per_head":
                return None
            return _reduce(_acute(cube[name]), self.how, by)
        data = self.data(cube)
        if data is not None and by == "place":  # on the cube's commissioning basis
            data = by_place(data, cube)
        if data is None:
            return None
        if self.how != "per_head":
            return _reduce(data, self.how, by)
        heads = cube["registered_population"]
        heads = by_place(heads, cube) if by == "place" else heads
        total = _reduce(data, "total", by)
        return None if total is None else total / _reduce(heads, "mean", by)


def _acute(data: xr.DataArray) -> xr.DataArray:
    """The acute trusts' columns: a mental-health trust has no A&E or acute beds to compare."""
    if "provider_kind" not in data.coords:
        return data
    return data.isel(provider=(data["provider_kind"] == "acute").values)


HEADLINES = (
    Headline("gp_appointments", "GP practice appointments", "appointments", "total"),
    Headline("hub_appointments", "Hub appointments", "appointments", "total"),
    Headline("ae_attendances", "A&E attendances", "attendances", "total"),
    Headline("ae_4h_breaches", "A&E 4-hour breaches", "attendances", "total"),
    Headline("emergency_admissions", "Emergency admissions", "admissions", "total"),
    Headline("beds_occupied", "Mean beds occupied", "beds", "mean"),
    Headline("cost", "Cost", "GBP", "total"),
    Headline("cost", "Cost per head", "GBP per person", "per_head"),
)


@dataclass(frozen=True)
class Effect:
    """A scenario's paired difference from the baseline on one headline (in one group)."""

    scenario: str
    headline: Headline
    baseline_mean: float
    scenario_mean: float
    difference: float
    low: float
    high: float
    replications: int
    group: str = ""

    @property
    def relative(self) -> float:
        """Difference as a fraction of the baseline mean."""
        return self.difference / self.baseline_mean if self.baseline_mean else float("nan")

    @property
    def clear(self) -> bool:
        """Whether the 95% interval excludes zero."""
        return bool(self.low > 0 or self.high < 0)

    def a_year(self, months: int) -> Effect:
        """The effect a year: totals and per-head values over the run scaled by 12 / months.

        A mean over months (beds occupied) is already a rate and stays as it is; the relative
        change and the interval's width relative to the mean do not move.
        """
        factor = 1.0 if self.headline.how == "mean" else 12 / months
        return replace(
            self,
            baseline_mean=self.baseline_mean * factor,
            scenario_mean=self.scenario_mean * factor,
            difference=self.difference * factor,
            low=self.low * factor,
            high=self.high * factor,
        )


def effects_a_year(
    cube: xr.Dataset, baseline: str | None = None, by: str | None = None
) -> list[Effect]:
    """:func:`effects`, each a year (see :meth:`Effect.a_year`): what the outputs show."""
    months = cube.sizes["month"]
    return [e.a_year(months) for e in effects(cube, baseline, by)]


def interval(differences: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and t-interval of paired differences (NaN bounds with one replication)."""
    n = len(differences)
    mean = float(np.mean(differences))
    if n < 2:
        return mean, float("nan"), float("nan")
    from scipy import stats  # here: a run's summary with one scenario needs no interval

    half = stats.t.ppf(0.5 + level / 2, n - 1) * np.std(differences, ddof=1) / np.sqrt(n)
    return mean, mean - half, mean + half


def effects(
    cube: xr.Dataset,
    baseline: str | None = None,
    by: str | None = None,
    headlines: tuple[Headline, ...] = HEADLINES,
) -> list[Effect]:
    """Every scenario's effect on every headline, against ``baseline`` (default: the first)."""
    names = [str(s) for s in cube.scenario.values]
    baseline = baseline or names[0]
    found = []
    for headline in headlines:
        values = headline.per_replication(cube, by)
        if values is None:
            continue
        if by == "provider" and headline.variable == "cost":
            headline = replace(headline, variable="provider_cost", label="Acute cost at the trust")
        if headline.variable == "ae_4h_breaches":
            values = departure_based(values, cube)
        groups = [str(g) for g in values[by].values] if by else [""]
        for name in names:
            if name == baseline:
                continue
            for group in groups:
                pick = {by: group} if by else {}
                base = values.sel(scenario=baseline, **pick).values
                other = values.sel(scenario=name, **pick).values
                mean, low, high = interval(other - base)
                found.append(
                    Effect(
                        name,
                        headline,
                        float(base.mean()),
                        float(other.mean()),
                        mean,
                        low,
                        high,
                        len(base),
                        group,
                    )
                )
    order = {name: i for i, name in enumerate(names)}
    return sorted(found, key=lambda e: order[e.scenario])


@dataclass(frozen=True)
class CostPerAdmissionAvoided:
    """Extra cost per emergency admission avoided, with a 95% interval (Fieller's method).

    Stated only when both intervals support it: admissions fall and cost changes, each with a 95%
    interval that excludes zero; otherwise ``value`` is NaN and ``note`` says why. A negative
    value means the scenario saves money while avoiding admissions. The interval comes from the
    replications' joint distribution of the two paired differences (Fieller 1954), so it reflects
    their correlation; it is NaN when admissions avoided are too uncertain for a bounded ratio.
    """

    scenario: str
    group: str
    value: float
    cost_difference: float
    admissions_avoided: float
    note: str
    low: float = float("nan")
    high: float = float("nan")


def fieller(cost: np.ndarray, avoided: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """95% interval of mean(cost) / mean(avoided) from paired replications (Fieller's theorem)."""
    from scipy import stats  # lazily: importing scipy.stats costs seconds (issue 19)

    n = len(cost)
    if n < 2:
        return float("nan"), float("nan")
    t2 = stats.t.ppf(0.5 + level / 2, n - 1) ** 2
    y, x = float(np.mean(cost)), float(np.mean(avoided))
    covariance = np.cov(cost, avoided, ddof=1) / n
    syy, sxx, sxy = covariance[0, 0], covariance[1, 1], covariance[0, 1]
    a = x * x - t2 * sxx
    b = y * x - t2 * sxy
    disc = b * b - a * (y * y - t2 * syy)
    if a <= 0 or disc < 0:
        return float("nan"), float("nan")
    root = float(np.sqrt(disc))
    return (b - root) / a, (b + root) / a


def cost_per_admission_avoided(
    found: list[Effect],
    cube: xr.Dataset | None = None,
    baseline: str | None = None,
    by: str | None = None,
) -> list[CostPerAdmissionAvoided]:
    """One ratio per scenario (and group) from the effects on cost and on admissions.

    None by provider: a trust's cost leaves out primary care and the interventions' own cost.
    """
    if by == "provider":
        return []
    pick = {(e.scenario, e.group, e.headline.variable, e.headline.how): e for e in found}
    per_rep = {}
    if cube is not None:
        per_rep = {h.variable: h.per_replication(cube, by) for h in HEADLINES[4:7:2]}
    out = []
    for (scenario, group, variable, _how), admissions in pick.items():
        if variable != "emergency_admissions" or (scenario, group, "cost", "total") not in pick:
            continue
        cost = pick[(scenario, group, "cost", "total")]
        avoided = -admissions.difference
        value, low, high = float("nan"), float("nan"), float("nan")
        if not admissions.high < 0:
            note = "no statement: admissions did not fall with a 95% interval excluding zero"
        elif not cost.clear:
            note = "no statement: the 95% interval of the cost difference includes no change"
        else:
            value, note = cost.difference / avoided, "ratio of mean differences, Fieller 95% CI"
            if per_rep:
                low, high = _fieller_of(per_rep, scenario, group, by, baseline, cube)
        out.append(
            CostPerAdmissionAvoided(
                scenario, group, value, cost.difference, avoided, note, low, high
            )
        )
    return out


def _fieller_of(per_rep, scenario, group, by, baseline, cube) -> tuple[float, float]:
    baseline = baseline or str(cube.scenario.values[0])
    pick = {by: group} if by else {}
    adm, cost = per_rep["emergency_admissions"], per_rep["cost"]
    avoided = (adm.sel(scenario=baseline, **pick) - adm.sel(scenario=scenario, **pick)).values
    extra = (cost.sel(scenario=scenario, **pick) - cost.sel(scenario=baseline, **pick)).values
    return fieller(extra, avoided)


def _number(x: float) -> str:
    if np.isnan(x):
        return "n/a"
    return f"{x:,.1f}" if abs(x) < 1000 else f"{x:,.0f}"


def _signed(x: float) -> str:
    return "n/a" if np.isnan(x) else ("+" if x >= 0 else "") + _number(x)


def ratio_words(r: CostPerAdmissionAvoided) -> str:
    """One ratio in words, with its interval; or why no statement is made."""
    where = f" ({r.group})" if r.group else ""
    if np.isnan(r.value):
        return f"{r.scenario}{where}: cost per emergency admission avoided: {r.note}"
    low, high = (-r.high, -r.low) if r.value < 0 else (r.low, r.high)
    ci = f"95% CI GBP {_signed(low) if low < 0 else _number(low)} to {_number(high)}"
    if np.isnan(low):
        ci = "95% CI unbounded: admissions avoided are too uncertain"
    if r.value < 0:
        return (
            f"{r.scenario}{where}: saves about GBP {_number(-r.value)} per emergency admission "
            f"avoided ({ci}; cost {_signed(r.cost_difference)} GBP, "
            f"{_number(r.admissions_avoided)} admissions avoided)"
        )
    return (
        f"{r.scenario}{where}: costs about GBP {_number(r.value)} more per emergency admission "
        f"avoided ({ci}; cost {_signed(r.cost_difference)} GBP, "
        f"{_number(r.admissions_avoided)} admissions avoided)"
    )


def _ratio_lines(found: list[Effect], cube=None, baseline=None, by=None) -> list[str]:
    return [ratio_words(r) for r in cost_per_admission_avoided(found, cube, baseline, by)]


def missing_breakdown(cube: xr.Dataset, by: str | None) -> str | None:
    """Why ``cube`` cannot be broken down ``by`` this (None when it can)."""
    if by == "place" and "place" not in cube.coords:
        return "the cube's place lists no [[places]], so there is nothing to break down by place"
    if by == "provider" and not any(name in cube for name in BY_PROVIDER.values()):
        return "the cube has no provider_* variables (a cube made before them)"
    return None
