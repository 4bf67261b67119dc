"""Run a scenario: :func:`simulate` and its :class:`Result`.

The equations are stated in :mod:`model.engine`; this module turns a
:class:`~model.scenario.Scenario` and a :class:`~model.baseline.Baseline` into
the engine's arrays and the engine's arrays into tidy tables.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model import engine
from model.baseline import Baseline, load_baseline
from model.params import BEHAVIOURAL, SPECS
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

#: Columns of :attr:`Result.decomposition` after ``year``: the identities
#: ``lost = diverted + destroyed`` and ``change = deflected + rerouted - lost``.
DECOMPOSITION = ("lost", "diverted", "destroyed", "deflected", "rerouted", "change")


def region_column(slug: str) -> str:
    """CSV column of a region's exports: ``exports_<slug>_usd_bn``."""
    return f"exports_{slug}_usd_bn"


def scenario_params(scenario: Scenario) -> dict[str, float]:
    """The behavioural parameters of a scenario, as the engine reads them."""
    return {name: getattr(scenario, name) for name in BEHAVIOURAL}


def scenario_paths(scenario: Scenario, baseline: Baseline) -> engine.Paths:
    """Turn a scenario into the engine's input arrays over the projection years.

    Percent inputs become fractions; a constant growth rate fills every year;
    tariff levels follow :meth:`Scenario.tariff_level`. World GDP growth and world
    trade volume growth act as shifts of every market against their defaults (the
    projections the regional figures are taken from): world GDP growth scales each
    region's real demand by :math:`(1+g^W)/(1+\\bar g^W)`, world trade growth adds
    :math:`\\ln(1+w) - \\ln(1+\\bar w)` to every market's imports.
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
    world = (1 + scenario.growth_world / 100.0) / (1 + SPECS["growth_world"].default / 100.0)
    growth = np.array([getattr(scenario, f"growth_{slug}") for slug in slugs])
    growth = (1 + growth / 100.0) * world - 1
    trade = np.log1p(scenario.world_trade / 100.0) - np.log1p(SPECS["world_trade"].default / 100.0)
    ones = np.ones(n_years)
    return engine.Paths(
        tariff=tariff / 100.0,
        china_tariff=china / 100.0,
        growth=np.broadcast_to(growth, (n_years, len(slugs))),
        demand_shift=ones * trade,
        world_price=np.zeros(n_years),
        growth_china=ones * scenario.growth_china / 100.0,
        rmb=ones * scenario.rmb / 100.0,
        commodity=ones * scenario.commodity / 100.0,
        price=ones * scenario.price / 100.0,
    )


def held_tariffs(scenario: Scenario, baseline: Baseline) -> Scenario:
    """The scenario with every tariff held at its level at the end of the base year."""
    levels = {
        f"tariff_{slug}": float(level)
        for slug, level in zip(baseline.slugs, baseline.tariff_end, strict=True)
    }
    return scenario.replace(tariff_path=(), tariff_china=float(baseline.china_tariff_end), **levels)


def _run(scenario: Scenario, baseline: Baseline) -> engine.Output:
    paths = scenario_paths(scenario, baseline)
    return engine.run(baseline.core, paths, scenario_params(scenario))


@dataclass(frozen=True, eq=False)
class Result:
    """The simulated path of one scenario.

    Attributes
    ----------
    scenario, baseline : the inputs.
    years : (T+1,) the base year, then the projection years.
    exports_by_region : (T+1, R) exports by region, US$ bn (base year first).
    imports : (T+1,) imports, US$ bn.
    world : (T+1,) world exports, US$ bn.
    others_by_region : (T+1, R) the other suppliers' sales in each market, US$ bn.
    rerouted : (T+1, R) China's re-routed sales by connector region, US$ bn.
    partner_imports : (T+1, P) imports from the partners of :attr:`partners`.
    """

    scenario: Scenario
    baseline: Baseline
    years: np.ndarray
    exports_by_region: np.ndarray
    imports: np.ndarray
    world: np.ndarray
    others_by_region: np.ndarray
    rerouted: np.ndarray
    partner_imports: np.ndarray

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
        return 100.0 * self.exports / self.world

    @property
    def others(self) -> np.ndarray:
        """(T+1,) the other exporters' exports (world less China), US$ bn."""
        return self.world - self.exports

    @property
    def partners(self) -> tuple[str, ...]:
        """Regions whose bilateral balance is kept (the US and the EU where sourced)."""
        return tuple(self.baseline.regions[j] for j in self.baseline.core.partners)

    @functools.cached_property
    def path(self) -> pd.DataFrame:
        """One row a year (the base year first, as in the data): totals and regions.

        Columns: year, exports_usd_bn, imports_usd_bn, balance_usd_bn,
        world_exports_usd_bn, world_share_pct, then ``exports_<slug>_usd_bn`` for
        each modelled region, then ``imports_<slug>_usd_bn`` and
        ``balance_<slug>_usd_bn`` for each partner of :attr:`partners`.
        """
        exports = self.exports
        columns = {
            "year": self.years,
            "exports_usd_bn": exports,
            "imports_usd_bn": self.imports,
            "balance_usd_bn": exports - self.imports,
            "world_exports_usd_bn": self.world,
            "world_share_pct": self.world_share,
        }
        for j, slug in enumerate(self.baseline.slugs):
            columns[region_column(slug)] = self.exports_by_region[:, j]
        for k, j in enumerate(self.baseline.core.partners):
            slug = self.baseline.slugs[j]
            columns[f"imports_{slug}_usd_bn"] = self.partner_imports[:, k]
            columns[f"balance_{slug}_usd_bn"] = (
                self.exports_by_region[:, j] - self.partner_imports[:, k]
            )
        return pd.DataFrame(columns, copy=False)

    @functools.cached_property
    def reference(self) -> Result:
        """The same scenario with every tariff held at its base-year-end level."""
        return simulate(held_tariffs(self.scenario, self.baseline), self.baseline)

    @functools.cached_property
    def decomposition(self) -> pd.DataFrame:
        """China's lost US sales against the held-tariff path, and where they went (US$ bn).

        One row a projection year: ``lost`` (China's sales in the US market below the
        reference), ``diverted`` (the other suppliers' gain there), ``destroyed`` (the
        fall of the US market's purchases), ``deflected`` (China's own sales gained in
        its other markets), ``rerouted`` (the gain of re-routed sales) and ``change``
        (of China's total exports). Exactly ``lost = diverted + destroyed`` and
        ``change = deflected + rerouted - lost``. Empty without a US region.
        """
        us = self.baseline.core.us
        if us < 0:
            return pd.DataFrame(columns=["year", *DECOMPOSITION])
        ref = self.reference
        own = self.exports_by_region - self.rerouted
        own_ref = ref.exports_by_region - ref.rerouted
        lost = own_ref[1:, us] - own[1:, us]
        diverted = self.others_by_region[1:, us] - ref.others_by_region[1:, us]
        others = np.arange(own.shape[1]) != us
        deflected = (own[1:, others] - own_ref[1:, others]).sum(axis=1)
        rerouted = self.rerouted[1:].sum(axis=1) - ref.rerouted[1:].sum(axis=1)
        return pd.DataFrame(
            {
                "year": self.years[1:],
                "lost": lost,
                "diverted": diverted,
                "destroyed": lost - diverted,
                "deflected": deflected,
                "rerouted": rerouted,
                "change": self.exports[1:] - ref.exports[1:],
            }
        )

    def us_market_gains(self, year: int) -> pd.DataFrame:
        """Who gains the US market China loses in ``year``, against the held-tariff path.

        With CES between origins every other supplier's sales move in proportion
        (their relative prices do not change), so the other suppliers' gain is split
        by their base shares of the non-China US imports where the data give them;
        the rest is "All other suppliers". Columns: supplier, gain_usd_bn, share_pct.
        """
        rows = self.decomposition.set_index("year")
        if year not in rows.index:
            raise ValueError(f"year {year} is not a projected year of this scenario")
        gain = float(rows.at[year, "diverted"])
        named = list(self.baseline.us_competitors)
        named.append(("All other suppliers", 1.0 - sum(s for _, s in named)))
        return pd.DataFrame(
            {
                "supplier": [n for n, _ in named],
                "gain_usd_bn": [gain * s for _, s in named],
                "share_pct": [100.0 * s for _, s in named],
            }
        )

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
        Simulated path (:attr:`Result.path`), the lost-sales decomposition
        (:attr:`Result.decomposition`). Equations: :mod:`model.engine`.
    """
    scenario = Scenario() if scenario is None else scenario
    baseline = load_baseline() if baseline is None else baseline
    out = _run(scenario, baseline)
    core = baseline.core
    years = np.arange(baseline.year, scenario.end_year + 1)
    rerouted_base = np.zeros(len(baseline.regions))
    return Result(
        scenario=scenario,
        baseline=baseline,
        years=years,
        exports_by_region=np.vstack([baseline.exports, out.exports_by_region[0]]),
        imports=np.concatenate([[baseline.imports], out.imports[0]]),
        world=np.concatenate([[core.world_exports], out.world[0]]),
        others_by_region=np.vstack([core.markets - core.exports, out.others[0]]),
        rerouted=np.vstack([rerouted_base, out.rerouted[0]]),
        partner_imports=np.vstack([np.asarray(core.partner_imports), out.partner_imports[0]]),
    )
