"""The base year's world exports: the WTO figure, or an estimate that says how it was made."""

from __future__ import annotations

import pandas as pd
import pytest

from model.baseline import base_world_exports, world_trade_growth
from model.data import Actuals

WTO, IMF = "world_trade_volume_growth_pct", "world_trade_volume_growth_imf_pct"


def actuals(world: dict[int, float], drivers: list[tuple[int, str, float, str]]) -> Actuals:
    """China's exports 3,500 in 2024 and 3,770 in 2025 (US$ bn), world exports as given,
    and world trade growth rows (year, series, value %, kind)."""
    annual = pd.DataFrame(
        {
            "exports_usd_bn": [3500.0, 3770.0],
            "world_exports_usd_bn": [world.get(2024, float("nan")), world.get(2025, float("nan"))],
        },
        index=pd.Index([2024, 2025], name="year"),
    )
    return Actuals(
        annual=annual,
        monthly=pd.DataFrame(),
        by_region=pd.DataFrame(),
        tariffs=pd.DataFrame(),
        drivers=pd.DataFrame(drivers, columns=["year", "series", "value", "kind"]),
    )


def test_a_year_with_the_wto_figure_takes_it_with_no_note():
    assert base_world_exports(actuals({2024: 24000.0, 2025: 25000.0}, []), 2025) == (
        25000.0,
        None,
    )


def test_a_missing_year_grows_the_other_exporters_by_world_trade_volume():
    data = actuals({2024: 24000.0}, [(2025, IMF, 4.1, "actual")])
    value, note = base_world_exports(data, 2025)
    # The others' 20,500 grown 4.1% is 21,340.5; with China's 3,770: 25,110.5.
    assert value == pytest.approx(25110.5)
    assert note == (
        "World exports 2025 estimated: China's exports plus the other exporters' 2024 "
        "exports (WTO) grown with world trade volume growth, 2025 4.1% "
        "(IMF), at constant prices"
    )


def test_with_no_growth_figure_the_others_stay_level_and_the_note_says_so():
    value, note = base_world_exports(actuals({2024: 24000.0}, []), 2025)
    assert value == pytest.approx(3770.0 + 20500.0)
    assert "2025 0% (no figure in the data: no change)" in note


def test_world_trade_growth_prefers_the_outturn_and_the_wto():
    rows = [
        (2025, IMF, 4.1, "actual"),
        (2025, WTO, 2.4, "projection"),
        (2026, IMF, 2.6, "projection"),
        (2026, WTO, 0.5, "projection"),
    ]
    data = actuals({}, rows)
    assert world_trade_growth(data, 2025) == (4.1, IMF)
    assert world_trade_growth(data, 2026) == (0.5, f"{WTO}, projection")
    assert world_trade_growth(data, 2027) is None
    both = actuals({}, [(2025, IMF, 4.1, "actual"), (2025, WTO, 2.9, "actual")])
    assert world_trade_growth(both, 2025) == (2.9, WTO)


def _with_market_rows(rows: list[dict]) -> Actuals:
    from dataclasses import replace

    from model.baseline import load_actuals_cached

    actuals = load_actuals_cached()
    extra = pd.DataFrame(rows).assign(source="test", note="")
    return replace(actuals, markets=pd.concat([actuals.markets, extra], ignore_index=True))


def test_a_stated_share_sets_the_market_and_a_currency_pair_gives_the_same():
    from model.baseline import baseline_from_actuals

    stated = _with_market_rows(
        [
            {
                "year": 2025,
                "market": "ASEAN",
                "origin": "China",
                "imports": 25.0,
                "unit": "% of imports",
            }
        ]
    )
    pair = _with_market_rows(
        [
            {
                "year": 2024,
                "market": "ASEAN",
                "origin": "World",
                "imports": 1800.0,
                "unit": "USD bn",
            },
            {
                "year": 2024,
                "market": "ASEAN",
                "origin": "China",
                "imports": 450.0,
                "unit": "USD bn",
            },
        ]
    )
    for actuals, note in ((stated, None), (pair, "2024 figure (25.0%)")):
        baseline = baseline_from_actuals(actuals, 2025)
        asean = baseline.regions.index("ASEAN")
        assert dict(baseline.china_shares)["ASEAN"] == pytest.approx(0.25)
        assert baseline.markets[asean] == pytest.approx(baseline.exports[asean] / 0.25)
        said = [n for n in baseline.notes if "ASEAN imports" in n]
        assert (note in said[0]) if note else not said
        assert not any("ASEAN" in n for n in baseline.notes if n.startswith("No figure for China"))


def test_the_us_competitors_come_from_the_latest_year_that_names_them():
    from model.baseline import load_baseline

    # 2025 has the US total and China's figure but no named supplier: the shares are
    # 2024's, e.g. Mexico 505.9 / (3,267.4 - 438.9) = 17.9% (US Census).
    baseline = load_baseline()
    assert baseline.us_competitors_year == 2024
    assert dict(baseline.us_competitors)["Mexico"] == pytest.approx(505.9 / 2828.5)
    assert dict(baseline.china_shares)["United States"] == pytest.approx(308.4 / 3415.5)
