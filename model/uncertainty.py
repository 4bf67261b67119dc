"""Uncertainty bands and sensitivity ranking.

:func:`uncertainty` draws the behavioural parameters from their ranges with a
scrambled Sobol sequence (:mod:`scipy.stats.qmc`), runs the scenario for every
draw at once (the engine is vectorised over draws) and returns percentile bands
per year. :func:`sensitivity` moves each input from the bottom to the top of its
range, the others held, and ranks the inputs by how far the outcome swings.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from model import engine
from model.baseline import Baseline, load_baseline
from model.params import BEHAVIOURAL, SPECS
from model.scenario import Scenario
from model.simulate import scenario_params, scenario_paths, simulate

#: Outputs given bands, with how each is computed from the engine's arrays.
BAND_SERIES = ("exports_usd_bn", "imports_usd_bn", "balance_usd_bn", "world_share_pct")
PERCENTILES = (5, 25, 50, 75, 95)


def draw_parameters(
    n: int, seed: int | None = 0, names: tuple[str, ...] = BEHAVIOURAL, method: str = "sobol"
) -> dict[str, np.ndarray]:
    """``n`` draws of the behavioural parameters, uniform over each one's range.

    Parameters
    ----------
    n : number of draws.
    seed : seed of the scrambled sequence (None: a fresh one).
    names : parameters to draw (the others are not returned).
    method : ``"sobol"`` (scrambled Sobol) or ``"lhs"`` (Latin hypercube).

    Notes
    -----
    The year-one elasticity is drawn over its own range; where a draw puts it
    above the long-run one the adjustment speed is capped at 1 (the engine's
    :math:`\\lambda = \\min(\\sigma_1/\\sigma, 1)`).
    """
    from scipy.stats import qmc

    if n < 1:
        raise ValueError(f"n = {n} must be at least 1")
    if method == "sobol":
        sampler = qmc.Sobol(d=len(names), scramble=True, seed=seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # n need not be a power of 2
            unit = sampler.random(n)
    elif method == "lhs":
        unit = qmc.LatinHypercube(d=len(names), seed=seed).random(n)
    else:
        raise ValueError(f"method = {method!r} must be 'sobol' or 'lhs'")
    low = np.array([SPECS[name].min for name in names])
    high = np.array([SPECS[name].max for name in names])
    values = qmc.scale(unit, low, high)
    return {name: values[:, i] for i, name in enumerate(names)}


def run_draws(
    scenario: Scenario, draws: dict[str, np.ndarray], baseline: Baseline | None = None
) -> dict[str, np.ndarray]:
    """Run ``scenario`` once per draw (vectorised); (D, T+1) arrays, base year first."""
    baseline = load_baseline() if baseline is None else baseline
    params = {name: np.asarray(v, dtype=float) for name, v in scenario_params(scenario).items()}
    n = len(next(iter(draws.values())))
    for name in params:
        params[name] = np.asarray(draws[name], float) if name in draws else np.full(n, params[name])
    paths = scenario_paths(scenario, baseline)
    out = engine.run(baseline.core, paths, params, totals_only=True)
    first = np.ones((n, 1))
    exports = np.hstack([first * baseline.exports.sum(), out.exports])
    imports = np.hstack([first * baseline.imports, out.imports])
    world = np.hstack([first * baseline.core.world_exports, out.world])
    return {
        "exports_usd_bn": exports,
        "imports_usd_bn": imports,
        "balance_usd_bn": exports - imports,
        "world_share_pct": 100 * exports / world,
    }


def uncertainty(
    scenario: Scenario | None = None,
    n: int = 10_000,
    seed: int | None = 0,
    percentiles: tuple[float, ...] = PERCENTILES,
    baseline: Baseline | None = None,
    method: str = "sobol",
) -> pd.DataFrame:
    """Percentile bands of the scenario's outcomes over draws of the behavioural parameters.

    Parameters
    ----------
    scenario : the inputs; its behavioural parameters are replaced by the draws.
    n : number of draws (all run at once).
    seed : seed of the sequence (the same seed gives the same bands).
    percentiles : which percentiles to report.
    baseline : base-year state (default: the shipped data).
    method : ``"sobol"`` or ``"lhs"``.

    Returns
    -------
    DataFrame
        Long table: ``year``, ``series`` (exports_usd_bn, imports_usd_bn,
        balance_usd_bn, world_share_pct), then one column ``p<q>`` per percentile
        (``p5``, ``p25``, ...).
    """
    scenario = Scenario() if scenario is None else scenario
    baseline = load_baseline() if baseline is None else baseline
    outcomes = run_draws(scenario, draw_parameters(n, seed, method=method), baseline)
    years = np.arange(baseline.year, scenario.end_year + 1)
    values = np.hstack([_percentiles(outcomes[series], percentiles) for series in BAND_SERIES])
    columns = {
        "year": np.tile(years, len(BAND_SERIES)),
        "series": np.repeat(BAND_SERIES, len(years)).astype(object),
    }
    columns.update({f"p{q:g}": row for q, row in zip(percentiles, values, strict=True)})
    return pd.DataFrame(columns)


def _percentiles(values: np.ndarray, percentiles: tuple[float, ...]) -> np.ndarray:
    """Percentiles over the first axis, linear between order statistics (numpy's default
    method), from one sort of the draws."""
    ordered = np.sort(values, axis=0)
    position = np.asarray(percentiles, dtype=float) / 100.0 * (len(ordered) - 1)
    low = np.floor(position).astype(int)
    high = np.minimum(low + 1, len(ordered) - 1)
    weight = (position - low)[:, None]
    return ordered[low] + weight * (ordered[high] - ordered[low])


def sensitivity(
    scenario: Scenario | None = None,
    year: int = 2030,
    output: str = "balance_usd_bn",
    baseline: Baseline | None = None,
) -> pd.DataFrame:
    """How far each input moves one outcome: its value at the bottom and the top of the
    input's range, every other input held at the scenario's value.

    Parameters
    ----------
    scenario : the inputs to start from.
    year : the year of the outcome (at most the scenario's end year).
    output : a column of :attr:`model.simulate.Result.path`.
    baseline : base-year state.

    Returns
    -------
    DataFrame
        One row an input, largest swing first: ``input``, ``label``, ``low``, ``high``
        (the input's range), ``at_low``, ``at_high`` (the outcome there), ``swing``
        (``at_high - at_low``). Inputs of regions the base year does not model, and
        the horizon, are left out.
    """
    scenario = Scenario() if scenario is None else scenario
    baseline = load_baseline() if baseline is None else baseline
    if not baseline.year < year <= scenario.end_year:
        raise ValueError(
            f"year = {year} must be after the base year {baseline.year} and at most "
            f"end_year = {scenario.end_year}"
        )
    modelled = set(baseline.slugs)
    rows = []
    for name, spec in SPECS.items():
        if name == "end_year" or spec.group == "retired":
            continue
        if name.startswith(("tariff_", "growth_")) and name not in (
            "tariff_from",
            "tariff_china",
            "growth_china",
            "growth_world",
        ):
            slug = name.split("_", 1)[1]
            if slug not in modelled:
                continue
        ends = []
        for value in (spec.min, spec.max):
            changes = {name: int(value) if spec.integer else value}
            if name == "sigma":
                changes["sigma_1"] = min(scenario.sigma_1, value)
            if name == "sigma_1":
                changes["sigma"] = max(scenario.sigma, value)
            ends.append(simulate(scenario.replace(**changes), baseline).value(output, year))
        rows.append(
            {
                "input": name,
                "label": spec.label,
                "low": spec.min,
                "high": spec.max,
                "at_low": ends[0],
                "at_high": ends[1],
                "swing": ends[1] - ends[0],
            }
        )
    table = pd.DataFrame(rows)
    order = table["swing"].abs().sort_values(ascending=False).index
    return table.loc[order].reset_index(drop=True)
