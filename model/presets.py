"""Scenarios built from real events, each with its description and source.

:data:`PRESETS` maps a short name to a :class:`Preset`; :data:`LABELS` gives each
name's title without building anything. Each preset is built from the data on first
use, one at a time: one of them solves the model with scipy, whose import alone takes
about half a second, so a page that only lists the presets does not wait for it.
Build them for another baseline with :func:`build_preset` or :func:`build_presets`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

import model.data as data_module
from model.baseline import TARIFF_SERIES, Baseline, load_actuals_cached, load_baseline
from model.params import SLUGS
from model.scenario import Scenario
from model.tariffs import level_at

#: China's share of world exports projected for 2030 by Morgan Stanley (Dec 2025).
SHARE_2030_TARGET = 16.5
SHARE_SOURCE = (
    "Morgan Stanley projects China's share of global exports to rise from 15% to 16.5% by "
    "2030 (reported with China's January-November 2025 trade data, quickfeed.io, Dec 2025)"
)


@dataclass(frozen=True)
class Preset:
    """A named scenario.

    Attributes
    ----------
    name : short key (CLI ``--preset NAME``).
    label : title shown in the app.
    description : what the preset assumes, in a sentence or two.
    source : where its numbers come from.
    scenario : the inputs.
    """

    name: str
    label: str
    description: str
    source: str
    scenario: Scenario


def _us_steps(imposed_by: str = "United States", imposed_on: str = "China") -> pd.Series:
    return load_actuals_cached().tariff_steps(
        imposed_by=imposed_by, imposed_on=imposed_on, series=TARIFF_SERIES
    )


def _level(by: str, on: str, when: str, default: float) -> float:
    """The level in force on ``when``; ``default`` if the data have no such level."""
    steps = _us_steps(by, on)
    level = level_at(steps, pd.Timestamp(when)) if not steps.empty else float("nan")
    return level if np.isfinite(level) else default


def _peak(by: str, on: str, series: str, default: float) -> tuple[float, str]:
    """The highest level of a series and its source; ``default`` if it is not in the data."""
    tariffs = load_actuals_cached().tariffs
    chosen = (tariffs["imposed_by"] == by) & (tariffs["imposed_on"] == on)
    rows = tariffs[chosen & (tariffs["series"] == series)]
    if rows.empty:
        return default, "not in the data: the default level"
    row = rows.loc[rows["value_pct"].idxmax()]
    return float(row["value_pct"]), f"{row['source']} ({row['date']})"


def share_in(scenario: Scenario, baseline: Baseline, year: int) -> float:
    """China's simulated share of world exports in ``year`` (%)."""
    from model.simulate import simulate

    return simulate(scenario, baseline).value("world_share_pct", year)


def solve_export_price(
    target: float = SHARE_2030_TARGET,
    year: int = 2030,
    base: Scenario | None = None,
    baseline: Baseline | None = None,
) -> float:
    """The change of China's export prices relative to its competitors' (% a year) that
    puts China's world export share at ``target`` % in ``year`` (scipy's ``brentq``).

    Equal demand growth in every market leaves China's shares where they are, so the
    share moves with China's relative price (or capacity), not with world demand.

    Raises
    ------
    ValueError
        If no price change within the allowed -10..10% a year reaches the target.
    """
    from scipy.optimize import brentq

    baseline = load_baseline() if baseline is None else baseline
    base = Scenario() if base is None else base

    def gap(price: float) -> float:
        return share_in(base.replace(price=price), baseline, year) - target

    low, high = -10.0, 10.0
    if gap(low) * gap(high) > 0:
        raise ValueError(f"no export price change in {low}..{high}% reaches {target}% in {year}")
    return float(brentq(gap, low, high, xtol=1e-6))


def _truce_levels(baseline: Baseline) -> tuple[float, float]:
    """US and Chinese average tariffs on each other at the end of the base year."""
    default = Scenario()
    when = f"{baseline.year}-12-31"
    return (
        _level("United States", "China", when, default.tariff_united_states),
        _level("China", "United States", when, default.tariff_china),
    )


def _truce(baseline: Baseline) -> tuple[str, str, Scenario]:
    truce_us, truce_cn = _truce_levels(baseline)
    return (
        f"The US keeps its average tariff on Chinese goods at the level after the Busan "
        f"truce ({truce_us:g}%) and China keeps {truce_cn:g}% on US goods; demand grows "
        "as the IMF projects.",
        "PIIE estimate cited by AP and Reuters (Dec 2025); PIIE (mid-2025) for China; "
        "IMF WEO Update (Jan 2026) for growth",
        Scenario().replace(tariff_united_states=truce_us, tariff_china=truce_cn),
    )


def _collapse(baseline: Baseline) -> tuple[str, str, Scenario]:
    default = Scenario()
    peak_us = _level("United States", "China", "2025-04-10", default.tariff_united_states)
    crs_cn, crs_cn_source = _peak(
        "China", "United States", "CRS average tariff rate", default.tariff_china
    )
    return (
        f"From 2026 the US average tariff returns to its April 2025 peak ({peak_us:g}%) "
        f"and China's retaliation to its mid-April 2025 level ({crs_cn:g}%).",
        "PIIE (Bown), April 2025: 124.1% average US tariff on Chinese goods; "
        f"China: {crs_cn_source}",
        default.replace(tariff_united_states=peak_us, tariff_china=crs_cn),
    )


