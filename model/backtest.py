"""Replay history: simulate from a start year with the actual tariffs and demand.

:func:`backtest` starts from the actual figures of ``start_year`` and runs the
same equations as a scenario (:mod:`model.engine`) with the inputs that were
observed each year after it, then sets the simulated path beside the actual one
and beside a naive benchmark.

Observed inputs
---------------
* Tariffs: the annual time-weighted averages of the dated PIIE series
  (:func:`model.tariffs.annual_average`): the US tariff on Chinese goods and, as
  retaliation on China's imports, China's tariff on US goods.
* Partner demand (real GDP growth): the region's own series where the data have
  it (US, euro area for the EU, ASEAN-5 for ASEAN), else world real GDP growth.
  In a year with no GDP figure at all the observed world trade volume growth
  stands in for the whole demand term :math:`\\varepsilon_Y \\ln(1+g)` (the
  table :attr:`BacktestResult.inputs` says which source each year used).
* US$ price of traded goods: world export value growth (WTO) over world trade
  volume growth, :math:`(1+\\Delta W/W)/(1+w) - 1`; 0 in a year either is missing.
* The other exporters: their actual US$ export growth (world less China).
* China: real GDP growth for domestic demand; commodity prices from the IMF
  index where the data have it, else the change of the Brent oil price (crude
  oil is China's largest commodity import), else the world export unit value;
  no real exchange-rate series is used.

Regions: those that have an export figure in the start year (the others are in
Rest of world).

Naive benchmark
---------------
A random walk with drift: each series goes on from its start-year level by its
average annual change over the five years up to the start year,
:math:`\\hat y_{s+h} = y_s + h\\,(y_s - y_{s-k})/k` with :math:`k = 5`, or the
longest lag up to 5 years that the data have.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from model import engine
from model.baseline import (
    TARIFF_SERIES,
    Baseline,
    baseline_from_actuals,
    latest_full_year,
    load_actuals_cached,
    tariff_segments,
    world_trade_growth,
)
from model.data import REST_OF_WORLD, Actuals
from model.params import SLUGS
from model.scenario import Scenario
from model.simulate import region_column, scenario_params
from model.tariffs import annual_average

#: Region -> its own real GDP growth series in drivers.csv.
GDP_SERIES = {
    "United States": "us_real_gdp_growth_pct",
    "European Union": "euro_area_real_gdp_growth_pct",
    "ASEAN": "asean5_real_gdp_growth_pct",
}
WORLD_GDP = "world_real_gdp_growth_pct"
OIL_SERIES = "brent_usd_per_barrel"

#: Series compared, in order (region columns follow).
SERIES = ("exports_usd_bn", "imports_usd_bn", "balance_usd_bn", "world_share_pct")

#: Exports to every region but the United States (a series of the back-test's table).
OUTSIDE_US = "exports_outside_us_usd_bn"

#: The other suppliers' sales in the US market (a series of the back-test's table). The
#: actual series is the US imports from every supplier but China (World less China of one
#: US source) scaled to the model's start-year level: the US records its imports on its
#: own basis, the model holds China's sales on China's customs basis, so the two compare
#: in their changes from the start year. Only where the start year and a later one have
#: the US figures.
US_RIVALS = "us_market_others_usd_bn"

#: Lag of the naive benchmark's drift, years.
NAIVE_LAG = 5


@dataclass(frozen=True, eq=False)
class BacktestResult:
    """Simulated against actual, with error metrics.

    Attributes
    ----------
    start_year : the year the replay starts from (its actual figures).
    baseline : the start-year state.
    table : one row a year (the start year first): ``year``, then for each series
        ``<series>_simulated`` and ``<series>_actual`` (actual NaN where the data
        have a gap).
    naive : one row a year: ``year`` and ``<series>_naive``.
    metrics : one row per series and method (model, naive): MAPE (%), RMSE, the
        final year's error and its percent, and the number of years compared.
    inputs : the observed inputs used each year and their sources.
    scenario : the behavioural parameters used (a :class:`Scenario`).
    """

    start_year: int
    baseline: Baseline
    table: pd.DataFrame
    naive: pd.DataFrame
    metrics: pd.DataFrame
    inputs: pd.DataFrame
    scenario: Scenario

    @property
    def series(self) -> list[str]:
        """Names of the compared series."""
        return [c[: -len("_simulated")] for c in self.table.columns if c.endswith("_simulated")]

    def change_pct(self, series: str, year: int) -> tuple[float, float]:
        """(simulated, actual) percent change of ``series`` from ``year - 1`` to ``year``."""
        table = self.table.set_index("year")
        if year not in table.index or year - 1 not in table.index:
            raise ValueError(f"{year} and {year - 1} must both be in the back-test")
        out = []
        for kind in ("simulated", "actual"):
            column = f"{series}_{kind}"
            out.append(100.0 * (table.at[year, column] / table.at[year - 1, column] - 1.0))
        return out[0], out[1]

    def metric(self, series: str, method: str = "model", name: str = "mape_pct") -> float:
        """One error metric, e.g. ``metric("balance_usd_bn", "naive")``."""
        rows = self.metrics[(self.metrics["series"] == series) & (self.metrics["method"] == method)]
        if rows.empty:
            raise ValueError(f"no metrics for {series!r} and {method!r}")
        return float(rows[name].iloc[0])


def _region_actual(
    actuals: Actuals, region: str, years: range, modelled: tuple[str, ...] = ()
) -> np.ndarray:
    """Actual exports to ``region`` over ``years`` (NaN for gaps).

    Rest of world is the year's total less the other modelled regions, and only
    where each of them has a figure that year (else it would hold a region that
    the model keeps apart).
    """
    if region == REST_OF_WORLD:
        named = [r for r in modelled if r != REST_OF_WORLD]
        table = actuals.by_region.pivot_table(
            index="year", columns="region", values="exports_usd_bn", aggfunc="first"
        ).reindex(index=list(years), columns=named)
        total = actuals.annual["exports_usd_bn"].reindex(list(years))
        rest = total.to_numpy(float) - table.sum(axis=1, min_count=1).to_numpy(float)
        complete = table.notna().all(axis=1).to_numpy() if named else np.ones(len(years), bool)
        return np.where(complete, rest if named else total.to_numpy(float), np.nan)
    rows = actuals.by_region[actuals.by_region["region"] == region]
    values = rows.set_index("year")["exports_usd_bn"]
    return np.array([float(values.get(y, np.nan)) for y in years])


def _us_others_actual(actuals: Actuals, years: range) -> np.ndarray:
    """US imports from every supplier but China over ``years``, US$ bn (NaN where the
    data lack the world or China figure in US$ of one year)."""
    out = []
    for year in years:
        figures = actuals.market_imports("United States", year)
        world, china = figures.get("World"), figures.get("China")
        paired = world is not None and china is not None and world[1] == china[1] == "USD bn"
        out.append(world[0] - china[0] if paired else np.nan)
    return np.array(out, dtype=float)


def _tariff_path(actuals: Actuals, by: str, on: str, years: range) -> np.ndarray:
    steps = actuals.tariff_steps(imposed_by=by, imposed_on=on, series=TARIFF_SERIES)
    if steps.empty:
        return np.zeros(len(years))
    return annual_average(steps, years, hold_first=True).to_numpy(dtype=float) / 100.0


@dataclass(frozen=True)
class Observed:
    """Observed inputs of a replay.

    paths : the engine's inputs. table : the inputs and their sources, one row a year.
    stand_in : (T, R) True where world trade volume growth stands in for the demand term.
    trade : (T,) world trade volume growth (fraction; 0 where missing).
    world_gdp : (T,) world real GDP growth (fraction; NaN where missing).
    """

    paths: engine.Paths
    table: pd.DataFrame
    stand_in: np.ndarray
    trade: np.ndarray
    world_gdp: np.ndarray

    def with_eps_y(self, eps_y: float) -> engine.Paths:
        """The paths for an income elasticity :math:`\\varepsilon_Y`: the world demand
        shift :math:`\\ln(1+w) - \\varepsilon_Y \\ln(1+g^W)` (the growth of world trade
        that world income does not explain) and the stand-in demand cells."""
        known = np.isfinite(self.world_gdp)
        shift = np.where(
            known, np.log1p(self.trade) - eps_y * np.log1p(np.where(known, self.world_gdp, 0)), 0
        )
        growth = np.array(self.paths.growth, dtype=float, copy=True)
        if self.stand_in.any():
            standin = np.expm1(np.log1p(self.trade) / eps_y)
            growth[self.stand_in] = np.broadcast_to(standin[:, None], growth.shape)[self.stand_in]
        return replace(self.paths, growth=growth, demand_shift=shift)


def observed_inputs(actuals: Actuals, baseline: Baseline, years: range, eps_y: float) -> Observed:
    """The engine's inputs over ``years`` from the data, with a table of their sources."""
    annual = actuals.annual
    n_years, regions = len(years), baseline.regions
    world_gdp = actuals.driver(WORLD_GDP)
    growth = np.zeros((n_years, len(regions)))
    stand_in = np.zeros((n_years, len(regions)), dtype=bool)
    trade_growth = np.zeros(n_years)
    sources = []
    for i, year in enumerate(years):
        trade = world_trade_growth(actuals, year)
        trade_growth[i] = trade[0] / 100.0 if trade is not None else 0.0
        used = []
        for j, region in enumerate(regions):
            own = actuals.driver(GDP_SERIES[region]) if region in GDP_SERIES else None
            if own is not None and year in own.index:
                growth[i, j], source = own[year], GDP_SERIES[region]
            elif year in world_gdp.index:
                growth[i, j], source = world_gdp[year], WORLD_GDP
            elif trade is not None:
                # Observed world import demand stands in for the whole demand term.
                growth[i, j] = 100.0 * np.expm1(np.log1p(trade[0] / 100.0) / eps_y)
                stand_in[i, j] = True
                source = f"{trade[1]} (for the demand term)"
            else:
                raise ValueError(
                    f"no observed demand for {year} (no GDP or world trade figure in the "
                    "data): start the back-test later"
                )
            used.append(f"{region}: {source}")
        sources.append("; ".join(used))
    growth /= 100.0
    gdp_world = np.array([world_gdp[y] / 100.0 if y in world_gdp.index else np.nan for y in years])

    world = annual["world_exports_usd_bn"]
    price = np.zeros(n_years)
    price_source = []
    for i, year in enumerate(years):
        trade = world_trade_growth(actuals, year)
        value_known = all(
            y in world.index and np.isfinite(world.get(y, np.nan)) for y in (year - 1, year)
        )
        if value_known and trade is not None:
            price[i] = world[year] / world[year - 1] / (1 + trade[0] / 100.0) - 1.0
            price_source.append(f"WTO world exports / {trade[1]}")
        else:
            price_source.append("no figure: no change")

    def driver(series: str) -> tuple[np.ndarray, list[str]]:
        values = actuals.driver(series)
        out = np.array([float(values.get(y, 0.0)) / 100.0 for y in years])
        return out, [series if y in values.index else "no figure: no change" for y in years]

    growth_china, china_source = driver("china_real_gdp_growth_pct")
    commodity, commodity_source = driver("commodity_price_change_pct")
    # Where the commodity index is missing, the Brent oil price stands in (crude oil is
    # China's largest commodity import), else world export unit values.
    brent = actuals.driver(OIL_SERIES)
    for i, year in enumerate(years):
        if not commodity_source[i].startswith("no figure"):
            continue
        if year in brent.index and year - 1 in brent.index:
            commodity[i] = brent[year] / brent[year - 1] - 1.0
            commodity_source[i] = f"{OIL_SERIES} (stand-in)"
        elif price_source[i] != "no figure: no change":
            commodity[i] = price[i]
            commodity_source[i] = "world export unit value (stand-in)"

    tariff = np.zeros((n_years, len(regions)))
    for j, region in enumerate(regions):
        if region != REST_OF_WORLD:
            tariff[:, j] = _tariff_path(actuals, region, "China", years)
    china_tariff = _tariff_path(actuals, "China", "United States", years)

    paths = engine.Paths(
        tariff=tariff,
        china_tariff=china_tariff,
        growth=growth,
        demand_shift=np.zeros(n_years),
        world_price=price,
        growth_china=growth_china,
        rmb=np.zeros(n_years),
        commodity=commodity,
        price=np.zeros(n_years),
        segments=tuple(
            (days, levels / 100.0)
            for days, levels in (tariff_segments(actuals, regions, y) for y in years)
        ),
    )
    table = pd.DataFrame(
        {
            "year": list(years),
            "us_tariff_pct": 100 * tariff[:, regions.index("United States")]
            if "United States" in regions
            else np.nan,
            "china_tariff_pct": 100 * china_tariff,
            "price_pct": 100 * price,
            "world_trade_pct": 100 * trade_growth,
            "growth_china_pct": 100 * growth_china,
            "growth_world_pct": 100 * gdp_world,
            "commodity_pct": 100 * commodity,
            "demand_sources": sources,
            "price_source": price_source,
            "china_source": china_source,
            "commodity_source": commodity_source,
        }
    )
    for j, slug in enumerate(baseline.slugs):
        table.insert(6 + j, f"growth_{slug}_pct", 100 * growth[:, j])
    return Observed(paths, table, stand_in, trade_growth, gdp_world)


