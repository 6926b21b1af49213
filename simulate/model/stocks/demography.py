"""A population that changes: people by practice × sex × deprivation × month of age × cohort.

Why months of age. Stocks by age *band* that age at one over the band's width treat everyone in
a band as equally close to leaving it and let them leave at any time (an exponential stay), so a
band's oldest and youngest leave at the same rate: with ten-year bands at 75-84 that sends about
a third more people into 85+ each year than a real cohort does, and the 85+ share nearly doubles
in ten years (what seized A&E when the steady state was switched off). Here age is counted in
months and everyone moves up one month each month (an escalator), so ageing is exact, and a
cohort's survival follows its life table.

Each month, in order:

1. **deaths and onset** within each (sex, deprivation, year of age) cell: a chain over the number
   of long-term conditions 0, 1, 2, 3, 4+ with onset hazards and deaths, integrated exactly by its
   matrix exponential (``scipy.linalg.expm``); deaths are the mass the chain loses;
2. **net migration** by sex × age band, as persons a year (a projection) or a rate a person-year,
   spread over the band's cells in proportion to who is there (so it keeps their mix);
3. **ageing**: every cell moves one month up; the open 100+ cell keeps its people;
4. **births** into month 0 with no conditions, in the mothers' practice and deprivation quintile,
   from women aged 15-44 at a fertility rate, split by the sex ratio at birth.

Every flow ends in an explicit counter (births, deaths, net migrants), so the people alive equal
the start plus births and migrants less deaths to rounding, in every cell.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulate.inputs.categories import AGE_BANDS
from simulate.model.stocks.chain_step import ChainStep
from simulate.model.stocks.linear import MONTH_YEARS

MONTHS = 12
TOP_YEAR = 100
TOP = TOP_YEAR * MONTHS
"""Index of the open cell (100 and over) on the month-of-age axis."""
AGE_MONTHS = TOP + 1
BAND_START_YEARS = np.array([0, 5, 15, 25, 45, 65, 75, 85])
"""First year of age of each of :data:`AGE_BANDS`."""
BAND_EDGES = BAND_START_YEARS * MONTHS
"""First month of age of each band (``np.add.reduceat`` sums bands from them)."""
YEAR_OF_MONTH = np.minimum(np.arange(AGE_MONTHS) // MONTHS, TOP_YEAR)
BAND_OF_MONTH = np.searchsorted(BAND_EDGES, np.arange(AGE_MONTHS), side="right") - 1
MOTHERS = slice(15 * MONTHS, 45 * MONTHS)
"""Months of age of women whose births the fertility rate counts (15-44)."""


@dataclass
class DemographyRates:
    """Rates of the changing population (per person-year unless stated)."""

    mortality: np.ndarray  # [sex, year of age 0-100, cohort] deaths per person-year
    onset: np.ndarray  # [sex, deprivation, year of age, cohort] hazard of one more condition
    births_per_woman_year: float  # births per woman aged 15-44 per year
    male_birth_share: float  # share of births that are boys
    migration_rate: np.ndarray  # [age band] net migrants per person-year (used without persons)
    migration_persons: object = None  # NetMigration: persons a year by calendar year, or None
    mortality_improvement: float = 0.0  # yearly fall in every death rate (share)


class Demography:
    """The changing population, a month at a time; see the module docstring.

    The stocks are held as five planes, one per cohort ([cohort, practice, sex, dep, month]),
    so that each step of the month is a few whole-plane operations on contiguous memory
    (:class:`~simulate.model.stocks.chain_step.ChainStep`); :attr:`x` shows them as [practice,
    sex, dep, month, cohort]. The chain writes into a second buffer, and migration writes back
    one month up, which is the ageing, so no month allocates the stocks. The sums the model
    reads (by band, by sex and band, mothers) add the same numbers in the same order as NumPy's
    sums over [practice, sex, dep, month, cohort] did, so the results are the same to the bit.
    """

    def __init__(self, people: np.ndarray, rates: DemographyRates, start_year: int):
        people = np.asarray(people, dtype=float)  # [practice, sex, dep, month, cohort]
        self._planes = np.ascontiguousarray(np.moveaxis(people, -1, 0))
        self._chained = np.empty_like(self._planes)  # the month's chain, before migration
        self.rates, self.start_year = rates, start_year
        self.months_done = 0
        self.totals = {"births": 0.0, "deaths": 0.0, "net_migrants": 0.0}
        self._year_cached, self._chain = None, None
        self._read: dict = {}  # by_band and by_sex_band of the present stocks, once read

    @property
    def x(self) -> np.ndarray:
        """People [practice, sex, dep, month of age, cohort] (a view: writing it sets them)."""
        self._read.clear()  # whoever holds the view may write it
        return np.moveaxis(self._planes, 0, -1)

    # the month
    def step(self) -> dict[str, float]:
        """Advance one month; return its flows (persons) for the mass balance."""
        before = float(self.by_band().sum())
        self._read.clear()
        planes, chained = self._planes, self._chained
        self._month_chain().apply(planes, chained)
        alive, migrants = self._migrate_and_age(chained)
        births = self._births()
        self.months_done += 1
        flows = {"births": births, "deaths": before - alive, "net_migrants": migrants}
        for key, value in flows.items():
            self.totals[key] += value
        return flows

    @property
    def year(self) -> int:
        """Calendar year of the month about to be simulated."""
        return self.start_year + self.months_done // MONTHS

    def _month_chain(self) -> ChainStep:
        """One month's chain [sex, dep, month of age, cohort, cohort] (cached by year of run)."""
        elapsed = self.months_done // MONTHS
        if self._year_cached != elapsed:
            r = self.rates
            mortality = r.mortality * (1 - r.mortality_improvement) ** elapsed
            generator = chain_generator(mortality, r.onset)  # [sex, dep, year, k, k]
            self._chain = ChainStep(stacked_expm(generator * MONTH_YEARS)[:, :, YEAR_OF_MONTH])
            self._year_cached = elapsed
        return self._chain

    def _migrate_and_age(self, chained: np.ndarray) -> tuple[float, float]:
        """Net migration, then everyone one month older (the top cell keeps its people).

        Migration is by sex × age band, in proportion to who is there (so it keeps their mix).
        Returns the people alive before it and the net migrants, from the sums by sex and band
        (the month's flows, which only the mass balance reads).
        """
        r = self.rates
        bands = _by_sex_band(chained)  # [sex, band]
        if r.migration_persons is not None:
            persons = r.migration_persons.of_year(self.year) * MONTH_YEARS
        else:
            persons = bands * np.expm1(np.asarray(r.migration_rate) * MONTH_YEARS)[None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            factor = np.where(bands > 0, np.maximum(1 + persons / bands, 0.0), 1.0)
        by_month = factor[:, BAND_OF_MONTH][:, None, :]  # [sex, 1, month]
        x = self._planes
        np.multiply(chained[..., :TOP], by_month[..., :TOP], out=x[..., 1:])
        x[..., TOP] += chained[..., TOP] * by_month[..., TOP]
        x[..., 0] = 0.0
        return float(bands.sum()), float(((factor - 1.0) * bands).sum())

    def _births(self) -> float:
        """Births of the month into month 0 with no conditions, where their mothers live."""
        r = self.rates
        # [practice, dep, month, cohort] in that order of memory, as the sum always read them
        mothers = np.ascontiguousarray(np.moveaxis(self._planes[:, :, 1, :, MOTHERS], 0, -1))
        women = mothers.sum(axis=(2, 3))  # [practice, dep]
        born = women * r.births_per_woman_year * MONTH_YEARS
        self._planes[0, :, 0, :, 0] = born * r.male_birth_share
        self._planes[0, :, 1, :, 0] = born * (1 - r.male_birth_share)
        return float(born.sum())

    # what the engine and the cube read
    def by_band(self) -> np.ndarray:
        """People [practice, age band, cohort]."""
        if "band" not in self._read:
            self._read["band"] = _by_band(self._planes)
        return self._read["band"].copy()

    def by_sex_band(self) -> np.ndarray:
        """People [sex, age band]."""
        if "sex_band" not in self._read:
            self._read["sex_band"] = _by_sex_band(self._planes)
        return self._read["sex_band"].copy()

    def by_sex_dep_band(self) -> np.ndarray:
        """People [practice, sex, deprivation quintile, age band, cohort]."""
        return np.add.reduceat(np.moveaxis(self._planes, 0, -1), BAND_EDGES, axis=3)


def _by_band(planes: np.ndarray) -> np.ndarray:
    """People [practice, age band, cohort] from planes [cohort, practice, sex, dep, month].

    Summed over sex and deprivation one (sex, dep) after another, then over each band's months,
    as ``x.sum(axis=(1, 2))`` and ``np.add.reduceat`` did on [practice, sex, dep, month, cohort]:
    NumPy adds axes that are not the innermost one (months, here kept) a slice at a time, in
    memory order, so one ``sum`` over (sex, dep) takes them in that order.
    """
    total = planes.sum(axis=(2, 3))  # [cohort, practice, month]
    return np.add.reduceat(np.moveaxis(total, 0, -1), BAND_EDGES, axis=1)


def _by_sex_band(planes: np.ndarray) -> np.ndarray:
    """People [sex, age band] from planes [cohort, practice, sex, dep, month].

    Each cell's cohorts summed in order, then practices and deprivation one after another
    (practice by practice), then each band's months: the order of ``x.sum(axis=(0, 2, 4))``
    (outer axes are added a slice at a time in memory order, as in :func:`_by_band`).
    """
    cells = planes.sum(axis=0)  # [practice, sex, dep, month]
    return np.add.reduceat(cells.sum(axis=(0, 2)), BAND_EDGES, axis=1)


def chain_generator(mortality: np.ndarray, onset: np.ndarray) -> np.ndarray:
    """Generators [sex, dep, year, k, k] of the conditions chain with deaths (columns: from)."""
    sexes, deps, years, cohorts = onset.shape
    q = np.zeros((sexes, deps, years, cohorts, cohorts))
    k = np.arange(cohorts)
    q[..., k, k] = -onset - mortality[:, None]
    q[..., k[1:], k[:-1]] = onset[..., :-1]
    return q


def stacked_expm(a: np.ndarray, degree: int = 12) -> np.ndarray:
    """``expm`` of every matrix of a stack [..., n, n], by scaling and squaring a Taylor series.

    ``scipy.linalg.expm`` takes a stack but loops over it matrix by matrix (3 s for the 1,010
    chains here, once a simulated year). Scaled to a 1-norm at most 1/2, a degree-12 Taylor
    polynomial is within 1e-16 of the exponential (the remainder is below 0.5**13 / 13!), and
    squaring back is exact arithmetic on it; the test checks it against scipy.
    """
    norm = np.abs(a).sum(axis=-2).max(initial=0.0)
    squarings = max(0, int(np.ceil(np.log2(norm / 0.5)))) if norm > 0.5 else 0
    scaled = a / 2.0**squarings
    result = term = np.broadcast_to(np.eye(a.shape[-1]), a.shape).copy()
    for n in range(1, degree + 1):
        term = np.matmul(term, scaled) / n
        result = result + term
    for _ in range(squarings):
        result = np.matmul(result, result)
    return result


def fitted_onset(shares, mortality: np.ndarray, shifts: np.ndarray) -> np.ndarray:
    """Onset hazards [sex, dep, year, cohort] under which each age's LTC mix is reproduced.

    The pseudo-cohort method of the illness-death model (Keiding 1991; Brinks & Landwehr 2014):
    read the cross-section's mix by age as the path of one cohort, so along age ``a`` the shares
    ``s_k`` of the chain 0 → 1 → … → 4+ with onset ``h_k`` and deaths ``mu_k`` obey
    ``ds_k/da = h_{k-1} s_{k-1} - h_k s_k - (mu_k - mu_bar) s_k``. Solved cohort by cohort for
    the flows ``F_k = h_k s_k`` over each year of age (shares at mid-year, changes across it).
    A flow below zero (a mix that falls with age faster than deaths explain) is set to zero:
    onset cannot take conditions away, so the model then keeps more than the cross-section.

    ``shares(age)`` gives the mix [age, cohort] at an array of ages; ``shifts`` [dep] are the
    years by which each deprivation quintile's curve is moved (earlier onset where deprived).
    """
    sexes, years, cohorts = mortality.shape
    onset = np.zeros((sexes, len(shifts), years, cohorts))
    age = np.arange(years, dtype=float)
    for d, shift in enumerate(shifts):
        middle, change = shares(age + 0.5 + shift), shares(age + 1 + shift) - shares(age + shift)
        for s in range(sexes):
            mu = mortality[s]
            excess = (mu - (mu * middle).sum(axis=1, keepdims=True)) * middle
            flow = np.zeros(years)
            for k in range(cohorts - 1):
                flow = flow - change[:, k] - excess[:, k]
                onset[s, d, :, k] = np.maximum(flow, 0.0) / np.maximum(middle[:, k], 1e-12)
                flow = onset[s, d, :, k] * middle[:, k]
    return onset


def spread_to_months(people5: np.ndarray, mx: np.ndarray) -> np.ndarray:
    """People [..., sex, dep, AGE5, cohort] spread over months of age [..., sex, dep, month, k].

    Within each five-year band people are spread evenly over its 60 months (assumption: the
    published lists are by five-year band); the open 90+ band is spread over 90-99 and 100+ as a
    stationary population with the life table's deaths [sex, year] would be.
    """
    *lead, sexes, deps, bands5, cohorts = people5.shape
    out = np.zeros((*lead, sexes, deps, AGE_MONTHS, cohorts))
    for b in range(bands5 - 1):
        months = slice(b * 60, (b + 1) * 60)
        out[..., months, :] = people5[..., b, None, :] / 60.0
    # 90+: survivorship from 90 under each sex's hazard, with the open cell's expected stay
    for s in range(sexes):
        survival = np.exp(-np.cumsum(np.repeat(mx[s, 90:TOP_YEAR], MONTHS) * MONTH_YEARS))
        weights = np.concatenate([[1.0], survival[:-1], [survival[-1] / mx[s, TOP_YEAR] * 12]])
        weights /= weights.sum()
        out[..., s, :, 90 * MONTHS :, :] = (
            people5[..., s, :, bands5 - 1, None, :] * weights[None, :, None]
        )
    return out


__all__ = ["AGE_BANDS", "Demography", "DemographyRates", "fitted_onset", "spread_to_months"]
