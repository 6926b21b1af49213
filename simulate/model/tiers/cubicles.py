"""A&E's cubicles in the mean field: the wait for one, hour by hour of the week, from theory.

Each hour of the week queues as an M/G/c (Erlang C, or Erlang A where patients have patience)
at its *modified offered load* (Jennings, Mandelbaum, Massey and Whitt 1996) with the
Allen-Cunneen factor of treatment's variability; the month's wait, breaches and leaving unseen
are those hours' weighted by their arrivals (the pointwise stationary approximation).
"""

from __future__ import annotations

import math

import numpy as np

from simulate.model.tiers.queues import erlang_a, erlang_c


class Cubicles:
    """The treatment-time kernels and patience one trust's cubicle queue needs, and the queue."""

    def __init__(self, acute):
        treatment = acute.treatment_hours
        self.treatment_days = treatment.mean / 24
        # treatment's survival by whole hours since arrival (the modified offered load's kernel,
        # exact from the distribution), and the Allen-Cunneen factor of its variability
        self.lags = np.arange(48)
        self.still_treated = treatment.excess(self.lags) - treatment.excess(self.lags + 1)
        self.allen_cunneen = (1 + treatment.variance / treatment.mean**2) / 2
        # 1,000 quantiles of treatment (at the middles of equal shares) for the breach tails,
        # each hour of the week; the shares treated beyond 4 and 12 hours exactly
        self.treatment_grid = treatment.quantile((np.arange(1000) + 0.5) / 1000)
        self.beyond = {h: float(treatment.survival(h)) for h in (4.0, 12.0)}
        patience = acute.ae_patience_hours
        self.patience_days = None if patience is None else patience.mean / 24

    def times(
        self, week: np.ndarray, occurrences: np.ndarray, cubicles: int, boarders: float = 0.0
    ) -> dict[str, float]:
        """Time in A&E and 4-hour breaches of a month's arrivals: treatment plus a cubicle wait.

        Arrivals vary over the week (``week``, the month's arrivals in each of the week's 168
        hours, which fall ``occurrences`` times in the month; :mod:`~.week`), so each hour's
        wait is that of an M/G/c queue at the hour's *modified offered load* (the mean number in
        treatment of an infinite-server queue fed by the time-varying arrivals, Jennings,
        Mandelbaum, Massey and Whitt, Management Science 1996), from Erlang C (or A) with the
        Allen-Cunneen factor ``(1 + cv²) / 2`` for treatment times that are not exponential;
        weighted by arrivals: the pointwise stationary approximation over a weekly cycle, so a
        busy Monday queues as one. ``boarders``, the mean number of admitted patients holding a
        cubicle while they wait for a bed (:func:`~simulate.model.tiers.queues.boarders`),
        lengthen the cubicles' mean holding time by their share of it (Little's law) and add to
        time in A&E; the breach shares and the Allen-Cunneen factor are treatment's alone.
        """
        total = float(week.sum())
        shares = week / total if total > 0 else np.zeros_like(week)
        per_hour = week / np.maximum(occurrences, 1)  # arrivals an hour in each hour of the cycle
        days = occurrences.sum() / 24
        cycle = len(week)
        load = np.array(
            [per_hour[(h - self.lags) % cycle] @ self.still_treated for h in range(cycle)]
        )
        boarding = boarders * days / total if total > 0 else 0.0  # days boarded per arrival
        holding = self.treatment_days + boarding
        wait = breach = long = gone = 0.0
        for share, offered in zip(shares, load + boarders):
            hour = self._erlang(offered / holding, cubicles, holding)
            wait, breach = wait + share * hour[0], breach + share * hour[1]
            long, gone = long + share * hour[2], gone + share * hour[3]
        return {
            "ae_departures": total,
            "ae_time_hours": total * ((1 - gone) * holding + wait) * 24.0,
            "ae_cubicle_wait_sum_hours": total * wait * 24.0,
            "ae_cubicle_starts": total * (1 - gone),
            "ae_4h_breaches": total * breach,
            "ae_12h_waits": total * long,
            "ae_left_without_being_seen": total * gone,
        }

    def _erlang(self, per_day: float, cubicles: int, holding: float) -> tuple:
        """Mean wait (days) for a cubicle, the 4- and 12-hour shares and the share leaving unseen.

        Without patience, Erlang C; with it, Erlang A (exponential patience of the same mean), the
        wait of those who wait taken as exponential for the 4- and 12-hour tails. ``holding`` is
        a cubicle's mean holding time (days): treatment, and boarding where beds are full.
        """
        hours = self.treatment_grid
        if self.patience_days is None:
            p_wait, wait = erlang_c(per_day, holding, cubicles)
            wait, gone = wait * self.allen_cunneen, 0.0
            rate = cubicles / holding - per_day  # of the wait's exponential tail
        else:
            patience = self.patience_days
            p_wait, wait, _ = erlang_a(per_day, holding, cubicles, patience)
            wait *= self.allen_cunneen
            # those who wait leave at 1 / patience while they wait (exponential patience), so
            # the share who leave is the mean wait over the mean patience (Little's law on the
            # queue), at the Allen-Cunneen wait as at Erlang A's own
            gone = wait / patience
            rate = p_wait / wait if wait > 0 else math.inf
        shares = []
        for limit in (4.0, 12.0):
            if not math.isfinite(wait):
                tail = 1.0
            else:
                tail = np.exp(-np.maximum(limit - hours, 0.0) / 24.0 * rate)
            # treated beyond the limit anyway, or within it and waiting long enough to pass it
            shares.append(self.beyond[limit] + p_wait * np.mean(np.where(hours > limit, 0, tail)))
        return wait, shares[0], shares[1], gone
