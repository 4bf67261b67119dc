"""Shapers of model results for the Scenario page, on small hand-checked frames."""

import pandas as pd
import pytest

from views import results


def test_destinations_adds_rest_of_world_as_the_residual_and_orders_the_rows():
    by_region = pd.DataFrame(
        {
            "year": [2024, 2024, 2025, 2025, 2023],
            "region": ["United States", "ASEAN", "United States", "ASEAN", "United States"],
            "exports_usd_bn": [524.7, 586.5, 420.1, 665.2, 500.3],
        }
    )
    annual_exports = pd.Series({2023: 3380.0, 2024: 3577.2, 2025: 3771.9})
    path = pd.DataFrame(
        {
            "year": [2025, 2026],
            "exports_united_states_usd_bn": [420.1, 380.0],
            "exports_asean_usd_bn": [665.2, 700.0],
            "exports_rest_of_world_usd_bn": [2686.6, 2800.0],
        }
    )
    frame = results.destinations(
        by_region,
        path,
        ["United States", "ASEAN", "Rest of world"],
        ["united_states", "asean", "rest_of_world"],
        annual_exports,
        since=2024,
    )
    rows = list(frame.itertuples(index=False, name=None))
    assert rows == [
        (2024, "United States", 524.7, "Actual"),
        (2025, "United States", 420.1, "Actual"),
        (2025, "United States", 420.1, "Simulated"),
        (2026, "United States", 380.0, "Simulated"),
        (2024, "ASEAN", 586.5, "Actual"),
        (2025, "ASEAN", 665.2, "Actual"),
        (2025, "ASEAN", 665.2, "Simulated"),
        (2026, "ASEAN", 700.0, "Simulated"),
        # 3577.2 - 524.7 - 586.5 = 2466.0; 3771.9 - 420.1 - 665.2 = 2686.6. 2023 has no
        # ASEAN figure, so no residual, and it is before ``since`` anyway.
        (2024, "Rest of world", frame.value[8], "Actual"),
        (2025, "Rest of world", frame.value[9], "Actual"),
        (2025, "Rest of world", 2686.6, "Simulated"),
        (2026, "Rest of world", 2800.0, "Simulated"),
    ]
    assert frame.value[8] == pytest.approx(2466.0)
    assert frame.value[9] == pytest.approx(2686.6)


def test_destinations_leaves_out_a_residual_for_a_year_missing_a_named_region():
    by_region = pd.DataFrame(
        {"year": [2023], "region": ["United States"], "exports_usd_bn": [500.3]}
    )
    path = pd.DataFrame(
        {
            "year": [2025],
            "exports_united_states_usd_bn": [420.1],
            "exports_asean_usd_bn": [1.0],
            "exports_rest_of_world_usd_bn": [2.0],
        }
    )
    frame = results.destinations(
        by_region,
        path,
        ["United States", "ASEAN", "Rest of world"],
        ["united_states", "asean", "rest_of_world"],
        pd.Series({2023: 3380.0}),
    )
    actual = frame[frame.kind == "Actual"]
    assert list(actual.region) == ["United States"]


def test_actual_vs_simulated_joins_the_two_lines_at_the_base_year():
    actual = pd.Series({2022: 877.6, 2023: 823.2, 2024: None, 2025: 1189.0})
    path = pd.DataFrame({"year": [2025, 2026], "balance_usd_bn": [1189.0, 1250.5]})
    frame = results.actual_vs_simulated(actual, path, "balance_usd_bn", since=2023)
    assert list(frame.itertuples(index=False, name=None)) == [
        (2023, 823.2, "Actual"),  # 2022 is before since; 2024 is a gap, left out
        (2025, 1189.0, "Actual"),
        (2025, 1189.0, "Simulated"),
        (2026, 1250.5, "Simulated"),
    ]


def _path(surplus_2030: float, share_2030: float) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": [2025, 2030],
            "balance_usd_bn": [1189.0, surplus_2030],
            "exports_usd_bn": [3771.9, 4330.0],
            "imports_usd_bn": [2582.9, 3280.0],
            "world_share_pct": [15.0, share_2030],
        }
    )


def test_the_headline_states_the_difference_from_the_baseline():
    scenario, baseline = _path(2056.0, 16.3), _path(1689.0, 16.1)
    sentence = results.summary_sentence(scenario, 2025, 2030, baseline)
    # 2,056 - 1,689 = 367; 2,056 / 1,189 - 1 = 72.9%
    assert sentence.startswith(
        "The surplus reaches $2.06 tn in 2030, $367 bn more than the baseline's $1.69 tn "
        "and 72.9% above 2025's $1.19 tn;"
    )
    lower = results.summary_sentence(baseline, 2025, 2030, scenario)
    assert "$367 bn less than the baseline's $2.06 tn" in lower
    assert "this is the baseline" in results.summary_sentence(baseline, 2025, 2030)


def test_a_metric_changes_on_the_baseline_in_dollars_or_points():
    assert results.against_baseline(2056.0, 1689.0, 1189.0, 2025, "money") == (
        "+$367 bn on the baseline"
    )
    assert results.against_baseline(359.4, 359.0, 420.0, 2025, "money") == (
        "+$0.4 bn on the baseline"
    )
    assert results.against_baseline(359.0, 359.0, 420.0, 2025, "money") == "same as the baseline"
    assert results.against_baseline(15.1, 16.3, 15.0, 2025, "share") == "-1.2 pp on the baseline"
    assert results.against_baseline(1300.0, None, 1000.0, 2025, "money") == "+30.0% on 2025"


