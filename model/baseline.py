"""The base year the model starts from, taken from the actual data.

A :class:`Baseline` holds the base-year levels (exports by region, imports,
world exports, imports from the US) and the tariff history up to the base year.
:func:`load_baseline` builds it once from ``data/`` through
:func:`model.data.load_actuals` and caches it; tests and the back-test build
their own with :func:`baseline_from_actuals` or by hand.

Which regions are modelled
--------------------------
The named regions that have an export figure in the base year, then Rest of
world (the year's total less those regions). A region without a base-year
figure is part of Rest of world.

Tariff history
--------------
The annual time-weighted average of each dated tariff series
(:func:`model.tariffs.annual_average`) from the first year the US series covers
(2017) to the base year. The partial-adjustment state of the tariff wedge is
carried through these years, so the part of a recent tariff change that has
not yet worked through at the base year still does so in the projection.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

import model.data as data_module
from model.data import REGIONS, REST_OF_WORLD, Actuals, load_actuals
from model.engine import Core, effective_log_tariff, lambda_of
from model.params import CONNECTORS
from model.tariffs import annual_average, level_at, year_segments

#: The dated tariff series used for each direction (PIIE trade-weighted averages).
TARIFF_SERIES = "PIIE trade-weighted average"


@dataclass(frozen=True, eq=False)
class Baseline:
    """Base-year state.

    Attributes
    ----------
    year : base year.
    regions : modelled regions, Rest of world last.
    exports : base-year exports by region (US$ bn), same order as ``regions``.
    imports : base-year imports (US$ bn).
    world_exports : base-year world merchandise exports (US$ bn).
    imports_from_us : base-year imports from the United States (US$ bn; 0 if unknown).
    history_years : years of the tariff history, the reference year first, the base
        year last.
    tariff_history : (H, R) annual average tariff on Chinese goods by region (%).
    china_tariff_history : (H,) China's annual average tariff on US goods (%).
    tariff_end : (R,) tariff level in force at the end of the base year (%).
    china_tariff_end : China's tariff on US goods in force at the end of the base year (%).
    segments : for each history year, ``(days (S,), levels (S, R+1))``: the pieces of
        the year over which every tariff series is constant and their levels (%),
        China's tariff on US goods last; empty to use the annual levels as they are.
    china_shares : ``(region, share)`` pairs: China's share of the region's imports
        from the world where the data give it (a fraction); every other named region
        gets China's share of world imports outside China, and Rest of world the
        remainder of world imports (see :attr:`markets`).
    imports_from_eu : base-year imports from the European Union (US$ bn; 0 if unknown).
    us_competitors : ``(origin, share)`` pairs: each named supplier's share of the US
        imports that do not come from China, where the data give them;
        ``us_competitors_year`` the year of those figures (None without them).
    notes : how derived figures were made.
    """

    year: int
    regions: tuple[str, ...]
    exports: np.ndarray
    imports: float
    world_exports: float
    imports_from_us: float = 0.0
    history_years: tuple[int, ...] = ()
    tariff_history: np.ndarray | None = None
    china_tariff_history: np.ndarray | None = None
    tariff_end: np.ndarray | None = None
    china_tariff_end: float = 0.0
    segments: tuple = ()
    china_shares: tuple[tuple[str, float], ...] = ()
    imports_from_eu: float = 0.0
    us_competitors: tuple[tuple[str, float], ...] = ()
    us_competitors_year: int | None = None
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        exports = np.asarray(self.exports, dtype=float)
        n = len(self.regions)
        if exports.shape != (n,):
            raise ValueError(f"exports must have one value per region ({n}), not {exports.shape}")
        if not self.regions or self.regions[-1] != REST_OF_WORLD:
            raise ValueError(f"the last region must be {REST_OF_WORLD!r}")
        unknown = [r for r in self.regions[:-1] if r not in REGIONS]
        if unknown:
            raise ValueError(f"unknown region(s): {', '.join(unknown)}")
        if not np.all(np.isfinite(exports)) or np.any(exports <= 0):
            raise ValueError("base-year exports must be positive finite numbers in every region")
        for name in ("imports", "world_exports"):
            value = getattr(self, name)
            if not np.isfinite(value) or value <= 0:
                raise ValueError(f"{name} = {value} must be a positive finite number")
        if self.world_exports <= exports.sum() + self.imports:
            raise ValueError(
                "world exports must exceed China's exports plus its imports (what the "
                "rest of the world sells to China)"
            )
        if not 0 <= self.imports_from_us < self.imports:
            raise ValueError("imports from the US must be between 0 and total imports")
        years = tuple(self.history_years) or (self.year,)
        if years[-1] != self.year:
            raise ValueError("the tariff history must end in the base year")
        history = (
            np.zeros((len(years), n))
            if self.tariff_history is None
            else np.asarray(self.tariff_history, dtype=float).reshape(len(years), n)
        )
        china = (
            np.zeros(len(years))
            if self.china_tariff_history is None
            else np.asarray(self.china_tariff_history, dtype=float).reshape(len(years))
        )
        end = history[-1].copy() if self.tariff_end is None else np.asarray(self.tariff_end, float)
        for name, values in (("tariff history", history), ("China's tariff history", china)):
            if not np.all(np.isfinite(values)) or np.any(values < 0):
                raise ValueError(f"the {name} must hold non-negative finite levels")
        object.__setattr__(self, "exports", exports)
        object.__setattr__(self, "history_years", years)
        object.__setattr__(self, "tariff_history", history)
        object.__setattr__(self, "china_tariff_history", china)
        object.__setattr__(self, "tariff_end", end.reshape(n))
        object.__setattr__(self, "notes", tuple(self.notes))
        segments = tuple(
            (np.asarray(days, float), np.asarray(levels, float).reshape(len(days), n + 1))
            for days, levels in self.segments
        )
        if segments and len(segments) != len(years):
            raise ValueError("segments must give one entry per history year")
        object.__setattr__(self, "segments", segments)
        object.__setattr__(self, "china_shares", tuple(self.china_shares))
        object.__setattr__(self, "us_competitors", tuple(self.us_competitors))
        _ = self.markets  # checks that the markets add up

    @functools.cached_property
    def slugs(self) -> tuple[str, ...]:
        """Region slugs (``united_states``, ...) in model order."""
        return tuple(r.lower().replace(" ", "_") for r in self.regions)

    @functools.cached_property
    def markets(self) -> np.ndarray:
        r"""(R,) each region's base-year imports from the world, US$ bn.

        :math:`M_r = X_r / s_r` with :math:`s_r` China's share where the data give it,
        else China's share of world imports outside China,
        :math:`\bar s = X / (W - M_{CN})`; Rest of world holds the remainder
        :math:`W - M_{CN} - \sum_{r \ne RoW} M_r`, so the markets and China's own
        imports add up to world exports.
        """
        outside = self.world_exports - self.imports
        average = float(self.exports.sum()) / outside
        known = dict(self.china_shares)
        shares = np.array([known.get(r, average) for r in self.regions[:-1]])
        if np.any(shares <= 0) or np.any(shares >= 1):
            raise ValueError("China's share of a market must lie between 0 and 1")
        named = self.exports[:-1] / shares
        rest = outside - named.sum()
        if rest <= self.exports[-1]:
            raise ValueError(
                "the named markets' imports leave Rest of world no more than China's sales "
                "there: check the market shares against world exports"
            )
        return np.append(named, rest)

    @property
    def world_share_pct(self) -> float:
        """China's base-year share of world exports, %."""
        return 100.0 * float(self.exports.sum()) / self.world_exports

    def effective_tariffs(self, scenario) -> np.ndarray:
        """The base year's annual tariff levels (%) as the model counts them.

        For a series that changed within the base year this is the time-weighted
        mean of the tariff factor with the scenario's year-one response
        (:func:`model.engine.effective_log_tariff`), else the level itself.
        Returns (R+1,): the regions' tariffs on Chinese goods, then China's on US goods.
        """
        annual = np.append(self.tariff_history[-1], self.china_tariff_history[-1])
        if not self.segments:
            return annual
        days, levels = self.segments[-1]
        if len(days) < 2:
            return annual
        response = np.array([[lambda_of(scenario.sigma, scenario.sigma_1) * scenario.sigma]])
        varying = np.ptp(levels, axis=0) > 0
        weights = np.asarray(days, float) / np.sum(days)
        logs = effective_log_tariff(weights, np.log1p(levels / 100.0), response)[0]
        return np.where(varying, 100.0 * np.expm1(logs), annual)

    @functools.cached_property
    def core(self) -> Core:
        """The engine's view of this baseline (fractions, weights)."""
        regions = self.regions
        us = regions.index("United States") if "United States" in regions else -1
        weights = np.zeros(len(regions))
        if us >= 0:
            connectors = [i for i, r in enumerate(regions) if r in CONNECTORS]
            if not connectors:  # connectors not modelled separately: part of Rest of world
                connectors = [len(regions) - 1]
            weights[connectors] = self.exports[connectors] / self.exports[connectors].sum()
        partners = [
            (regions.index(name), value)
            for name, value in (
                ("United States", self.imports_from_us),
                ("European Union", self.imports_from_eu),
            )
            if name in regions and value > 0
        ]
        return Core(
            exports=self.exports,
            markets=self.markets,
            imports=float(self.imports),
            partner_imports=tuple(float(v) for _, v in partners),
            partners=tuple(j for j, _ in partners),
            us_import_share=float(self.imports_from_us / self.imports),
            connector_weights=weights,
            us=us,
            tariff_history=self.tariff_history / 100.0,
            china_tariff_history=self.china_tariff_history / 100.0,
            history_segments=tuple((days, levels / 100.0) for days, levels in self.segments)
            or None,
        )