def naive_path(values: pd.Series, start: int, years: range) -> np.ndarray:
    """Random walk with drift from ``start``: the average annual change over the
    ``NAIVE_LAG`` years up to ``start`` (or the longest lag the data have) carried on."""
    values = values.dropna()
    if start not in values.index:
        return np.full(len(years), np.nan)
    level = float(values[start])
    for lag in range(NAIVE_LAG, 0, -1):
        if start - lag in values.index:
            drift = (level - float(values[start - lag])) / lag
            break
    else:
        drift = 0.0
    return np.array([level + (y - start) * drift for y in years])


def _errors(simulated: np.ndarray, actual: np.ndarray, years: np.ndarray) -> dict:
    known = np.isfinite(actual)
    if not known.any():
        return {
            "years": 0,
            "mape_pct": np.nan,
            "rmse": np.nan,
            "final_year": np.nan,
            "final_error": np.nan,
            "final_error_pct": np.nan,
        }
    error = simulated[known] - actual[known]
    last = np.flatnonzero(known)[-1]
    return {
        "years": int(known.sum()),
        "mape_pct": float(100 * np.mean(np.abs(error / actual[known]))),
        "rmse": float(np.sqrt(np.mean(error**2))),
        "final_year": int(years[last]),
        "final_error": float(simulated[last] - actual[last]),
        "final_error_pct": float(100 * (simulated[last] / actual[last] - 1)),
    }


