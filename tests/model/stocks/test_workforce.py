"""The GP workforce stocks: balance, pressure-driven attrition and the funding delay."""

import numpy as np
import pytest

from simulate.model.stocks.linear import VectorDelay
from simulate.model.stocks.workforce import Workforce, WorkforceRates


def workforce_rates():
    return WorkforceRates(
        leaving_rate=0.09,
        overload_leaving_ratio=1.5,
        overload_from=1.0,
        overload_full=1.1,
        recruitment_delay_years=0.5,
        adjustment_years=0.25,
    )


def test_balanced_workforce_stays_put_and_counts_every_fte():
    workforce = Workforce(np.array([10.0, 4.0]), workforce_rates())
    joined = left = 0.0
    for _ in range(120):
        flows = workforce.step(funded=np.array([10.0, 4.0]), pressure=np.array([0.9, 1.0]))
        joined += flows["joiners"].sum()
        left += flows["leavers"].sum()
    assert workforce.fte == pytest.approx([10.0, 4.0], rel=0.001)
    assert workforce.fte.sum() == pytest.approx(14.0 + joined - left, rel=1e-12)
    assert workforce.fte.min() > 0


def test_pressure_shock_raises_attrition_at_once_and_fte_falls():
    workforce = Workforce(np.array([10.0]), workforce_rates())
    calm = workforce.step(np.array([10.0]), np.array([0.95]))["leavers"][0]
    shocked = workforce.step(np.array([10.0]), np.array([1.2]))["leavers"][0]
    assert shocked == pytest.approx(calm * 1.5, rel=0.01)
    for _ in range(3):
        workforce.step(np.array([10.0]), np.array([1.2]))
    assert workforce.fte[0] < 10.0  # the pipeline cannot replace the extra leavers at once


def test_funding_step_raises_fte_only_after_the_commissioning_delay():
    # the money path of the economy's stocks: announced GBP pass a third-order delay before they
    # are commissioned, and commissioned money above the start's pays for FTE at the marginal cost
    heads, cost = 100_000, 110_000.0
    committed0 = np.array([60.0 * heads])
    funding = VectorDelay(0.75, 3, committed0)

    def funded():
        return np.array([60.0 * heads / cost]) + (funding.outflow_rate - committed0) / cost

    workforce = Workforce(funded(), workforce_rates())
    start = workforce.fte[0]
    path = []
    for _ in range(60):
        funding.step(np.array([80.0 * heads]), 1 / 12)  # +GBP 20 a head from month 0
        workforce.step(funded(), np.array([1.0]))
        path.append(workforce.fte[0])
    gap = (80 - 60) * heads / cost  # 18.2 FTE newly funded
    # money takes 9 months (third order) and recruits 6 more: almost nothing in two months,
    # half the gap closed only after the combined mean delay of about 1.5 years
    assert path[1] - start < 0.01 * gap
    assert path[11] - start < 0.5 * gap < path[23] - start
    assert path[-1] == pytest.approx(80.0 * heads / cost, rel=0.02)  # the new funded level
    assert all(b >= a - 1e-9 for a, b in zip(path, path[1:]))  # monotone, no overshoot below


def test_a_limited_labour_market_lets_fte_fall_to_supply_over_leaving():
    # 20,000 registered, 11.56 FTE (57.8 per 100,000), the market supplying 5 FTE per 100,000 a
    # year (1 FTE a year) and full overload (leaving 9% x 1.5): hires cannot keep up, and FTE falls
    # to the stock's equilibrium supply / leaving = 1 / 0.135 = 7.41 FTE (dF/dt = s - l F)
    rates = workforce_rates()
    rates.supply_per_head_year = 5.0 / 100_000
    heads = np.array([20_000.0])
    workforce = Workforce(np.array([11.56]), rates)
    joined = left = 0.0
    path = []
    for _ in range(12 * 50):
        flows = workforce.step(np.array([11.56]), np.array([1.2]), heads=heads)
        joined += flows["joiners"].sum()
        left += flows["leavers"].sum()
        path.append(workforce.fte[0])
    assert path[11] < 11.56 - 0.3  # a year in, already falling
    assert workforce.fte[0] == pytest.approx(1.0 / 0.135, rel=0.02)
    assert workforce.fte.sum() == pytest.approx(11.56 + joined - left, rel=1e-12)
    # unlimited (the default), the same overload is replaced post for post
    unlimited = Workforce(np.array([11.56]), workforce_rates())
    for _ in range(12 * 5):
        unlimited.step(np.array([11.56]), np.array([1.2]), heads=heads)
    assert unlimited.fte[0] == pytest.approx(11.56, rel=0.05)