def latest_full_year(actuals: Actuals) -> int:
    """The latest year with both exports and imports in the annual data."""
    annual = actuals.annual
    complete = annual[annual["exports_usd_bn"].notna() & annual["imports_usd_bn"].notna()]
    if complete.empty:
        raise ValueError("the annual data hold no year with both exports and imports")
    return int(complete.index.max())


WORLD_TRADE_SERIES = ("world_trade_volume_growth_pct", "world_trade_volume_growth_imf_pct")

#: How a reader's note names each world trade series: by its publisher.
WORLD_TRADE_PUBLISHERS = {
    "world_trade_volume_growth_pct": "WTO",
    "world_trade_volume_growth_imf_pct": "IMF",
}


def world_trade_growth(actuals: Actuals, year: int) -> tuple[float, str] | None:
    """World trade volume growth (%) in ``year`` and where it comes from.

    The outturn (WTO, else IMF), else the latest projection (WTO, else IMF), else None.
    The second item is the series' name in the drivers table, as the back-test's table of
    sources and the base year's notes give it (with ", projection" for a projection).
    """
    for kind in ("actual", "projection"):
        for series in WORLD_TRADE_SERIES:
            values = actuals.driver(series, kind=kind)
            if year in values.index:
                label = series if kind == "actual" else f"{series}, {kind}"
                return float(values[year]), label
    return None