def test_the_share_question_gets_its_own_sentence():
    projection = {"year": 2030, "value": 16.5, "by": "Morgan Stanley"}
    assert results.share_sentence(_path(2056.0, 16.3), projection) == (
        "China's share of world exports reaches 16.3% in 2030, 0.2 pp short of the 16.5% "
        "Morgan Stanley projects."
    )
    assert "0.4 pp above" in results.share_sentence(_path(2056.0, 16.9), projection)
    short = _path(2056.0, 16.3).iloc[:1]
    assert results.share_sentence(short, projection) == (
        "Morgan Stanley projects 16.5% of world exports in 2030; this scenario ends in 2025, "
        "with 15.0%."
    )


def test_the_baseline_is_drawn_beside_the_scenario_only_when_given():
    frame = pd.DataFrame(
        {"year": [2024, 2025], "value": [1.0, 2.0], "kind": ["Actual", "Simulated"]}
    )
    alone = results.with_baseline(frame, None, "balance_usd_bn")
    assert list(alone["series"]) == ["Actual", "Your scenario"]
    both = results.with_baseline(frame, _path(2056.0, 16.3), "balance_usd_bn")
    assert list(both["series"]) == ["Actual", "Your scenario", "Baseline", "Baseline"]
    assert list(both.loc[both["series"] == "Baseline", "value"]) == [1189.0, 2056.0]


def test_lost_us_sales_add_up_for_a_145_percent_us_tariff():
    from model import Scenario, simulate

    result = simulate(Scenario(tariff_united_states=145.0, tariff_china=125.0))
    story = results.us_sales(result.decomposition, result.us_market_gains(2030), 2030, 2025)
    assert story.title == "Where China's lost US sales go, 2030"
    table = story.parts.set_index("part")["usd_bn"]
    assert table.index[0] == "Lost in the US market"
    lost, diverted, destroyed, deflected, rerouted, change = table.to_numpy()
    assert lost > 0 and diverted > 0 and destroyed > 0 and deflected > 0 and rerouted > 0
    assert lost == pytest.approx(diverted + destroyed)
    assert change == pytest.approx(deflected + rerouted - lost)
    assert story.supplier_header == "Who gains the US market"
    assert story.suppliers["usd_bn"].sum() == pytest.approx(diverted)
    assert (story.suppliers["usd_bn"] > 0).all()
    assert story.suppliers["share_pct"].sum() == pytest.approx(100.0)


@pytest.mark.parametrize("us_tariff", [0.0, 20.0, 33.0])
def test_a_tariff_cut_is_told_as_us_sales_regained_with_every_part_positive(us_tariff):
    from model import Scenario, simulate

    # Below the 47.5% held at the end of 2025, China gains US sales: the table says
    # where they come from, each part a positive figure, and who loses them.
    result = simulate(Scenario(tariff_united_states=us_tariff))
    raw = result.decomposition.set_index("year").loc[2030]
    story = results.us_sales(result.decomposition, result.us_market_gains(2030), 2030, 2025)
    assert story.title == "Where China's regained US sales come from, 2030"
    assert "lower" in story.caption
    table = story.parts.set_index("part")["usd_bn"]
    gained, from_others, created, less_elsewhere, less_rerouted, change = table.to_numpy()
    assert min(gained, from_others, created, less_elsewhere, less_rerouted) > 0
    assert gained == pytest.approx(-raw["lost"])
    assert gained == pytest.approx(from_others + created)
    assert change == pytest.approx(raw["change"])
    assert change == pytest.approx(gained - less_elsewhere - less_rerouted)
    assert story.supplier_header == "Who loses US sales to China"
    assert story.suppliers["usd_bn"].sum() == pytest.approx(from_others)
    assert (story.suppliers["usd_bn"] > 0).all()


def destinations_frame() -> pd.DataFrame:
    """Two destinations, actual 2020-2025 (ASEAN has no 2020 figure), simulated 2025-2030."""
    rows = [
        (2020, "United States", 451.8, "Actual"),
        (2025, "United States", 420.1, "Actual"),
        (2025, "ASEAN", 665.2, "Actual"),
        (2025, "United States", 420.1, "Simulated"),
        (2030, "United States", 459.0, "Simulated"),
        (2025, "ASEAN", 665.2, "Simulated"),
        (2030, "ASEAN", 835.0, "Simulated"),
    ]
    return pd.DataFrame(rows, columns=["year", "region", "value", "kind"])


def test_destination_changes_are_actual_where_the_data_have_both_years_and_simulated():
    frame = results.destination_changes(destinations_frame(), 2025, 2030)
    got = {(r.region, r.point): round(r.change, 1) for r in frame.itertuples()}
    assert got == {
        ("United States", "Actual, 2020 to 2025"): -31.7,
        ("United States", "Your scenario, 2025 to 2030"): 38.9,
        ("ASEAN", "Your scenario, 2025 to 2030"): 169.8,
    }


def test_destination_changes_add_the_baseline_from_its_own_path():
    baseline = pd.DataFrame(
        {
            "year": [2025, 2030],
            "exports_united_states_usd_bn": [420.1, 400.0],
            "exports_asean_usd_bn": [665.2, 800.0],
        }
    )
    slugs = {"United States": "united_states", "ASEAN": "asean"}
    frame = results.destination_changes(destinations_frame(), 2025, 2030, baseline, slugs)
    baseline_rows = frame[frame["series"] == "Baseline"].set_index("region")["change"]
    assert baseline_rows.round(1).to_dict() == {"United States": -20.1, "ASEAN": 134.8}
    assert set(frame["point"]) >= {"Baseline, 2025 to 2030"}


def test_every_back_test_series_has_a_reader_s_name():
    from model.backtest import OUTSIDE_US

    regions = {"United States": "united_states"}
    assert results.series_label(OUTSIDE_US, regions) == "Exports outside the United States"
    assert results.series_label("exports_united_states_usd_bn", regions) == (
        "Exports to the United States"
    )
