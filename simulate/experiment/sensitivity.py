"""Global sensitivity: which scenario parameters move a metric, by Sobol' or Morris (SALib).

A parameter is a dotted scenario key with a range. The range is given on the command line
(``key=low:high``) or read from the scenario, where the key's value is a distribution table:
uniform and triangular give their ``low`` and ``high``; any other distribution its 2.5% and 97.5%
quantiles. SALib draws the design; each row becomes a scenario (the base scenario with those keys
set, exactly as ``--set`` would), and every sample runs the same replications with the same
streams (common random numbers), so differences between samples are the parameters' doing, not
noise. The metric per sample is its run total (or mean, for levels) averaged over replications.

:func:`indices` is the seam: it takes any function of a design matrix, so the method is tested on
analytic functions (Ishigami) without running the model.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from simulate.errors import InputError

METHODS = ("sobol", "morris")
_PARAM = re.compile(r"^([A-Za-z_][A-Za-z0-9_.]*)(?:=([^:]+):(.+))?$")


@dataclass(frozen=True)
class Parameter:
    """One varied scenario key and its range; ``integer`` keys are rounded when set."""

    key: str
    low: float
    high: float
    integer: bool = False

    def assignment(self, value: float) -> str:
        """The ``--set`` text that gives this key ``value``."""
        return f"{self.key}={round(value) if self.integer else repr(float(value))}"


def _lookup(data: dict, key: str):
    table = data
    for part in key.split("."):
        if not isinstance(table, dict) or part not in table:
            raise InputError(f"no such scenario key {key!r}", key="--params")
        table = table[part]
    return table


def declared_range(key: str, value) -> tuple[float, float]:
    """The range a scenario declares for ``key``: a distribution table's bounds or quantiles."""
    from scipy import stats

    if not isinstance(value, dict) or "dist" not in value:
        raise InputError(
            f"{key} is {value!r}, not a distribution; give a range: {key}=LOW:HIGH", key="--params"
        )
    kind = value["dist"]
    if kind in ("uniform", "triangular"):
        return float(value["low"]), float(value["high"])
    if kind == "normal":
        frozen = stats.norm(value["mean"], value["sd"])
    elif kind == "lognormal":
        sigma2 = math.log1p((value["sd"] / value["mean"]) ** 2)
        frozen = stats.lognorm(math.sqrt(sigma2), scale=value["mean"] * math.exp(-sigma2 / 2))
    elif kind == "exponential":
        frozen = stats.expon(scale=value["mean"])
    elif kind == "beta" and {"alpha", "beta"} <= value.keys():
        frozen = stats.beta(value["alpha"], value["beta"])
    else:
        raise InputError(f"{key}: a {kind} distribution has no range; give {key}=LOW:HIGH")
    low, high = frozen.ppf([0.025, 0.975])
    return float(low), float(high)


def parse_params(text: str, scenario_data: dict) -> list[Parameter]:
    """``a,b=0.1:0.3,...`` as parameters, checked against the resolved scenario's keys."""
    found = []
    for item in filter(None, (p.strip() for p in text.split(","))):
        match = _PARAM.match(item)
        if not match:
            raise InputError(f"{item!r}: expected KEY or KEY=LOW:HIGH", key="--params")
        key, low, high = match.groups()
        current = _lookup(scenario_data, key)
        if low is None:
            low, high = declared_range(key, current)
        else:
            try:
                low, high = float(low), float(high)
            except ValueError:
                raise InputError(
                    f"{item!r}: LOW and HIGH must be numbers", key="--params"
                ) from None
        if not low < high:
            raise InputError(f"{key}: LOW must be below HIGH", key="--params")
        integer = isinstance(current, int) and not isinstance(current, bool)
        found.append(Parameter(key, low, high, integer))
    if len(found) < 2 or len({p.key for p in found}) != len(found):
        raise InputError("give at least two different parameters", key="--params")
    return found


def problem(parameters: list[Parameter]) -> dict:
    """SALib's description of the parameter space."""
    return {
        "num_vars": len(parameters),
        "names": [p.key for p in parameters],
        "bounds": [[p.low, p.high] for p in parameters],
    }