def base_world_exports(actuals: Actuals, year: int) -> tuple[float, str | None]:
    """World exports in ``year``, with a note if they had to be estimated.

    Where the WTO figure for the year is missing, the other exporters' exports
    (world less China) of the latest earlier WTO year are carried forward with
    the observed world trade volume growth of each year in between (no price
    change): an estimate, and the note says so.
    """
    annual = actuals.annual
    world = annual.at[year, "world_exports_usd_bn"] if year in annual.index else np.nan
    china = annual.at[year, "exports_usd_bn"]
    if np.isfinite(world):
        return float(world), None
    known = annual[annual["world_exports_usd_bn"].notna() & annual["exports_usd_bn"].notna()]
    known = known[known.index < year]
    if known.empty:
        raise ValueError(f"no world exports figure before {year} to estimate {year} from")
    last = int(known.index.max())
    others = float(known.at[last, "world_exports_usd_bn"] - known.at[last, "exports_usd_bn"])
    used = []
    for y in range(last + 1, year + 1):
        growth = world_trade_growth(actuals, y) or (0.0, "no figure in the data: no change")
        others *= 1 + growth[0] / 100
        label = growth[1]
        for series, publisher in WORLD_TRADE_PUBLISHERS.items():
            label = label.replace(series, publisher)
        used.append(f"{y} {growth[0]:g}% ({label})")
    note = (
        f"World exports {year} estimated: China's exports plus the other exporters' "
        f"{last} exports (WTO) grown with world trade volume growth, "
        f"{', '.join(used)}, at constant prices"
    )
    return float(china + others), note


def _tariff_history(
    actuals: Actuals, imposed_by: str, imposed_on: str, years: list[int]
) -> tuple[np.ndarray, float]:
    steps = actuals.tariff_steps(imposed_by=imposed_by, imposed_on=imposed_on, series=TARIFF_SERIES)
    if steps.empty:
        return np.zeros(len(years)), 0.0
    # PIIE's first level in each series is the pre-war level "before" the first increase.
    levels = annual_average(steps, years, hold_first=True).to_numpy(dtype=float, copy=True)
    end = level_at(steps, pd.Timestamp(years[-1], 12, 31))
    return levels, (end if np.isfinite(end) else float(levels[-1]))