def backtest(
    start_year: int = 2017,
    end_year: int | None = None,
    scenario: Scenario | None = None,
    actuals: Actuals | None = None,
) -> BacktestResult:
    """Replay history from ``start_year`` with the actual tariff path and observed demand.

    Parameters
    ----------
    start_year : the replay starts from this year's actual figures.
    end_year : last year replayed (default: the latest full year of data).
    scenario : behavioural parameters (σ, σ1, ω, κ, εY, εM, μ, ...); its other
        fields are not used (default: :class:`Scenario` defaults).
    actuals : the data (default: ``data/``, cached).

    Returns
    -------
    BacktestResult
        Simulated beside actual for total exports, imports, balance, world share
        and exports by modelled region; error metrics (MAPE, RMSE, final-year
        error) for the model and for the naive benchmark.

    Raises
    ------
    ValueError
        If the years are outside the data or the start year lacks figures.
    """
    actuals = load_actuals_cached() if actuals is None else actuals
    scenario = Scenario() if scenario is None else scenario
    replay = prepare(actuals, start_year, end_year)
    out = engine.run(
        replay.baseline.core, replay.observed.with_eps_y(scenario.eps_y), scenario_params(scenario)
    )
    return _assemble(replay, out, scenario)


@dataclass(frozen=True, eq=False)
class Replay:
    """Everything a back-test needs from the data, made once per data, start and end.

    baseline : start-year state; years : the replayed years; observed : the inputs;
    actual : series -> (T+1,) actual values, start year first (NaN for gaps);
    naive : series -> (T+1,) naive benchmark path.
    """

    actuals: Actuals
    baseline: Baseline
    years: range
    observed: Observed
    actual: dict
    naive: dict


