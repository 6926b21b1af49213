"""Linear stocks and material delays against their analytic step responses and conservation."""

import math

import pytest

from simulate.model.stocks.linear import Delay


@pytest.mark.parametrize("order", [1, 3])
def test_delay_step_response_is_the_analytic_one(order):
    tau, dt = 6.0, 0.25  # months
    delay = Delay(tau, order)
    for step in range(1, 200):
        delay.step(1.0, dt)
        x = order * step * dt / tau
        # Erlang(order) distribution function: the step response of an order-n material delay
        expected = 1 - math.exp(-x) * sum(x**i / math.factorial(i) for i in range(order))
        # the issue asks for 1% (first order) and 2% (third); exact integration gives rounding
        assert delay.outflow_rate == pytest.approx(expected, abs=1e-9)


def test_delay_conserves_material():
    delay = Delay(3.0, 3)
    out = sum(delay.step(2.0 if t < 10 else 0.0, 0.5) for t in range(100))
    assert out + delay.in_transit == pytest.approx(2.0 * 10 * 0.5, rel=1e-12)