def _us_2018(baseline: Baseline) -> tuple[str, str, Scenario]:
    default = Scenario()
    us_2018 = _level("United States", "China", "2018-12-31", default.tariff_united_states)
    cn_2018 = _level("China", "United States", "2018-12-31", default.tariff_china)
    return (
        f"From 2026 the US average tariff goes back to the level reached after the 2018 "
        f"round (lists 1-3, {us_2018:g}%) and China's to its end-2018 level ({cn_2018:g}%).",
        "PIIE (Bown, final 2020 text): US 3.8% to 12.0% over July-September 2018; China "
        "18.3% after its September 2018 retaliation",
        default.replace(tariff_united_states=us_2018, tariff_china=cn_2018),
    )


def _eu_matches(baseline: Baseline) -> tuple[str, str, Scenario]:
    truce_us, _ = _truce_levels(baseline)
    return (
        f"From 2026 the EU applies to Chinese goods the US's average tariff after the "
        f"truce ({truce_us:g}%); the data hold no EU average on Chinese goods, so this is "
        "the tariff added to today's.",
        "US level: PIIE estimate cited by AP and Reuters (Dec 2025)",
        Scenario().replace(tariff_european_union=truce_us),
    )


def _slowdown(baseline: Baseline) -> tuple[str, str, Scenario]:
    # World trade as the WTO forecast for 2026, and partner demand lowered so that
    # partner import demand slows by the same gap to the IMF's trade forecast.
    default = Scenario()
    wto, imf = 0.5, default.world_trade
    cut = (imf - wto) / default.eps_y
    slow = {f"growth_{slug}": getattr(default, f"growth_{slug}") - cut for slug in SLUGS.values()}
    return (
        f"World trade grows {wto:g}% a year (the WTO's October 2025 forecast for 2026) "
        f"instead of {imf:g}% (IMF), and real growth is {cut:.2f} pp a year lower in "
        f"every region, China and the world (the {imf - wto:.1f} pp gap divided by the "
        f"income elasticity {default.eps_y:g}).",
        "WTO Global Trade Outlook, Oct 2025 (0.5% for 2026); IMF WEO Update, Jan 2026 "
        "(2.6% for 2026)",
        default.replace(
            world_trade=wto,
            growth_world=default.growth_world - cut,
            growth_china=default.growth_china - cut,
            **slow,
        ),
    )


def _share_16_5(baseline: Baseline) -> tuple[str, str, Scenario]:
    default = Scenario()
    price = solve_export_price(SHARE_2030_TARGET, 2030, default, baseline)
    return (
        f"China's export prices fall {-price:.2f}% a year against its competitors' (solved "
        f"with scipy so that China's share of world exports reaches {SHARE_2030_TARGET:g}% "
        "in 2030; other inputs at their defaults).",
        SHARE_SOURCE,
        default.replace(price=round(price, 4)),
    )


#: Each preset's short name, title and builder, in the order the app lists them.
_PRESETS = {
    "truce": ("Nov 2025 truce holds", _truce),
    "collapse": ("Truce collapses to the April 2025 peak", _collapse),
    "us_2018": ("US tariffs back to the 2018 level", _us_2018),
    "eu_matches": ("EU matches US tariffs", _eu_matches),
    "slowdown": ("Global slowdown", _slowdown),
    "share_16_5": ("China's world share reaches 16.5% by 2030", _share_16_5),
}
#: Each preset's short name and title, without building anything.
LABELS = {name: label for name, (label, _) in _PRESETS.items()}


def build_preset(name: str, baseline: Baseline | None = None) -> Preset:
    """One preset, with levels read from the data (and, for ``share_16_5``, solved for).

    Raises
    ------
    KeyError
        If ``name`` is not one of :data:`LABELS`.
    """
    baseline = load_baseline() if baseline is None else baseline
    label, build = _PRESETS[name]
    description, source, scenario = build(baseline)
    return Preset(name, label, description, source, scenario)


def build_presets(baseline: Baseline | None = None) -> dict[str, Preset]:
    """Every preset, by name, in the order of :data:`LABELS`."""
    baseline = load_baseline() if baseline is None else baseline
    return {name: build_preset(name, baseline) for name in LABELS}


class _LazyPresets(Mapping):
    """The presets of the data in ``model.data.DATA_DIR``, each built on first access."""

    def __init__(self) -> None:
        self._built: dict[tuple[str, str], Preset] = {}

    def __getitem__(self, name: str) -> Preset:
        key = (str(data_module.DATA_DIR), name)
        if key not in self._built:
            self._built[key] = build_preset(name)
        return self._built[key]

    def __contains__(self, name: object) -> bool:
        return name in LABELS  # without building it

    def __iter__(self) -> Iterator[str]:
        return iter(LABELS)

    def __len__(self) -> int:
        return len(LABELS)


#: Name -> :class:`Preset` for the shipped data (each built on first use).
PRESETS: Mapping[str, Preset] = _LazyPresets()