_REPLAYS: dict[tuple[int, int, int], Replay] = {}


def prepare(actuals: Actuals, start_year: int, end_year: int | None = None) -> Replay:
    """The data side of a back-test from ``start_year`` (cached per data object).

    Raises
    ------
    ValueError
        If the years are outside the data or a replayed year has no observed demand.
    """
    last = latest_full_year(actuals)
    end_year = last if end_year is None else int(end_year)
    start_year = int(start_year)
    key = (id(actuals), start_year, end_year)
    cached = _REPLAYS.get(key)
    if cached is not None and cached.actuals is actuals:
        return cached
    first = int(actuals.annual.dropna(subset=["exports_usd_bn", "imports_usd_bn"]).index.min())
    if not first <= start_year < end_year <= last:
        raise ValueError(
            f"start year {start_year} and end year {end_year} must satisfy "
            f"{first} <= start < end <= {last}"
        )
    baseline = baseline_from_actuals(actuals, year=start_year, history_from=start_year)
    years = range(start_year + 1, end_year + 1)
    observed = observed_inputs(actuals, baseline, years, Scenario().eps_y)
    span = range(start_year, end_year + 1)
    history = range(start_year - NAIVE_LAG, start_year + 1)
    annual = actuals.annual
    actual, naive = {}, {}
    for name in SERIES:
        actual[name] = annual[name].reindex(list(span)).to_numpy(dtype=float)
        naive[name] = naive_path(annual[name], start_year, span)
    for region, slug in zip(baseline.regions, baseline.slugs, strict=True):
        column = region_column(slug)
        actual[column] = _region_actual(actuals, region, span, baseline.regions)
        past = pd.Series(
            _region_actual(actuals, region, history, baseline.regions), index=list(history)
        )
        naive[column] = naive_path(past, start_year, span)
    if "United States" in baseline.regions:
        us_column = region_column(SLUGS["United States"])
        actual[OUTSIDE_US] = actual["exports_usd_bn"] - actual[us_column]
        total = annual["exports_usd_bn"].reindex(list(history)).to_numpy(float)
        us_past = _region_actual(actuals, "United States", history)
        past = pd.Series(total - us_past, index=list(history))
        naive[OUTSIDE_US] = naive_path(past, start_year, span)
        others = _us_others_actual(actuals, span)
        if np.isfinite(others[0]) and np.isfinite(others[1:]).any():
            us = baseline.regions.index("United States")
            scale = (baseline.core.markets[us] - baseline.core.exports[us]) / others[0]
            actual[US_RIVALS] = others * scale
            past = pd.Series(_us_others_actual(actuals, history) * scale, index=list(history))
            naive[US_RIVALS] = naive_path(past, start_year, span)
    replay = Replay(actuals, baseline, years, observed, actual, naive)
    if len(_REPLAYS) >= 16:
        _REPLAYS.pop(next(iter(_REPLAYS)))
    _REPLAYS[key] = replay
    return replay