def first_tariff_year(actuals: Actuals) -> int | None:
    """First year the US average tariff series covers (the reference year), or None."""
    steps = actuals.tariff_steps(series=TARIFF_SERIES)
    return None if steps.empty else int(pd.Timestamp(steps.index.min()).year)


def baseline_from_actuals(
    actuals: Actuals, year: int | None = None, history_from: int | None = None
) -> Baseline:
    """Build the baseline of ``year`` (default: the latest full year) from the data.

    Parameters
    ----------
    actuals : the loaded data.
    year : base year.
    history_from : first year of the tariff history (default: the first year of the
        US tariff series, capped at ``year``). With ``history_from == year`` nothing
        before the base year is carried (the back-test starts so).
    """
    year = latest_full_year(actuals) if year is None else int(year)
    annual = actuals.annual
    if year not in annual.index or not np.isfinite(annual.at[year, "exports_usd_bn"]):
        raise ValueError(f"no exports figure for {year} in the annual data")
    by_region = actuals.exports_by_region(year)
    regions = (*[r for r in REGIONS if r in by_region.index], REST_OF_WORLD)
    exports = by_region.reindex(list(regions)).to_numpy(dtype=float)
    world, note = base_world_exports(actuals, year)
    notes = [note] if note else []
    missing = [r for r in REGIONS if r not in regions]
    if missing:
        notes.append(
            f"No {year} export figure for {', '.join(missing)}: part of Rest of world, "
            "with no sliders of their own"
        )

    rows = actuals.by_region
    us_rows = rows[(rows["year"] == year) & (rows["region"] == "United States")]
    imports_from_us = float(us_rows["imports_usd_bn"].iloc[0]) if len(us_rows) else np.nan
    if not np.isfinite(imports_from_us):
        imports_from_us = 0.0
        notes.append(f"No {year} figure for imports from the US: retaliation has no effect")
    eu_rows = rows[(rows["year"] == year) & (rows["region"] == "European Union")]
    imports_from_eu = float(eu_rows["imports_usd_bn"].iloc[0]) if len(eu_rows) else np.nan
    if not np.isfinite(imports_from_eu):
        imports_from_eu = 0.0
        if "European Union" in regions:
            notes.append(f"No {year} figure for imports from the EU: no balance with the EU")
    shares, share_notes = china_market_shares(actuals, regions[:-1], year)
    notes += share_notes
    competitors_year, competitors = us_competitor_shares(actuals, year)

    start = first_tariff_year(actuals) if history_from is None else int(history_from)
    start = year if start is None else min(start, year)
    years = list(range(start, year + 1))
    history = np.zeros((len(years), len(regions)))
    end = np.zeros(len(regions))
    for i, region in enumerate(regions):
        if region == REST_OF_WORLD:
            continue
        history[:, i], end[i] = _tariff_history(actuals, region, "China", years)
    china_history, china_end = _tariff_history(actuals, "China", "United States", years)
    steps = tariff_series(actuals, regions)  # once, not once a year
    segments = tuple(year_segments(steps, y, hold_first=True) for y in years)
    return Baseline(
        year=year,
        regions=regions,
        exports=exports,
        imports=float(annual.at[year, "imports_usd_bn"]),
        world_exports=world,
        imports_from_us=imports_from_us,
        history_years=tuple(years),
        tariff_history=history,
        china_tariff_history=china_history,
        tariff_end=end,
        china_tariff_end=china_end,
        segments=segments,
        china_shares=shares,
        imports_from_eu=imports_from_eu,
        us_competitors=competitors,
        us_competitors_year=competitors_year,
        notes=tuple(notes),
    )


def _latest_market_year(actuals: Actuals, market: str, year: int, origins: tuple[str, ...]):
    """The latest year up to ``year`` whose market figures hold World and ``origins`` in
    one unit: (year, {origin: value}), or None."""
    markets = actuals.markets
    rows = markets[(markets["market"] == market) & (markets["year"] <= year)]
    for y in sorted(set(rows["year"]), reverse=True):
        figures = actuals.market_imports(market, int(y))
        needed = ("World", *origins)
        if all(o in figures for o in needed) and len({figures[o][1] for o in needed}) == 1:
            return int(y), {o: v for o, (v, _) in figures.items()}
    return None


