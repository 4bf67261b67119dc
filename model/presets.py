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
from model.scenario import Scenario
from model.tariffs import level_at

WTO_SERIES = "world_trade_volume_growth_pct"
#: End of the Busan / Kuala Lumpur truce since its extension of 2026-09-24.
TRUCE_END = "2027-01-10"

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


def _today(baseline: Baseline) -> tuple[float, float]:
    """US and Chinese average tariffs on each other in force after the last dated step."""
    default = Scenario()
    when = "2100-01-01"
    return (
        _level("United States", "China", when, default.tariff_united_states),
        _level("China", "United States", when, default.tariff_china),
    )


def _truce(baseline: Baseline) -> tuple[str, str, Scenario]:
    us, cn = _today(baseline)
    return (
        f"The Busan / Kuala Lumpur truce, already extended from 2026-11-10 to 2027-01-10, is "
        f"extended again: the 2026 tariffs as they happened, then the US average on Chinese "
        f"goods stays at {us:g}% (no IEEPA layers; the 12.5% Section 301 tariff in place of "
        f"the Section 122 surcharge) and China's on US goods at {cn:g}%.",
        "Extension to 2027-01-10: FT, NBC News, CNBC 2026-09-24; levels: data/tariffs.csv "
        "(PIIE basis)",
        Scenario().replace(tariff_united_states=us, tariff_china=cn),
    )


def _truce_lapses(baseline: Baseline) -> tuple[str, str, Scenario]:
    us, cn = _today(baseline)
    lapsed = round(cn + 24.0, 4)
    steps = Scenario().to_dict()["tariff_steps"] | {"china": {TRUCE_END: lapsed}}
    return (
        f"The truce lapses on {TRUCE_END} (its deadline since the 2026-09-24 extension; it "
        f"was 2026-11-10): China ends its suspension of 24 pp of its retaliation on all US "
        f"goods, so its average tariff on US goods rises from {cn:g}% to {lapsed:g}% (24 pp "
        f"on every good, as PIIE counts a rate on all goods); the US average on Chinese "
        f"goods stays at {us:g}% (the US side's reciprocal suspension is moot since the "
        "IEEPA ruling; its Section 301 exclusions are not modelled).",
        "Busan truce: 24 pp suspended (jiaxinkg.com 2025-11-07); extended to 2027-01-10 "
        "(FT, NBC News, CNBC 2026-09-24); data/tariffs.csv",
        Scenario().replace(tariff_china=lapsed, tariff_steps=steps, tariff_from=2027),
    )


def _section_122_back(baseline: Baseline) -> tuple[str, str, Scenario]:
    steps = _us_steps()
    level = level_at(steps, pd.Timestamp("2026-02-24"))
    return (
        f"The Section 301 forced-labour tariffs fall (they are before the Court of "
        f"International Trade) and the Section 122 surcharge of 10% comes back from 2027 "
        f"with its 2026 exemptions: the US average on Chinese goods is {level:g}% again, as "
        "from 2026-02-24 to 2026-07-24.",
        "Proclamation 11012; Section 122 share 4.4 pp on China's average (Yale Budget Lab "
        "tracker, June 2026); data/tariffs.csv",
        Scenario().replace(tariff_united_states=level),
    )


def _ieepa_restored(baseline: Baseline) -> tuple[str, str, Scenario]:
    level = _level("United States", "China", f"{baseline.year}-12-31", 47.5)
    return (
        f"The IEEPA tariffs (10% fentanyl and 10% reciprocal on China) are restored from "
        f"2027, e.g. by law: the US average on Chinese goods returns to {level:g}%, its "
        "level after the Nov 2025 truce.",
        "PIIE estimate cited by AP and Reuters (Dec 2025); Supreme Court, Learning "
        "Resources v. Trump (2026-02-20) voided them",
        Scenario().replace(tariff_united_states=level, tariff_from=2027),
    )


def _collapse(baseline: Baseline) -> tuple[str, str, Scenario]:
    default = Scenario()
    peak_us = _level("United States", "China", "2025-04-10", default.tariff_united_states)
    crs_cn, crs_cn_source = _peak(
        "China", "United States", "CRS average tariff rate", default.tariff_china
    )
    return (
        f"From 2027 the US average tariff returns to its April 2025 peak ({peak_us:g}%) "
        f"and China's retaliation to its mid-April 2025 level ({crs_cn:g}%).",
        "PIIE (Bown), April 2025: 124.1% average US tariff on Chinese goods; "
        f"China: {crs_cn_source}",
        default.replace(tariff_united_states=peak_us, tariff_china=crs_cn, tariff_from=2027),
    )


def _us_2018(baseline: Baseline) -> tuple[str, str, Scenario]:
    default = Scenario()
    us_2018 = _level("United States", "China", "2018-12-31", default.tariff_united_states)
    cn_2018 = _level("China", "United States", "2018-12-31", default.tariff_china)
    return (
        f"From 2027 the US average tariff goes back to the level reached after the 2018 "
        f"round (lists 1-3, {us_2018:g}%) and China's to its end-2018 level ({cn_2018:g}%).",
        "PIIE (Bown, final 2020 text): US 3.8% to 12.0% over July-September 2018; China "
        "18.3% after its September 2018 retaliation",
        default.replace(tariff_united_states=us_2018, tariff_china=cn_2018, tariff_from=2027),
    )


def _eu_matches(baseline: Baseline) -> tuple[str, str, Scenario]:
    us, _ = _today(baseline)
    return (
        f"From 2027 the EU applies to Chinese goods the US's average tariff in force "
        f"today ({us:g}%); the data hold no EU average on Chinese goods, so this is the "
        "tariff added to today's (EV duties and steel quotas included).",
        "US level: data/tariffs.csv (PIIE basis, since 2026-07-24)",
        Scenario().replace(tariff_european_union=us, tariff_from=2027),
    )


def _slowdown(baseline: Baseline) -> tuple[str, str, Scenario]:
    # World trade as the WTO forecast for 2026, as the one input that moves: the world
    # trade input shifts every market's demand, and real growth in a region or the world
    # moves it too, so lowering both would count the same slowdown twice.
    default = Scenario()
    wto = float(load_actuals_cached().driver(WTO_SERIES, kind="projection")[2026])
    imf = default.world_trade
    return (
        f"World trade grows {wto:g}% a year (the WTO's March 2026 forecast for 2026) "
        f"instead of {imf:g}% (IMF): every market's import demand grows {imf - wto:.1f} pp "
        "a year slower; real growth stays as the IMF projects it (lowering it too would "
        "count the same slowdown twice).",
        "WTO Global Trade Outlook and Statistics, 2026-03-19 (1.9% for 2026); IMF WEO "
        "Update, Jan 2026 (2.6% for 2026)",
        default.replace(world_trade=wto),
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
    "truce": ("Truce extended past 2027-01-10", _truce),
    "truce_lapses": ("Truce lapses on 2027-01-10", _truce_lapses),
    "section_122": ("Section 122 surcharge back", _section_122_back),
    "ieepa_restored": ("IEEPA tariffs restored", _ieepa_restored),
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