def _assemble(replay: Replay, out: engine.Output, scenario: Scenario) -> BacktestResult:
    baseline, years = replay.baseline, replay.years
    all_years = np.arange(baseline.year, years[-1] + 1)
    exports = np.concatenate([[baseline.exports.sum()], out.exports[0]])
    imports = np.concatenate([[baseline.imports], out.imports[0]])
    world = np.concatenate([[baseline.core.world_exports], out.world[0]])
    by_region = np.vstack([baseline.exports, out.exports_by_region[0]])
    simulated = {
        "exports_usd_bn": exports,
        "imports_usd_bn": imports,
        "balance_usd_bn": exports - imports,
        "world_share_pct": 100 * exports / world,
    }
    if "United States" in baseline.regions:
        us = baseline.regions.index("United States")
        simulated[OUTSIDE_US] = exports - by_region[:, us]
        if US_RIVALS in replay.actual:  # the actual series starts at the model's level
            start_level = replay.actual[US_RIVALS][0]
            simulated[US_RIVALS] = np.concatenate([[start_level], out.others[0][:, us]])
    for j, slug in enumerate(baseline.slugs):
        simulated[region_column(slug)] = by_region[:, j]
    table = {"year": all_years}
    naive = {"year": all_years}
    rows = []
    for name, sim in simulated.items():
        actual, guess = replay.actual[name], replay.naive[name]
        table[f"{name}_simulated"] = sim
        table[f"{name}_actual"] = actual
        naive[f"{name}_naive"] = guess
        for method, path in (("model", sim), ("naive", guess)):
            rows.append(
                {"series": name, "method": method} | _errors(path[1:], actual[1:], all_years[1:])
            )
    return BacktestResult(
        start_year=baseline.year,
        baseline=baseline,
        table=pd.DataFrame(table, copy=False),
        naive=pd.DataFrame(naive, copy=False),
        metrics=pd.DataFrame(rows),
        inputs=replay.observed.table,
        scenario=scenario,
    )