#: Unit of a market row that states China's share of the market's imports directly.
SHARE_UNIT = "% of imports"


def _china_share(actuals: Actuals, market: str, year: int) -> tuple[int, float] | None:
    """China's share of ``market``'s imports, the latest year up to ``year`` that states
    it (a China row in :data:`SHARE_UNIT`) or gives China's and the world's figures in
    one unit: (year, share), or None."""
    markets = actuals.markets
    rows = markets[(markets["market"] == market) & (markets["year"] <= year)]
    for y in sorted(set(rows["year"]), reverse=True):
        figures = actuals.market_imports(market, int(y))
        china, world = figures.get("China"), figures.get("World")
        if china is not None and china[1] == SHARE_UNIT:
            return int(y), china[0] / 100.0
        if china is not None and world is not None and china[1] == world[1]:
            return int(y), china[0] / world[0]
    return None


def china_market_shares(
    actuals: Actuals, regions: tuple[str, ...], year: int
) -> tuple[tuple[tuple[str, float], ...], list[str]]:
    """China's share of each region's imports (the region's own statistics: a stated
    share, or China's and the world's figures from one source), the latest year up to
    ``year``; notes name the year used and the regions without a figure."""
    shares, notes, missing = [], [], []
    for region in regions:
        found = _china_share(actuals, region, year)
        if found is None:
            missing.append(region)
            continue
        used, share = found
        shares.append((region, share))
        if used != year:
            notes.append(
                f"China's share of {region} imports: {used} figure "
                f"({100 * share:.1f}%), the latest year with one"
            )
    if missing:
        notes.append(
            f"No figure for China's share of the imports of {', '.join(missing)}: China's "
            "share of each taken as its share of world imports outside China"
        )
    return tuple(shares), notes


#: Named suppliers of the US market whose share of its non-China imports is reported.
US_COMPETITORS = ("Mexico", "European Union", "Canada", "Vietnam", "Taiwan", "Japan", "South Korea")


def us_competitor_shares(
    actuals: Actuals, year: int
) -> tuple[int | None, tuple[tuple[str, float], ...]]:
    """(year used, pairs): each named supplier's share of the US imports not from China,
    the latest year up to ``year`` with the US total, China's figure and a named
    supplier's, for the suppliers given that year; (None, ()) without one."""
    while (found := _latest_market_year(actuals, "United States", year, ("China",))) is not None:
        used, figures = found
        rest = figures["World"] - figures["China"]
        named = tuple((o, figures[o] / rest) for o in US_COMPETITORS if o in figures)
        if named:
            return used, named
        year = used - 1
    return None, ()


def tariff_series(actuals: Actuals, regions: tuple[str, ...]) -> list[pd.Series]:
    """The dated tariff series of each region on Chinese goods, then China's on US goods."""
    out = []
    for region in (*regions, "China"):
        if region == REST_OF_WORLD:
            out.append(pd.Series(dtype=float))
            continue
        by, on = (region, "China") if region != "China" else ("China", "United States")
        out.append(actuals.tariff_steps(imposed_by=by, imposed_on=on, series=TARIFF_SERIES))
    return out


def tariff_segments(
    actuals: Actuals, regions: tuple[str, ...], year: int
) -> tuple[np.ndarray, np.ndarray]:
    """Pieces of ``year`` with constant tariffs: days (S,) and levels (S, R+1) in %."""
    return year_segments(tariff_series(actuals, regions), year, hold_first=True)


@functools.lru_cache(maxsize=4)
def _cached_actuals(folder: str) -> Actuals:
    return load_actuals(folder)


@functools.lru_cache(maxsize=8)
def _cached_baseline(folder: str, year: int | None) -> Baseline:
    return baseline_from_actuals(_cached_actuals(folder), year)


def load_actuals_cached() -> Actuals:
    """The data in ``model.data.DATA_DIR`` (the shipped ``data/``), read once and cached."""
    return _cached_actuals(str(data_module.DATA_DIR))


def load_baseline(year: int | None = None) -> Baseline:
    """The baseline from ``data/`` (read once per data folder, then cached).

    Raises
    ------
    model.data.DataError
        If the data fail their checks.
    ValueError
        If the data cannot make a baseline (e.g. no year with exports and imports).
    """
    return _cached_baseline(str(data_module.DATA_DIR), year)