def design(parameters: list[Parameter], method: str, n: int, seed: int) -> np.ndarray:
    """The sample points, one row per model run: Sobol' (Saltelli) or Morris trajectories."""
    from SALib.sample import morris, sobol

    space = problem(parameters)
    if method == "sobol":
        return sobol.sample(space, n, calc_second_order=False, seed=seed)
    return morris.sample(space, n, num_levels=4, seed=seed)


def analyse(parameters: list[Parameter], method: str, x: np.ndarray, y: np.ndarray, seed: int):
    """The indices as rows of ``{parameter: ..., index: value, ...}``.

    Sobol': first-order ``S1`` and total ``ST`` with their 95% bootstrap half-widths. Morris:
    ``mu_star`` (mean absolute elementary effect, the ranking measure), its half-width, and
    ``sigma`` (interaction or non-linearity).
    """
    from SALib.analyze import morris, sobol

    space = problem(parameters)
    if method == "sobol":
        found = sobol.analyze(space, y, calc_second_order=False, seed=seed)
        columns = ("S1", "S1_conf", "ST", "ST_conf")
    else:
        found = morris.analyze(space, x, y, num_levels=4, seed=seed)
        columns = ("mu_star", "mu_star_conf", "mu", "sigma")
    return [
        {"parameter": p.key, **{c: float(found[c][i]) for c in columns}}
        for i, p in enumerate(parameters)
    ]


def indices(
    parameters: list[Parameter],
    method: str,
    n: int,
    model: Callable[[np.ndarray], np.ndarray],
    seed: int = 1,
) -> list[dict]:
    """Sample, evaluate ``model`` on the design matrix (one output per row), and analyse."""
    if method not in METHODS:
        raise InputError(f"unknown method {method!r}; one of: {', '.join(METHODS)}")
    x = design(parameters, method, n, seed)
    y = np.asarray(model(x), dtype=float)
    return analyse(parameters, method, x, y, seed)


def sample_scenarios(file, overrides: tuple[str, ...], parameters: list[Parameter], x: np.ndarray):
    """One scenario per design row: the base scenario with the row's keys set, named by row."""
    from simulate.inputs.scenario import load_scenario

    width = len(str(len(x)))
    return tuple(
        load_scenario(
            file,
            (
                *overrides,
                *(p.assignment(v) for p, v in zip(parameters, row)),
                f'name="sample-{i:0{width}d}"',
            ),
        )
        for i, row in enumerate(x)
    )


def outputs(cube, metric: str) -> np.ndarray:
    """The metric per sample (scenario): its run total, or mean for levels, over replications."""
    from simulate.experiment.metric import metric_value

    return np.array(
        [
            np.mean(
                [
                    metric_value(cube.isel(scenario=s, replication=r), metric)
                    for r in range(cube.sizes["replication"])
                ]
            )
            for s in range(cube.sizes["scenario"])
        ]
    )


def write_table(rows: list[dict], path) -> None:
    """The indices as CSV, written atomically."""
    import csv
    import io
    import os

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(buffer.getvalue())
    os.replace(temporary, path)


def figure(rows: list[dict], method: str, metric: str, stamp: str, folder) -> list:
    """Bars of the indices with their 95% half-widths, stamped; PNG and SVG, written atomically."""
    import os

    from simulate.results.plots import plt

    names = [r["parameter"] for r in rows]
    shown = ("S1", "ST") if method == "sobol" else ("mu_star",)
    fig, axis = plt.subplots(figsize=(6.4, 1.2 + 0.45 * len(rows)))
    height = 0.8 / len(shown)
    for j, index in enumerate(shown):
        axis.barh(
            np.arange(len(rows)) + j * height,
            [r[index] for r in rows],
            height,
            xerr=[r[f"{index}_conf"] for r in rows],
            label=index,
        )
    axis.set_yticks(np.arange(len(rows)) + height * (len(shown) - 1) / 2, names)
    unit = "share of variance" if method == "sobol" else f"{metric} per unit range"
    axis.set_xlabel(f"{method} index of {metric} ({unit})")
    axis.legend(frameon=False)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    fig.text(0.005, 0.005, stamp, fontsize=6, color="#555555", va="bottom")
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for suffix in (".png", ".svg"):
        path = folder / f"sensitivity{suffix}"
        temporary = path.with_name(f".{path.stem}.tmp{suffix}")
        fig.savefig(temporary, dpi=110, metadata={"Date": None} if suffix == ".svg" else None)
        os.replace(temporary, path)
        paths.append(path)
    plt.close(fig)
    return paths
