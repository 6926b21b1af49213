"""A month of the conditions chain applied to every cell at once, in a fixed order of rounding.

The demography's month moves each cell's five cohorts (0, 1, 2, 3, 4+ conditions) by that cell's
5 × 5 propagator. Written as ``np.matmul(P, x[..., None])`` it is one BLAS ``dgemv`` call for
each of the 360,000 cells of the default place, so the calls' overhead, not the arithmetic, is
most of the month's cost. Here each product ``P[i, j] · x[j]`` is a whole plane at a time (the
stocks are held as five planes, one per cohort), and the products are added in the order that
OpenBLAS's ``dgemv_t`` kernel adds them for five terms, which is what ``np.matmul`` computed:

    y_i = fma(P[i, 4], x_4, (P[i, 0] x_0 + P[i, 2] x_2) + (P[i, 1] x_1 + P[i, 3] x_3))

(four products in two vector lanes, summed across the lanes, and the fifth fused into the sum),
so the results are the same to the last bit, and they no longer depend on which BLAS kernel the
machine picks. NumPy has no fused multiply-add; :func:`fused_multiply_add` computes it exactly
with error-free products and sums (Dekker 1971) and a rounding to odd (Boldo & Melquiond 2008).
Terms whose coefficient is exactly zero everywhere (above the diagonal: conditions are never
lost) are left out; adding them would change nothing but the sign of a zero.
"""

from __future__ import annotations

import numpy as np

COHORTS = 5
LANES = ((0, 2), (1, 3))
"""The vector lanes in which the kernel sums the first four products, before adding the lanes."""
SPLITTER = 2.0**27 + 1.0
"""Veltkamp's constant: ``SPLITTER * a`` splits a double into two halves of 26 bits."""
BLOCK_CELLS = 48_000
"""Cells (of one plane) a block holds at most: a few practices, so the fifty-odd NumPy passes of a
block are few calls on arrays that still stay near the processor (a practice at a time, 12,000
cells in the default places, each call's overhead was a fifth of the month; the whole stocks at
once leave the cache and take twice as long). Every operation is element by element, so the
block's size changes no result."""


