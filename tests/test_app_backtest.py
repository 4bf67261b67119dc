"""The Back-test page in AppTest, on the shipped data, against model.backtest."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from model.backtest import backtest
from model.scenario import Scenario
from tests.apptest import open_page

PAGE = "pages/2_Backtest.py"


def open_backtest(**query) -> AppTest:
    return open_page(PAGE, **query)


def replay_specs(at) -> list[dict]:
    """The replay's charts (the current year's two charts follow them, titled by the year)."""
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    return [s for s in specs if not str(s["title"]).startswith("2026:")]


def test_the_page_shows_six_charts_and_the_error_table_of_the_model():
    at = open_backtest()
    assert len(replay_specs(at)) == 6
    assert len(at.get("vega_lite_chart")) == 8
    errors = at.dataframe[0].value.set_index("Series")
    expected = backtest(2017).metric("balance_usd_bn", "model", "mape_pct")
    assert errors.loc["Trade surplus", "MAPE, model (%)"] == pytest.approx(expected)
    assert {"MAPE, naive (%)", "Beats naive"} <= set(errors.columns)


def test_each_chart_is_titled_by_its_series_and_its_value_axis_by_the_unit():
    # A value axis titled "Exports to the United States, US$ bn" ran longer than the
    # chart's height and pushed into the chart's title.
    specs = replay_specs(open_backtest())
    titles = {(s["title"], s["layer"][0]["encoding"]["y"]["title"]) for s in specs}
    assert titles == {
        ("Exports to the United States", "US$ bn"),
        ("Exports outside the United States", "US$ bn"),
        ("Other suppliers' sales in the US market", "US$ bn"),
        ("Total exports", "US$ bn"),
        ("Trade surplus", "US$ bn"),
        ("Share of world exports", "%"),
    }


def test_the_page_shows_the_current_year_against_the_model_and_the_naive():
    from model.nowcast import nowcast

    at = open_backtest()
    result = nowcast()
    assert any(m.value == f"**{result.sentence()}**".replace("$", "\\$") for m in at.markdown)
    labels = [m.label for m in at.metric]
    assert "Surplus, 2026 full-year estimate" in labels
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    assert {s["title"] for s in specs} >= {
        "2026: Surplus, month by month",
        "2026: Surplus, cumulative from January",
    }


def test_the_start_year_comes_from_the_link_and_changes_the_replay():
    at = open_backtest(start_year="2019")
    assert at.slider(key="start_year").value == 2019
    errors = at.dataframe[0].value.set_index("Series")
    expected = backtest(2019).metric("exports_usd_bn", "model", "mape_pct")
    assert errors.loc["Total exports", "MAPE, model (%)"] == pytest.approx(expected)


@pytest.mark.parametrize("raw", ["1800", "abc", "2017.5"])
def test_a_bad_start_year_in_the_link_leaves_a_working_page(raw):
    at = open_backtest(start_year=raw)
    assert at.dataframe


def test_every_start_year_renders():
    at = open_backtest()
    slider = at.slider(key="start_year")
    for year in range(int(slider.min), int(slider.max) + 1):
        at.slider(key="start_year").set_value(year).run()
        assert not at.exception, year


def test_the_fit_shows_each_estimate_with_its_standard_error():
    from model.calibrate import calibrate

    at = open_backtest(window=["2018", "2022"], fit="true")
    expected = calibrate((2018, 2022)).estimates
    [table] = [d.value for d in at.dataframe if "Parameter" in d.value.columns]
    assert list(table["Parameter"]) == list(expected["label"])
    first = expected.iloc[0]
    assert table["estimate ± standard error"].iloc[0] == (
        f"{first['estimate']:.2f} ± {first['std_error']:.2f}"
    )
    errors = at.dataframe[5].value
    assert any("out of sample" in y for y in errors["Years"])
    # The fitted values open on the Scenario page, as a link of the inputs they change.
    fitted = calibrate((2018, 2022)).scenario
    [link] = [m.value for m in at.markdown if "fitted elasticities" in m.value]
    assert link.startswith("[Open the fitted elasticities as a scenario](Scenario?")
    for name in expected["parameter"]:
        value = getattr(fitted, name)
        assert (f"{name}={value:g}" in link) == (abs(value - Scenario().to_dict()[name]) > 1e-9), (
            name
        )


def test_the_fit_runs_only_on_request():
    at = open_backtest(window=["2018", "2022"])
    # the errors over the years and in the last, year by year, the observed inputs, the
    # current year
    assert len(at.dataframe) == 5
    at.toggle(key="fit").set_value(True).run()
    assert not at.exception
    assert len(at.dataframe) == 7


def test_the_year_by_year_table_has_actual_model_naive_and_their_errors():

    at = open_backtest(start_year="2017")
    yearly = at.dataframe[2].value
    replay = backtest(2017)
    surplus = yearly[yearly["Series"] == "Trade surplus, US$ bn"].set_index("Year")
    assert sorted(surplus.index) == list(range(2018, int(replay.table["year"].max()) + 1))
    row = replay.table.set_index("year").loc[2025]
    naive = replay.naive.set_index("year").loc[2025, "balance_usd_bn_naive"]
    assert surplus.loc[2025, "Actual"] == pytest.approx(row["balance_usd_bn_actual"])
    assert surplus.loc[2025, "Model"] == pytest.approx(row["balance_usd_bn_simulated"])
    assert surplus.loc[2025, "Naive benchmark"] == pytest.approx(naive)
    assert surplus.loc[2025, "Model error (%)"] == pytest.approx(
        100 * (row["balance_usd_bn_simulated"] / row["balance_usd_bn_actual"] - 1)
    )
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Year by year (CSV)"]
