"""The GP workforce as stocks: FTE per practice, a recruitment pipeline, leavers under pressure."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulate.model.stocks.linear import MONTH_YEARS, Delay


@dataclass
class WorkforceRates:
    """GP workforce parameters (time in years)."""

    leaving_rate: float  # share of FTE leaving per year at sustainable workload
    overload_leaving_ratio: float  # leaving-rate multiplier once overloaded
    overload_from: float  # pressure (demand / capacity) where overload starts
    overload_full: float  # pressure where the full multiplier applies
    recruitment_delay_years: float  # mean time from deciding to hire to a GP starting
    adjustment_years: float  # time to close a gap between funded and actual FTE
    supply_per_head_year: float = float("inf")  # most hires the labour market offers, FTE/head/yr


class Workforce:
    """GP FTE per practice: recruits through a third-order pipeline, leavers rise with pressure."""

    def __init__(self, fte: np.ndarray, rates: WorkforceRates):
        self.rates = rates
        self.fte = np.asarray(fte, dtype=float).copy()
        self.leavers_total = np.zeros_like(self.fte)
        self.pipelines = [
            Delay(rates.recruitment_delay_years, 3, initial_outflow_rate=f * rates.leaving_rate)
            for f in self.fte
        ]

    def leaving_rate(self, pressure: np.ndarray) -> np.ndarray:
        """Annual leaving rate per practice at this workload pressure."""
        r = self.rates
        overload = np.clip((pressure - r.overload_from) / (r.overload_full - r.overload_from), 0, 1)
        return r.leaving_rate * (1 + (r.overload_leaving_ratio - 1) * overload)

    def step(
        self,
        funded: np.ndarray,
        pressure: np.ndarray,
        months: float = 1.0,
        heads: np.ndarray | None = None,
    ) -> dict:
        """One step: hires started to close the funded gap and replace leavers, leavers out.

        Hiring is at most what the labour market supplies (``supply_per_head_year`` × the
        practice's ``heads``): where leavers outrun it, posts stay vacant and FTE falls.
        """
        r, dt = self.rates, months * MONTH_YEARS
        leaving = self.leaving_rate(pressure)
        # replace leavers, close the gap to the funded FTE, and keep the pipeline as full as the
        # replacement rate needs (the standard stock-management rule, Sterman 2000, ch. 17)
        in_pipeline = np.array([p.in_transit for p in self.pipelines])
        wanted_pipeline = leaving * self.fte * r.recruitment_delay_years
        correction = (funded - self.fte + wanted_pipeline - in_pipeline) / r.adjustment_years
        hiring = np.maximum(0.0, leaving * self.fte + correction)
        if heads is not None and np.isfinite(r.supply_per_head_year):
            hiring = np.minimum(hiring, r.supply_per_head_year * heads)
        started = np.array([p.step(h, dt) for p, h in zip(self.pipelines, hiring)])
        leavers = self.fte * (1 - np.exp(-leaving * dt))
        self.fte = self.fte - leavers + started
        self.leavers_total += leavers
        return {"joiners": started, "leavers": leavers, "hiring": hiring * dt}
