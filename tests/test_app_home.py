"""The home page, run in AppTest on a small data package and on a broken one."""

import json

from model.data import load_actuals
from tests.apptest import open_page
from views import tables


def run_home():
    return open_page()


def test_home_shows_the_four_numbers_of_the_latest_year(small_package):
    at = run_home()
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert labels == [
        "Trade surplus, 2025",
        "Exports, 2025",
        "Imports, 2025",
        "Share of world exports, 2024",  # 2025 world exports are a gap in this package
    ]
    annual = load_actuals(small_package).annual
    assert at.metric[0].value == tables.usd_bn(annual.at[2025, "balance_usd_bn"]) == "$1.19 tn"
    assert at.metric[0].proto.delta == "+19.8% on 2024"  # 1188.98 / 992.1 - 1
    assert at.metric[3].value == "14.6%"  # 3577.17 / 24430


def test_home_says_when_the_year_passed_the_last_full_year_and_one_trillion(small_package):
    at = run_home()
    sentence = at.markdown[0].value
    assert "passed 2024's full-year surplus of \\$992 bn in Nov" in sentence
    assert "passed \\$1 tn in Nov" in sentence


def test_home_chart_marks_the_full_year_and_one_trillion(small_package):
    at = run_home()
    [chart] = at.get("vega_lite_chart")
    layers = json.loads(chart.proto.spec)["layer"]
    assert [layer["mark"]["type"] for layer in layers] == ["line", "rule", "text", "text"]
    # The rules' levels and labels travel as data; the builder's own test checks them.


def test_home_links_into_every_page(small_package):
    at = run_home()
    in_main = [link.proto.page for link in at.main.get("page_link")]
    assert in_main == ["Scenario", "Backtest", "Compare", "Data", "Methodology"]


def test_the_sidebar_lists_every_page_with_home_named_home(small_package):
    at = run_home()
    links = at.sidebar.get("page_link")
    assert [link.proto.label for link in links] == [
        "Home",
        "Scenario",
        "Back-test",
        "Compare",
        "Data",
        "Methodology",
    ]


def test_a_broken_data_package_gives_an_error_page_naming_each_problem(broken_package):
    at = run_home()
    assert not at.exception
    assert at.error and "2 problems" in at.error[0].value
    problems = at.dataframe[0].value
    assert list(problems["file"]) == ["data/annual.csv", "data/drivers.csv"]
    assert list(problems["row"]) == ["5", ""]
    assert "'about 3.6tn' is not a number" in problems["problem"].iloc[0]
    assert not at.metric
