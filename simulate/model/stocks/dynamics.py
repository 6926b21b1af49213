"""System dynamics: the slow stocks of a health economy, advanced a month at a time.

Population (age band × number of long-term conditions), GP workforce and money change over years,
and their flows are *linear within a month*: people age, die, migrate and gather conditions at
rates that are fixed for the month; recruits pass through a pipeline delay; funding passes through
a commissioning delay. So every stock-and-flow structure here is one :class:`LinearStocks`, a
system ``dx/dt = Q x + u`` whose rates and inputs are held constant over each step and which is
integrated *exactly* by the matrix exponential (``scipy.linalg.expm``), not by Euler steps: a
delay's step response is exact, and mass balance holds to rounding because every outflow ends in
an explicit sink stock (deaths, emigrants, leavers, spent money). The engine couples in each month:
it reads capacities from the stocks and hands back pressures, which set next month's rates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.linalg import expm

from simulate.inputs.categories import BAND_YEARS

MONTH_YEARS = 1.0 / 12.0


class LinearStocks:
    """Stocks ``x`` with ``dx/dt = Q x + u``, ``Q`` and ``u`` constant over each step."""

    _cache: dict[bytes, tuple[np.ndarray, np.ndarray]] = {}
    """Propagators by (rates, step), shared by every instance: many stocks share one structure
    (every practice's recruitment pipeline), and a matrix exponential is the costly part."""

    def __init__(self, initial: np.ndarray):
        self.x = np.asarray(initial, dtype=float).copy()

    def step(self, rates: np.ndarray, inflow: np.ndarray, dt: float) -> np.ndarray:
        """Advance by ``dt`` exactly; return the new stocks."""
        transition, forcing = self._propagator(rates, dt)
        self.x = transition @ self.x + forcing @ np.asarray(inflow, dtype=float)
        return self.x

    def _propagator(self, rates: np.ndarray, dt: float) -> tuple[np.ndarray, np.ndarray]:
        """``(Phi, Gamma)`` with ``x(t+dt) = Phi x(t) + Gamma u``, from one augmented expm."""
        key = rates.tobytes() + np.float64(dt).tobytes()
        cache = LinearStocks._cache
        if key not in cache:
            n = len(rates)
            augmented = np.zeros((2 * n, 2 * n))
            augmented[:n, :n] = rates
            augmented[:n, n:] = np.eye(n)
            exponential = expm(augmented * dt)
            if len(cache) > 256:
                cache.clear()
            cache[key] = (exponential[:n, :n], exponential[:n, n:])
        return cache[key]


def transfer(rates: np.ndarray, source: int, target: int, rate: float) -> None:
    """Add a flow from stock ``source`` to stock ``target`` at ``rate`` per unit time."""
    rates[target, source] += rate
    rates[source, source] -= rate


class Delay:
    """An n-th order material delay of mean ``tau``: n stocks in series, each emptying at n/tau.

    Order 1 smooths (exponential response); order 3 is the usual pipeline (S-shaped response).
    """

    def __init__(self, tau: float, order: int = 1, initial_outflow_rate: float = 0.0):
        if tau <= 0 or order < 1:
            raise ValueError("a delay needs tau > 0 and order >= 1")
        self.tau, self.order = tau, order
        k = order / tau
        self.rates = np.zeros((order + 1, order + 1))  # the last stock is the outflow sink
        for stage in range(order):
            transfer(self.rates, stage, stage + 1, k)
        initial = np.full(order + 1, initial_outflow_rate / k)
        initial[-1] = 0.0
        self.stocks = LinearStocks(initial)

    def step(self, inflow_rate: float, dt: float) -> float:
        """Feed ``inflow_rate`` for ``dt``; return the amount that came out."""
        before = self.stocks.x[-1]
        u = np.zeros(self.order + 1)
        u[0] = inflow_rate
        return float(self.stocks.step(self.rates, u, dt)[-1] - before)

    @property
    def outflow_rate(self) -> float:
        """Outflow rate now."""
        return float(self.stocks.x[-2] * self.order / self.tau)

    @property
    def in_transit(self) -> float:
        """Material inside the delay."""
        return float(self.stocks.x[:-1].sum())


@dataclass
class PopulationRates:
    """Annual rates of the population model (per person-year unless stated)."""

    band_years: np.ndarray  # width of each age band in years (inf for the last)
    mortality: np.ndarray  # [age band, cohort]
    onset: np.ndarray  # [age band] or [age band, cohort]: hazard of one more long-term condition
    emigration: np.ndarray  # [age band]
    births: float  # persons per year, into the first band with no conditions
    immigration: np.ndarray = field(default=None)  # persons per year by age band, no conditions

    def __post_init__(self):
        if self.immigration is None:
            self.immigration = np.zeros(len(self.band_years))


class Population:
    """Registered people by age band × number of long-term conditions (0, 1, 2, 3, 4+)."""

    def __init__(self, initial: np.ndarray, rates: PopulationRates):
        self.shape = initial.shape
        self.rates = rates
        cells = initial.size
        self.deaths_index, self.emigrants_index = cells, cells + 1
        self.stocks = LinearStocks(np.concatenate([initial.ravel(), [0.0, 0.0]]))
        self.generator = self._generator()

    def _generator(self) -> np.ndarray:
        bands, cohorts = self.shape
        r = self.rates
        q = np.zeros((bands * cohorts + 2,) * 2)
        for a in range(bands):
            for k in range(cohorts):
                cell = a * cohorts + k
                if a + 1 < bands and np.isfinite(r.band_years[a]):
                    transfer(q, cell, cell + cohorts, 1.0 / r.band_years[a])
                if k + 1 < cohorts:
                    transfer(q, cell, cell + 1, r.onset[a, k] if r.onset.ndim == 2 else r.onset[a])
                transfer(q, cell, self.deaths_index, r.mortality[a, k])
                transfer(q, cell, self.emigrants_index, r.emigration[a])
        return q

    def _inflow(self) -> np.ndarray:
        bands, cohorts = self.shape
        u = np.zeros(bands * cohorts + 2)
        u[0] += self.rates.births
        u[0 : bands * cohorts : cohorts] += self.rates.immigration
        return u

    def step(self, months: float = 1.0) -> dict[str, float]:
        """Advance ``months``; return the step's flows (persons) for the mass balance."""
        before = self.stocks.x.copy()
        after = self.stocks.step(self.generator, self._inflow(), months * MONTH_YEARS)
        years = months * MONTH_YEARS
        return {
            "births": self.rates.births * years,
            "immigrants": float(self.rates.immigration.sum() * years),
            "deaths": float(after[self.deaths_index] - before[self.deaths_index]),
            "emigrants": float(after[self.emigrants_index] - before[self.emigrants_index]),
        }

    @property
    def people(self) -> np.ndarray:
        """Stocks as [age band, cohort]."""
        return self.stocks.x[: self.deaths_index].reshape(self.shape)

    def equilibrium(self) -> np.ndarray:
        """The stationary population for these rates: ``Q x + u = 0`` over living cells."""
        n = self.deaths_index
        return np.linalg.solve(self.generator[:n, :n], -self._inflow()[:n]).reshape(self.shape)


@dataclass
class WorkforceRates:
    """GP workforce parameters (time in years)."""

    leaving_rate: float  # share of FTE leaving per year at sustainable workload
    overload_leaving_ratio: float  # leaving-rate multiplier once overloaded
    overload_from: float  # pressure (demand / capacity) where overload starts
    overload_full: float  # pressure where the full multiplier applies
    recruitment_delay_years: float  # mean time from deciding to hire to a GP starting
    adjustment_years: float  # time to close a gap between funded and actual FTE


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

    def step(self, funded: np.ndarray, pressure: np.ndarray, months: float = 1.0) -> dict:
        """One step: hires started to close the funded gap and replace leavers, leavers out."""
        r, dt = self.rates, months * MONTH_YEARS
        leaving = self.leaving_rate(pressure)
        # replace leavers, close the gap to the funded FTE, and keep the pipeline as full as the
        # replacement rate needs (the standard stock-management rule, Sterman 2000, ch. 17)
        in_pipeline = np.array([p.in_transit for p in self.pipelines])
        wanted_pipeline = leaving * self.fte * r.recruitment_delay_years
        correction = (funded - self.fte + wanted_pipeline - in_pipeline) / r.adjustment_years
        hiring = np.maximum(0.0, leaving * self.fte + correction)
        started = np.array([p.step(h, dt) for p, h in zip(self.pipelines, hiring)])
        leavers = self.fte * (1 - np.exp(-leaving * dt))
        self.fte = self.fte - leavers + started
        self.leavers_total += leavers
        return {"joiners": started, "leavers": leavers, "hiring": hiring * dt}


class Funding:
    """Money per registered head that becomes funded capacity only after a commissioning delay."""

    def __init__(self, per_head: float, cost_per_fte: float, delay_years: float, heads: float):
        self.cost_per_fte = cost_per_fte
        self.pipeline = Delay(delay_years, 3, initial_outflow_rate=per_head * heads)
        self.committed = per_head * heads  # GBP per year flowing into commissioned capacity

    def step(self, per_head: float, heads: float, months: float = 1.0) -> float:
        """Announce ``per_head`` GBP a year; return the annual spend now commissioned."""
        self.pipeline.step(per_head * heads, months * MONTH_YEARS)
        self.committed = self.pipeline.outflow_rate
        return self.committed

    @property
    def funded_fte(self) -> float:
        """FTE the commissioned money pays for."""
        return self.committed / self.cost_per_fte


# --- the coupled layer: what the engine advances once a month --------------------------------



@dataclass(frozen=True)
class Link:
    """One causal link of the feedback structure: ``cause`` moves ``effect`` with ``sign``."""

    cause: str
    effect: str
    sign: int  # +1: same direction, -1: opposite
    delayed: bool = False  # through a material or information delay


LINKS: tuple[Link, ...] = (
    # demography drives demand
    Link("registered population", "GP requests", +1),
    Link("ageing and LTC onset", "GP requests", +1),
    Link("registered population", "GP funding allocated", +1),
    # B1, workload and attrition (reinforcing R1 with the leavers)
    Link("GP requests", "GP workload pressure", +1),
    Link("GP workload pressure", "GP leaving rate", +1),
    Link("GP leaving rate", "GP FTE", -1),
    Link("GP FTE", "GP appointments offered", +1),
    Link("GP appointments offered", "GP workload pressure", -1),
    # B2, recruitment closes the gap to the funded establishment
    Link("GP funding allocated", "funded GP FTE", +1, delayed=True),
    Link("funded GP FTE", "GP recruitment", +1),
    Link("GP FTE", "GP recruitment", -1),
    Link("GP recruitment", "GP FTE", +1, delayed=True),
    # spill-over from general practice to the acute trust
    Link("GP workload pressure", "A&E attendances", +1),
    Link("A&E attendances", "bed occupancy", +1),
    # B3, bed investment through a business case
    Link("bed occupancy", "bed investment", +1, delayed=True),
    Link("bed investment", "beds", +1, delayed=True),
    Link("beds", "bed occupancy", -1),
)
"""The feedback loops the coupled model implements, as (cause, effect, sign) links.

``docs/explanation/feedback-loops.svg`` is drawn from this list by :func:`draw_loops`.
"""


@dataclass
class Pressures:
    """What the engine hands back after a month: the pressures that drive the stocks."""

    gp_requests: np.ndarray  # [practice] requests made in the month
    gp_slots: np.ndarray  # [practice] appointments offered in the month
    beds_occupied: float  # occupied beds (a snapshot or a mean over the month)


class EconomyStocks:
    """Population, GP workforce, GP money and beds of one place, advanced a month at a time.

    Each month (one step of ``1/12`` year, integrated exactly by :class:`LinearStocks`):

    1. **people** by practice × age band × cohort age, die, gather conditions and migrate: the
       generator of :class:`Population` acts on every practice's column at once. With
       ``hold_age_structure`` (the default), net migration by age band is set once, at the start,
       so that each band's size would not change: the place is held as a steady state in size and
       age, while the LTC mix within each band follows onset, ageing-in and deaths;
    2. **money**: each practice's GP allocation (GBP per head × heads) passes a third-order
       funding delay before it is commissioned; money above the start's pays for FTE at the
       marginal cost of one FTE;
    3. **GP FTE** per practice: :class:`Workforce`, with leaving driven by last month's requests
       per appointment offered (the engine's pressure) and recruitment through a pipeline;
    4. **beds**: perceived occupancy (first-order smoothing of what the engine reports) above a
       trigger starts a business case for the beds that would bring it back to the trigger; they
       open after a third-order delay.
    """

    def __init__(
        self,
        spec,
        people: np.ndarray,
        demand_share: np.ndarray,
        gp_fte: np.ndarray,
        beds: float,
        mortality: np.ndarray,
    ):
        self.spec = spec
        self.demand_share = demand_share  # [practice, age, cohort]: people who make demand
        practices, bands, cohorts = people.shape
        self.shape = (bands, cohorts)
        rates = PopulationRates(
            band_years=BAND_YEARS[:bands],
            mortality=mortality,
            onset=np.asarray(spec.ltc_onset_per_person_year_by_age, dtype=float),
            emigration=np.full(bands, spec.emigration_per_person_year),
            births=0.0,
        )
        cells = bands * cohorts
        start = np.zeros((cells + 2, practices))
        start[:cells] = people.reshape(practices, cells).T
        heads = people.sum(axis=(1, 2))
        inflow = np.zeros_like(start)
        inflow[0] = spec.births_per_1000_per_year / 1000 * heads
        if spec.hold_ltc_mix:
            rates.onset = steady_onset(people.sum(axis=0), rates, inflow[0].sum())
        self.onset = rates.onset
        self.generator = Population(np.zeros(self.shape), rates).generator
        self.population = LinearStocks(start)
        if spec.hold_age_structure:
            change = (self.generator @ start + inflow)[:cells].reshape(bands, cohorts, practices)
            by_band = people.sum(axis=2).T  # [age, practice]
            mix = np.where(
                by_band[:, None, :] > 0,
                people.transpose(1, 2, 0) / np.maximum(by_band[:, None, :], 1e-300),
                np.eye(cohorts)[0][None, :, None],
            )
            inflow[:cells] -= (change.sum(axis=1)[:, None, :] * mix).reshape(cells, practices)
        self.inflow = inflow
        self.people0 = people.astype(float)

        years = 1.0 / 12.0
        self.workforce = Workforce(
            gp_fte,
            WorkforceRates(
                leaving_rate=spec.gp_leaving_rate_per_year,
                overload_leaving_ratio=spec.gp_overload_leaving_ratio,
                overload_from=spec.gp_overload_from_requests_per_slot,
                overload_full=spec.gp_overload_full_requests_per_slot,
                recruitment_delay_years=spec.gp_recruitment_delay_months * years,
                adjustment_years=spec.gp_workforce_adjustment_months * years,
            ),
        )
        self.fte0 = np.asarray(gp_fte, dtype=float).copy()
        self.committed0 = spec.gp_funding_GBP_per_head_per_year * heads
        # the pipeline starts full of the baseline money only: extra money must pass the delay
        self.funding = _VectorDelay(spec.funding_delay_months * years, 3, self.committed0 * 1.0)
        # the extra money alone, through the same delay: what the lever costs (linear, so it is
        # the part of ``funding`` the extra per-head rate put there)
        self.extra_funding = _VectorDelay(spec.funding_delay_months * years, 3, 0.0 * heads)
        self.beds0 = float(beds)
        self.bed_pipeline = Delay(spec.bed_investment_delay_months * years, 3)
        self.beds_opened = 0.0
        self.perceived_occupancy = 0.0
        self.pressure = np.ones(practices)
        self.month_index = 0

    def allocation(self, heads: np.ndarray) -> np.ndarray:
        """GP funding announced per practice, GBP a year."""
        s = self.spec
        per_head = s.gp_funding_GBP_per_head_per_year + s.extra_gp_funding_GBP_per_head_per_year
        return per_head * heads

    # the stocks as the engine reads them
    @property
    def people(self) -> np.ndarray:
        """Registered people [practice, age band, cohort]."""
        cells = self.shape[0] * self.shape[1]
        return self.population.x[:cells].T.reshape((-1,) + self.shape)

    @property
    def registered(self) -> np.ndarray:
        """Registered people [practice, cohort]."""
        return self.people.sum(axis=1)

    @property
    def demand_base(self) -> np.ndarray:
        """People who make demand [practice, age band, cohort]."""
        return self.people * self.demand_share

    @property
    def gp_fte(self) -> np.ndarray:
        """GP FTE per practice."""
        return self.workforce.fte

    @property
    def funded_fte(self) -> np.ndarray:
        """FTE the commissioned money pays for, per practice."""
        extra = (self.funding.outflow_rate - self.committed0) / self.spec.gp_fte_cost_GBP_per_year
        return np.maximum(self.fte0 + extra, 0.0)

    @property
    def beds(self) -> int:
        """Beds open (whole beds)."""
        return int(round(self.beds0 + self.beds_opened))

    @property
    def funding_allocated(self) -> np.ndarray:
        """GP funding announced this month per practice (GBP a month)."""
        return self.allocation(self.people.sum(axis=(1, 2))) / 12.0

    @property
    def investment_committed(self) -> np.ndarray:
        """GP funding commissioned (through the funding delay) per practice (GBP a month)."""
        return self.funding.outflow_rate / 12.0

    @property
    def new_money(self) -> np.ndarray:
        """Extra per-head GP funding commissioned so far, per practice (GBP a month)."""
        return self.extra_funding.outflow_rate / 12.0

    def month(self, pressures: Pressures) -> None:
        """Advance every stock by one month, given last month's pressures from the engine."""
        spec, dt = self.spec, 1.0 / 12.0
        self.population.step(self.generator, self.inflow, dt)
        heads = self.people.sum(axis=(1, 2))
        self.funding.step(self.allocation(heads), dt)
        self.extra_funding.step(self.spec.extra_gp_funding_GBP_per_head_per_year * heads, dt)
        with np.errstate(divide="ignore", invalid="ignore"):
            pressure = pressures.gp_requests / pressures.gp_slots
        self.pressure = np.where(np.isfinite(pressure), pressure, self.pressure)
        self.workforce.step(self.funded_fte, self.pressure)
        occupancy = pressures.beds_occupied / max(self.beds, 1)
        smoothing = 1 - np.exp(-1.0 / spec.occupancy_perception_months)
        if self.month_index == 0:
            self.perceived_occupancy = occupancy
        self.perceived_occupancy += (occupancy - self.perceived_occupancy) * smoothing
        gap = 0.0
        if self.perceived_occupancy > spec.bed_occupancy_trigger:
            wanted = self.beds * self.perceived_occupancy / spec.bed_occupancy_trigger
            gap = max(0.0, wanted - self.beds - self.bed_pipeline.in_transit)
        self.beds_opened += self.bed_pipeline.step(gap / dt, dt)
        self.month_index += 1


def steady_onset(people: np.ndarray, rates: PopulationRates, births: float) -> np.ndarray:
    """Onset hazards [age band, cohort] under which the LTC mix of ``people`` [age, cohort] holds.

    With each band's size held by net migration in the band's own mix, the cohorts of a band
    balance one after another: what cohort ``k`` loses to ``k+1`` is what flows into it less
    what flows out otherwise. Solved from cohort 0 up; a negative hazard (the mix cannot hold
    by onset alone) is set to zero, so that cell drifts.
    """
    bands, cohorts = people.shape
    flat = Population(
        people,
        PopulationRates(rates.band_years, rates.mortality, np.zeros(bands), rates.emigration, 0.0),
    )
    q = flat.generator[: bands * cohorts, : bands * cohorts]
    change = (q @ people.ravel()).reshape(bands, cohorts)
    change[0, 0] += births
    migration = (
        -change.sum(axis=1, keepdims=True)
        * people
        / np.maximum(people.sum(axis=1, keepdims=True), 1e-300)
    )
    net = change + migration  # [age, cohort]: what onset must carry away (cumulatively)
    onset = np.zeros((bands, cohorts))
    carried = np.zeros(bands)
    for k in range(cohorts - 1):
        carried = carried + net[:, k]
        with np.errstate(divide="ignore", invalid="ignore"):
            onset[:, k] = np.where(people[:, k] > 0, carried / people[:, k], 0.0)
        onset[:, k] = np.maximum(onset[:, k], 0.0)
        carried = onset[:, k] * people[:, k]
    return onset


class _VectorDelay:
    """A third-order material delay for many streams at once (one column per practice)."""

    def __init__(self, tau: float, order: int, initial_outflow_rate: np.ndarray):
        k = order / tau
        self.order, self.tau = order, tau
        self.rates = np.zeros((order + 1, order + 1))
        for stage in range(order):
            transfer(self.rates, stage, stage + 1, k)
        initial = np.zeros((order + 1, len(initial_outflow_rate)))
        initial[:-1] = initial_outflow_rate / k
        self.stocks = LinearStocks(initial)

    def step(self, inflow_rate: np.ndarray, dt: float) -> np.ndarray:
        """Feed ``inflow_rate`` (per stream) for ``dt``; return what came out of each."""
        before = self.stocks.x[-1].copy()
        u = np.zeros_like(self.stocks.x)
        u[0] = inflow_rate
        return self.stocks.step(self.rates, u, dt)[-1] - before

    @property
    def outflow_rate(self) -> np.ndarray:
        """Outflow rate of each stream now."""
        return self.stocks.x[-2] * self.order / self.tau


def for_place(spec, place) -> EconomyStocks:
    """The stocks of ``place`` under a scenario's ``spec`` (a :class:`ScenarioSpec`)."""
    from simulate.inputs.categories import AGE_BANDS
    from simulate.model.rates import by_age_and_ltc, reference_ltc_mix

    population = place.population
    people = population.count(
        {
            "p": (population.practice, population.n_practices),
            "a": (population.age_band, len(AGE_BANDS)),
            "k": (population.cohort, 5),
        }
    ).astype(float)
    base = population.demand_base
    practice_share = base.sum(axis=(1, 2)) / np.maximum(people.sum(axis=(1, 2)), 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(people > 0, base / people, practice_share[:, None, None])
    d = spec.dynamics
    mortality = by_age_and_ltc(
        np.asarray(d.deaths_per_1000_per_year_by_age) / 1000,
        d.deaths_ratio_by_ltc,
        reference_ltc_mix(place),
    )
    return EconomyStocks(d, people, share, place.gp_fte, place.spec.trust.beds, mortality)


def draw_loops(path, links: tuple[Link, ...] = LINKS):
    """Draw ``links`` as a causal-loop diagram (nodes on a circle, signed arrows) to ``path``.

    Returns the figure's links as drawn, ``(cause, effect, sign)``, so a test can check that the
    picture is exactly the code's list.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    nodes = list(dict.fromkeys(name for link in links for name in (link.cause, link.effect)))
    angle = np.linspace(0, 2 * np.pi, len(nodes), endpoint=False) + np.pi / 2
    where = {name: (np.cos(a), np.sin(a)) for name, a in zip(nodes, angle)}
    figure, axes = plt.subplots(figsize=(9, 9))
    drawn = []
    for link in links:
        (x0, y0), (x1, y1) = where[link.cause], where[link.effect]
        colour = "tab:blue" if link.sign > 0 else "tab:red"
        axes.annotate(
            "",
            xy=(x1 * 0.9, y1 * 0.9),
            xytext=(x0 * 0.9, y0 * 0.9),
            arrowprops=dict(
                arrowstyle="-|>",
                color=colour,
                linestyle="--" if link.delayed else "-",
                connectionstyle="arc3,rad=0.15",
                shrinkA=14,
                shrinkB=14,
            ),
        )
        mx, my = (x0 + x1) / 2 * 0.9, (y0 + y1) / 2 * 0.9
        axes.text(mx, my, "+" if link.sign > 0 else "−", color=colour, fontsize=13, weight="bold")
        drawn.append((link.cause, link.effect, link.sign))
    for name, (x, y) in where.items():
        axes.text(
            x,
            y,
            name,
            ha="center",
            va="center",
            fontsize=9,
            bbox=dict(boxstyle="round", facecolor="white", edgecolor="grey"),
        )
    axes.set_xlim(-1.35, 1.35)
    axes.set_ylim(-1.25, 1.25)
    axes.set_aspect("equal")
    axes.axis("off")
    axes.set_title(
        "icsim feedback loops (simulate.model.stocks.dynamics.LINKS): "
        "blue +, red −, dashed through a delay"
    )
    figure.savefig(path, metadata={"Date": None} if str(path).endswith(".svg") else None)
    plt.close(figure)
    return drawn
