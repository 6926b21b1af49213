"""The month's chain in a fixed order of rounding: against exact rational arithmetic and matmul."""

from fractions import Fraction

import numpy as np

from simulate.model.stocks.chain_step import COHORTS, ChainStep, _split, fused_multiply_add
from simulate.model.stocks.demography import BAND_EDGES, _by_band, _by_sex_band


def exact_fma(a: float, b: float, c: float) -> float:
    """``a·b + c`` rounded once: Python's int/int division rounds correctly (to nearest even)."""
    return float(Fraction(a) * Fraction(b) + Fraction(c))


def fma_of(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    out = np.empty_like(b)
    fused_multiply_add(_split(a), b, c, out, [np.empty_like(b) for _ in range(5)])
    return out


def test_the_fused_multiply_add_rounds_once_as_exact_arithmetic_does():
    rng = np.random.default_rng(11)
    a = rng.uniform(0.5, 1.0, 4000)
    b = rng.lognormal(0.0, 3.0, 4000)
    c = rng.lognormal(0.0, 3.0, 4000)
    # hard cases: c cancels most of a·b, and products whose low half is exactly half an ulp
    c[:1000] = -a[:1000] * b[:1000] * (1 + rng.uniform(-1e-12, 1e-12, 1000))
    a[1000:2000] = 1.0 + 2.0**-30
    b[1000:2000] = (1.0 + 2.0**-23) * 2.0 ** rng.integers(-10, 10, 1000)
    got = fma_of(a, b, c)
    expected = np.array([exact_fma(*t) for t in zip(a.tolist(), b.tolist(), c.tolist())])
    assert np.array_equal(got, expected)
    # and it is not merely the product then the sum, which differs in many of these cells
    assert (got != a * b + c).sum() > 100


def exact_kernel(p: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The documented order, a cell at a time in Python floats: two lanes, then the fifth fused."""
    y = np.empty(COHORTS)
    for i in range(COHORTS):
        lanes = (p[i, 0] * x[0] + p[i, 2] * x[2]) + (p[i, 1] * x[1] + p[i, 3] * x[3])
        y[i] = exact_fma(p[i, 4], x[4], lanes)
    return y


def test_the_chain_adds_in_the_documented_order_and_agrees_with_matmul():
    rng = np.random.default_rng(5)
    lower = np.tril(rng.uniform(0.0, 1.0, (2, 3, 4, COHORTS, COHORTS)))  # [sex, dep, month, i, j]
    full = rng.uniform(0.0, 1.0, lower.shape)  # not triangular: every term is used
    x = rng.lognormal(2.0, 2.0, (COHORTS, 3, 2, 3, 4))  # planes [cohort, practice, sex, dep, month]
    for p in (lower, full):
        out = np.empty_like(x)
        ChainStep(p).apply(x, out)
        cells = np.moveaxis(x, 0, -1)  # [practice, sex, dep, month, cohort]
        expected = np.empty_like(cells)
        for index in np.ndindex(cells.shape[:-1]):
            expected[index] = exact_kernel(p[index[1:]], cells[index])
        assert np.array_equal(np.moveaxis(out, 0, -1), expected)
        by_matmul = np.matmul(p[None], cells[..., None])[..., 0]
        np.testing.assert_allclose(np.moveaxis(out, 0, -1), by_matmul, rtol=4e-16, atol=0)


def test_the_summaries_add_as_numpys_sums_over_cells_did():
    # by band and by sex and band: the same bits as the plain sums over [practice, sex, dep,
    # month, cohort], which is what keeps the planes' model identical to the cells' model
    rng = np.random.default_rng(2)
    cells = rng.lognormal(0.0, 2.0, (4, 2, 5, 1201, COHORTS))
    planes = np.ascontiguousarray(np.moveaxis(cells, -1, 0))
    by_band = np.add.reduceat(cells.sum(axis=(1, 2)), BAND_EDGES, axis=1)
    by_sex_band = np.add.reduceat(cells.sum(axis=(0, 2, 4)), BAND_EDGES, axis=1)
    assert np.array_equal(_by_band(planes), by_band)
    assert np.array_equal(_by_sex_band(planes), by_sex_band)
