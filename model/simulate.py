"""Run a scenario: :func:`simulate` and its :class:`Result`.

The equations are stated in :mod:`model.engine`; this module turns a
:class:`~model.scenario.Scenario` and a :class:`~model.baseline.Baseline` into
the engine's arrays and the engine's arrays into tidy tables.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model import engine
from model.baseline import Baseline, load_baseline
from model.params import BEHAVIOURAL
from model.scenario import Scenario

#: Columns of :attr:`Result.path` before the per-region columns.
TOTAL_COLUMNS = (
    "year",
    "exports_usd_bn",
    "imports_usd_bn",
    "balance_usd_bn",
    "world_exports_usd_bn",
    "world_share_pct",
)


def region_column(slug: str) -> str:
    """CSV column of a region's exports: ``exports_<slug>_usd_bn``."""
    return f"exports_{slug}_usd_bn"


def scenario_params(scenario: Scenario) -> dict[str, float]:
    """The behavioural parameters of a scenario, as the engine reads them."""
    return {name: getattr(scenario, name) for name in BEHAVIOURAL}


def scenario_paths(scenario: Scenario, baseline: Baseline) -> engine.Paths:
    """Turn a scenario into the engine's input arrays over the projection years.

    Percent inputs become fractions; a constant growth rate fills every year;
    tariff levels follow :meth:`Scenario.tariff_level`.
    """
    years = range(baseline.year + 1, scenario.end_year + 1)
    if len(years) == 0:
        raise ValueError(
            f"end_year = {scenario.end_year} must come after the base year {baseline.year}"
        )
    n_years = len(years)
    slugs = baseline.slugs
    tariff = np.empty((n_years, len(slugs)))
    simple = scenario.tariff_from <= baseline.year + 1
    given = {key for key, _ in scenario.tariff_path}
    for j, slug in enumerate(slugs):
        if simple and slug not in given:
            tariff[:, j] = getattr(scenario, f"tariff_{slug}")
        else:
            base = float(baseline.tariff_end[j])
            tariff[:, j] = [scenario.tariff_level(slug, y, base) for y in years]
    if simple and "china" not in given:
        china = np.full(n_years, scenario.tariff_china)
    else:
        china = np.array(
            [scenario.tariff_level("china", y, baseline.china_tariff_end) for y in years]
        )
    segments = None
    dated = {int(when[:4]) for _, items in scenario.tariff_steps for when, _ in items}
    if dated & set(years):
        keys = (*slugs, "china")
        bases = (*baseline.tariff_end, baseline.china_tariff_end)
        segments = tuple(
            _dated_segments(scenario, keys, bases, year) if year in dated else None
            for year in years
        )
        for k, piece in enumerate(segments):
            if piece is not None:
                days, levels = piece
                mean = 100.0 * (days @ levels) / days.sum()  # time-weighted, for display
                tariff[k], china[k] = mean[:-1], mean[-1]
    growth = np.array([getattr(scenario, f"growth_{slug}") for slug in slugs])
    ones = np.ones(n_years)
    return engine.Paths(
        tariff=tariff / 100.0,
        china_tariff=china / 100.0,
        growth=np.broadcast_to(growth / 100.0, (n_years, len(slugs))),
        growth_china=ones * scenario.growth_china / 100.0,
        growth_world=ones * scenario.growth_world / 100.0,
        rmb=ones * scenario.rmb / 100.0,
        commodity=ones * scenario.commodity / 100.0,
        price=ones * scenario.price / 100.0,
        others_growth=ones * scenario.world_trade / 100.0,
        segments=segments,
    )


def _dated_segments(
    scenario: Scenario, keys: tuple[str, ...], bases: tuple[float, ...], year: int
) -> tuple[np.ndarray, np.ndarray]:
    """Days (S,) and levels (S, C) as fractions of the pieces of ``year`` over which no
    tariff changes (:meth:`Scenario.year_pieces` for each key)."""
    columns = [
        [(pd.Timestamp(day), level) for day, level in scenario.year_pieces(key, year, base)]
        for key, base in zip(keys, bases, strict=True)
    ]
    end = pd.Timestamp(year + 1, 1, 1)
    cuts = sorted({end, *(day for column in columns for day, _ in column)})
    days = np.array([(b - a).days for a, b in itertools.pairwise(cuts)], dtype=float)
    levels = np.array(
        [[[v for d, v in column if d <= left][-1] for column in columns] for left in cuts[:-1]]
    )
    return days, levels / 100.0


