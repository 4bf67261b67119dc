"""The back-test: replay from 2017 with the actual tariff path (acceptance figures)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from model.backtest import backtest, naive_path

US = "exports_united_states_usd_bn"


@pytest.fixture(scope="module")
def from_2017():
    return backtest(2017)


@pytest.mark.parametrize("year, actual", [(2019, -12.5), (2025, -20.0)])
def test_change_in_exports_to_the_us_within_five_points(from_2017, year, actual):
    simulated, observed = from_2017.change_pct(US, year)
    assert observed == pytest.approx(actual, abs=0.1)
    assert abs(simulated - observed) <= 5.0


@pytest.mark.parametrize("series", ["exports_usd_bn", "imports_usd_bn"])
def test_totals_from_2017_beat_the_naive_benchmark(from_2017, series):
    model = from_2017.metric(series, "model")
    naive = from_2017.metric(series, "naive")
    assert from_2017.metrics.query("series == @series")["years"].eq(8).all()
    assert model < naive


START_YEARS = range(2017, 2025)


@pytest.fixture(scope="module")
def every_start():
    return {year: backtest(year) for year in START_YEARS}


@pytest.mark.parametrize("series", ["exports_usd_bn", "balance_usd_bn"])
def test_exports_and_surplus_beat_the_naive_benchmark_from_most_start_years(every_start, series):
    wins = [
        y for y, r in every_start.items() if r.metric(series, "model") < r.metric(series, "naive")
    ]
    assert len(wins) > len(START_YEARS) / 2, wins


def test_exports_outside_the_us_are_in_the_table(from_2017):
    table = from_2017.table.set_index("year")
    outside = table["exports_outside_us_usd_bn_actual"]
    np.testing.assert_allclose(
        outside, table["exports_usd_bn_actual"] - table[f"{US}_actual"], rtol=1e-12
    )
    simulated, actual = from_2017.change_pct("exports_outside_us_usd_bn", 2025)
    assert actual == pytest.approx(9.8, abs=0.1)
    assert simulated > 0  # the exports the US tariff deflected went on growing


def test_the_other_suppliers_us_sales_are_compared_in_their_changes(from_2017):
    # US Census / USITC: imports from every supplier but China, 2017 2,342.9 - 505.6 =
    # 1,837.3, 2020 2,336.6 - 435.4 = 1,901.1 and 2024 3,267.4 - 438.9 = 2,828.5 (US$ bn).
    table = from_2017.table.set_index("year")
    actual = table["us_market_others_usd_bn_actual"]
    simulated = table["us_market_others_usd_bn_simulated"]
    assert actual[2017] == pytest.approx(simulated[2017])  # one level at the start
    assert actual[2020] / actual[2017] == pytest.approx(1901.13 / 1837.3, rel=1e-4)
    assert actual[2024] / actual[2017] == pytest.approx(2828.5 / 1837.3, rel=1e-4)
    assert np.isnan(actual[2018]) and np.isnan(actual[2021])  # no US total in the data
    # The tariffs of 2018-19 moved US purchases to the other suppliers: their sales grow
    # faster than the US market's spending on China's goods and theirs together.
    assert (
        simulated[2019] / simulated[2017]
        > table[f"{US}_simulated"][2019] / table[f"{US}_simulated"][2017]
    )
    assert from_2017.metric("us_market_others_usd_bn", "model") < from_2017.metric(
        "us_market_others_usd_bn", "naive"
    )


def test_no_other_suppliers_series_without_us_figures_in_the_start_year():
    assert "us_market_others_usd_bn" not in backtest(2018).series  # no US total for 2018


def test_table_layout(from_2017):
    table = from_2017.table
    assert table.columns[0] == "year"
    assert list(table["year"]) == list(range(2017, 2026))
    for series in ("exports_usd_bn", "imports_usd_bn", "balance_usd_bn", "world_share_pct", US):
        assert f"{series}_simulated" in table and f"{series}_actual" in table
    # The start year is the actual figures themselves.
    first = table.iloc[0]
    assert first["exports_usd_bn_simulated"] == pytest.approx(first["exports_usd_bn_actual"])
    assert np.isfinite(table.filter(like="_simulated").to_numpy()).all()
    assert set(from_2017.metrics["method"]) == {"model", "naive"}


def test_inputs_name_their_sources(from_2017):
    inputs = from_2017.inputs
    assert list(inputs["year"]) == list(range(2018, 2026))
    assert inputs["us_tariff_pct"].iloc[-1] > 45  # 2025: from 20.8% to 124-126.5% to 47.5%
    assert inputs["demand_sources"].str.contains("us_real_gdp_growth_pct").any()
    assert inputs["commodity_source"].str.len().gt(0).all()


def test_naive_is_a_random_walk_with_five_year_drift():
    history = pd.Series({2012: 100.0, 2015: 130.0, 2017: 150.0})
    # drift = (150 - 100) / 5 = 10 a year
    assert list(naive_path(history, 2017, range(2017, 2020))) == [150.0, 160.0, 170.0]
    # only two years back: drift = (150 - 130) / 2
    short = history.drop(2012)
    assert list(naive_path(short, 2017, range(2018, 2019))) == [160.0]


@pytest.mark.parametrize("start, end", [(2030, None), (2017, 2017), (1980, None), (2017, 2031)])
def test_bad_years_raise(start, end):
    with pytest.raises(ValueError, match="start"):
        backtest(start, end)


def test_later_start_models_the_regions_of_that_year():
    result = backtest(2023)
    assert "exports_asean_usd_bn_simulated" in result.table
    assert list(result.table["year"]) == [2023, 2024, 2025]
