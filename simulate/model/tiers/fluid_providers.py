"""Each acute trust's expected flows in the mean field: the practices' flows by catchment share.

The fluid trust (:mod:`simulate.model.tiers.fluid_trust`) computes expected A&E arrivals,
admissions and bed occupancy per practice and cohort. With several trusts, a practice's flows
reach each trust in its emergency catchment's shares ([practice, trust]): an expected flow split
in expectation, so the trusts' columns add up to the practices' totals. Admissions, excess bed
days and occupancy (an infinite-server expectation) are linear in arrivals and split exactly;
only A&E waits are not (a queue is not linear in its load), so each trust's A&E is its own
queue at its own cubicles, fed by its own share. The sums land in the same
:class:`~simulate.model.providers.ProviderSums` the event trusts fill, so a mean-field cube has
the hybrid's ``provider_*`` variables.
"""

from __future__ import annotations

import numpy as np


def by_trust(flows: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Flows [practice, cohort] split by ``shares`` [practice, trust]: [trust, practice, cohort].

    With one trust (a column of ones) the one part is ``flows`` itself, value for value.
    """
    return flows[None, :, :] * shares.T[:, :, None]


def open_by_beds(beds: list, opened: float) -> None:
    """Open ``opened`` beds (the investment pipeline's) at the trusts by their beds' shares.

    As the event trusts do (:meth:`simulate.model.tiers.trust.EventAcute.open_beds`).
    """
    now = np.array([b.capacity for b in beds], dtype=float)
    for pool, share in zip(beds, now / now.sum()):
        pool.open(opened * share)


def record(sums, m: int, shares, times: list[dict], admissions, excess, bed_days, delayed):
    """Add reported month ``m``'s expected flows to each trust's column of ``sums``.

    ``times`` holds each trust's A&E queue (:meth:`~simulate.model.tiers.cubicles.Cubicles.times`);
    ``admissions``, ``excess`` (bed days beyond the trim point), ``bed_days`` and ``delayed``
    (days waiting in an acute bed for a step-down bed) are [practice, cohort].
    """
    s = sums.sums
    for t, queue in enumerate(times):
        s["provider_ae_attendances"][m, t] += queue["ae_departures"]
        s["provider_ae_departures"][m, t] += queue["ae_departures"]
        s["provider_ae_4h_breaches"][m, t] += queue["ae_4h_breaches"]
        s["ae_time_hours"][m, t] += queue["ae_time_hours"]
        s["ae_cubicle_wait_sum_hours"][m, t] += queue["ae_cubicle_wait_sum_hours"]
    for name, flow in (
        ("provider_emergency_admissions", admissions),
        ("provider_excess_bed_days", excess),
        ("provider_bed_days", bed_days),
        ("provider_delayed_discharge_days", delayed),
    ):
        s[name][m] += flow.sum(axis=1) @ shares