class ChainStep:
    """The propagators of one year as planes [i, j] of shape [sex, dep, month], ready to apply."""

    def __init__(self, propagator: np.ndarray):
        """``propagator`` is [sex, dep, month of age, i, j] (to cohort ``i`` from cohort ``j``)."""
        planes = np.ascontiguousarray(np.moveaxis(propagator, (-2, -1), (0, 1)))
        self.planes = planes  # [i, j, sex, dep, month]
        used = planes.reshape(COHORTS, COHORTS, -1).any(axis=2).tolist()  # not all 0
        # the two lanes of the first four terms, and whether the fifth is fused in, by row
        self.lanes = [[[j for j in lane if used[i][j]] for lane in LANES] for i in range(COHORTS)]
        self.fused = [used[i][COHORTS - 1] for i in range(COHORTS)]
        self.split = [_split(planes[i, COHORTS - 1]) for i in range(COHORTS)]
        self._scratch: dict[tuple, list[np.ndarray]] = {}

    def apply(self, x: np.ndarray, out: np.ndarray) -> None:
        """``out[i] = Σ_j P[i, j] x[j]`` for planes ``x`` [cohort, practice, sex, dep, month].

        A block of a few practices at a time (:data:`BLOCK_CELLS`), so that the planes and the
        scratch of one block stay near the processor through its fifty-odd passes (the whole
        stocks would not).
        """
        block = max(1, BLOCK_CELLS // max(1, int(np.prod(x.shape[2:]))))
        for p in range(0, x.shape[1], block):
            self._apply_block(x[:, p : p + block], out[:, p : p + block])

    def _apply_block(self, x: np.ndarray, out: np.ndarray) -> None:
        """:meth:`apply` on one block of planes ``x`` [cohort, practice, sex, dep, month].

        The planes [sex, dep, month] broadcast over the block's practices.
        """
        shape = x.shape[1:]
        if shape not in self._scratch:  # kept: a month allocates none
            self._scratch[shape] = [np.empty(shape) for _ in range(6)]
        total, *scratch = self._scratch[shape]
        for i in range(COHORTS):
            four = total if self.fused[i] else out[i]
            self._four_terms(i, x, four, scratch[:2])
            if self.fused[i]:
                fused_multiply_add(self.split[i], x[COHORTS - 1], four, out[i], scratch)

    def _four_terms(self, i: int, x: np.ndarray, out: np.ndarray, scratch) -> None:
        """``out = (P[i,0] x0 + P[i,2] x2) + (P[i,1] x1 + P[i,3] x3)``, zero terms left out."""
        lanes = []
        for lane, buffer in zip(self.lanes[i], (out, scratch[0])):
            if lane:
                np.multiply(self.planes[i, lane[0]], x[lane[0]], out=buffer)
                if len(lane) == 2:
                    buffer += np.multiply(self.planes[i, lane[1]], x[lane[1]], out=scratch[1])
                lanes.append(buffer)
        if not lanes:
            out[...] = 0.0
        elif lanes[0] is not out:
            out[...] = lanes[0]
        elif len(lanes) == 2:
            out += lanes[1]


def _split(a: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``a`` and its high and low halves (Veltkamp): ``a = high + low`` exactly."""
    scaled = SPLITTER * a
    high = scaled - (scaled - a)
    return a, high, a - high


def fused_multiply_add(split_a, b: np.ndarray, c: np.ndarray, out: np.ndarray, scratch) -> None:
    """``out = a · b + c`` rounded once, as a hardware FMA would give it (``a`` pre-split).

    ``a · b = u + u_err`` exactly (Dekker's two-product); ``c + u = s + s_err`` exactly (Knuth's
    two-sum); then ``s + (s_err + u_err)`` with the inner sum rounded to odd is the correctly
    rounded ``a · b + c`` (Boldo & Melquiond 2008; no overflow or underflow here: the stocks are
    people, far from 1e-290 and 1e300). ``scratch`` is five arrays of ``b``'s shape, none of them
    ``out``, ``b`` or ``c``; ``out`` may not be ``b`` or ``c``.
    """
    a, a_high, a_low = split_a
    u, b_high, b_low, u_err, t = scratch
    np.multiply(a, b, out=u)
    np.multiply(SPLITTER, b, out=b_high)  # Veltkamp's split of b
    np.subtract(b_high, b, out=b_low)
    b_high -= b_low
    np.subtract(b, b_high, out=b_low)
    np.multiply(a_high, b_high, out=u_err)  # Dekker's error of the product
    u_err -= u
    for first, second in ((a_high, b_low), (a_low, b_high), (a_low, b_low)):
        np.multiply(first, second, out=out)
        u_err += out
    s, s_err = b_high, b_low
    _two_sum(c, u, s, s_err, out)
    inner, inner_err = u, t
    _two_sum(s_err, u_err, inner, inner_err, out)
    _round_to_odd(inner, inner_err)
    np.add(s, inner, out=out)


def _round_to_odd(rounded: np.ndarray, err: np.ndarray) -> None:
    """``rounded`` (``RN(x)``, with ``x = rounded + err`` exactly) made ``RO(x)``, in place.

    Rounding to odd keeps an exact result, and otherwise takes, of the two doubles around ``x``,
    the one whose last bit is odd: the one towards zero, with its last bit set. On the bits of a
    double (sign and magnitude) that is ``(bits - 1) | 1`` when ``RN`` rounded away from zero
    (``err`` of the other sign) and ``bits | 1`` when it rounded towards it.
    """
    bits, err_bits = rounded.view(np.int64), err.view(np.int64)
    inexact = err != 0.0
    away = (bits ^ err_bits) < 0
    away &= inexact
    bits -= away
    bits |= inexact


def _two_sum(a, b, s, err, scratch) -> None:
    """``a + b = s + err`` exactly, ``s`` the rounded sum (Knuth's two-sum), into ``s``, ``err``.

    ``s``, ``err`` and ``scratch`` are three distinct arrays, none of them ``a`` or ``b``.
    """
    np.add(a, b, out=s)
    np.subtract(s, a, out=err)  # the part of b that reached s
    np.subtract(s, err, out=scratch)
    np.subtract(a, scratch, out=scratch)  # what of a was lost
    np.subtract(b, err, out=err)  # what of b was lost
    err += scratch