@dataclass(frozen=True, eq=False)
class Result:
    """The simulated path of one scenario.

    Attributes
    ----------
    scenario, baseline : the inputs.
    years : (T+1,) the base year, then the projection years.
    exports_by_region : (T+1, R) exports by region, US$ bn (base year first).
    imports, others : (T+1,) imports and the other exporters' exports, US$ bn.
    """

    scenario: Scenario
    baseline: Baseline
    years: np.ndarray
    exports_by_region: np.ndarray
    imports: np.ndarray
    others: np.ndarray

    @functools.cached_property
    def effects(self) -> np.ndarray:
        """(T, R, 4) change of exports by region and year split into demand, tariff,
        re-routing and price effects (:data:`model.engine.EFFECTS`); computed on first use."""
        paths = scenario_paths(self.scenario, self.baseline)
        out = engine.run(self.baseline.core, paths, scenario_params(self.scenario), effects=True)
        return out.effects[0]

    @property
    def exports(self) -> np.ndarray:
        """(T+1,) total exports, US$ bn."""
        return self.exports_by_region.sum(axis=1)

    @property
    def balance(self) -> np.ndarray:
        """(T+1,) exports less imports, US$ bn."""
        return self.exports - self.imports

    @property
    def world_share(self) -> np.ndarray:
        """(T+1,) China's share of world exports, %."""
        exports = self.exports
        return 100.0 * exports / (exports + self.others)

    @functools.cached_property
    def path(self) -> pd.DataFrame:
        """One row a year (the base year first, as in the data): totals and regions.

        Columns: year, exports_usd_bn, imports_usd_bn, balance_usd_bn,
        world_exports_usd_bn, world_share_pct, then ``exports_<slug>_usd_bn`` for
        each modelled region.
        """
        exports = self.exports
        columns = {
            "year": self.years,
            "exports_usd_bn": exports,
            "imports_usd_bn": self.imports,
            "balance_usd_bn": exports - self.imports,
            "world_exports_usd_bn": exports + self.others,
            "world_share_pct": self.world_share,
        }
        for j, slug in enumerate(self.baseline.slugs):
            columns[region_column(slug)] = self.exports_by_region[:, j]
        return pd.DataFrame(columns, copy=False)

    @functools.cached_property
    def decomposition(self) -> pd.DataFrame:
        """Change of exports each year by region, split into effects (US$ bn).

        Long table: year, region, demand, tariff, rerouting, price, change, where
        ``change = demand + tariff + rerouting + price`` is the change from the
        year before. A ``Total`` region sums the modelled regions.
        """
        n_years, n_regions = self.effects.shape[:2]
        regions = [*self.baseline.regions, "Total"]
        effects = np.concatenate([self.effects, self.effects.sum(axis=1, keepdims=True)], axis=1)
        frame = pd.DataFrame(effects.reshape(-1, len(engine.EFFECTS)), columns=list(engine.EFFECTS))
        frame.insert(0, "region", np.tile(regions, n_years))
        frame.insert(0, "year", np.repeat(self.years[1:], n_regions + 1))
        frame["change"] = frame[list(engine.EFFECTS)].sum(axis=1)
        return frame

    def value(self, column: str, year: int) -> float:
        """One number of :attr:`path` (e.g. ``value("balance_usd_bn", 2030)``)."""
        rows = self.path.loc[self.path["year"] == year, column]
        if rows.empty:
            raise ValueError(f"year {year} is not in the simulated path")
        return float(rows.iloc[0])


def simulate(scenario: Scenario | None = None, baseline: Baseline | None = None) -> Result:
    """Simulate one scenario from the base year to ``scenario.end_year``.

    Parameters
    ----------
    scenario : the inputs (default: :class:`Scenario` with its defaults).
    baseline : base-year state (default: :func:`model.baseline.load_baseline`, the
        shipped data, read once and cached).

    Returns
    -------
    Result
        Simulated path (:attr:`Result.path`) and the decomposition of the change
        of exports (:attr:`Result.decomposition`). Equations: :mod:`model.engine`.
    """
    scenario = Scenario() if scenario is None else scenario
    baseline = load_baseline() if baseline is None else baseline
    paths = scenario_paths(scenario, baseline)
    out = engine.run(baseline.core, paths, scenario_params(scenario), effects=False)
    years = np.arange(baseline.year, scenario.end_year + 1)
    return Result(
        scenario=scenario,
        baseline=baseline,
        years=years,
        exports_by_region=np.vstack([baseline.exports, out.exports_by_region[0]]),
        imports=np.concatenate([[baseline.imports], out.imports[0]]),
        others=np.concatenate([[baseline.core.others], out.others[0]]),
    )
