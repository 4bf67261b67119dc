"""The Scenario page in AppTest, on the shipped data, against the model itself."""

import json

import pytest
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from tests.apptest import as_drawn, open_page, shipped_baseline
from tests.browser.chromium import IPHONE_USER_AGENT
from views import tables
from views.model_api import Scenario, load_presets, simulate
from views.nav import on_a_phone
from views.state import _baseline

PAGE = "pages/1_Scenario.py"


def open_scenario(**query) -> AppTest:
    return open_page(PAGE, **query)


def surplus_shown(at: AppTest) -> str:
    [metric] = [m for m in at.metric if m.label.startswith("Surplus")]
    return metric.value


def expected_surplus(scenario: Scenario, year: int = 2030) -> str:
    result = simulate(scenario, shipped_baseline())
    return tables.usd_bn(result.value("balance_usd_bn", year))


def test_the_page_opens_with_the_default_scenario_and_says_the_result():
    at = open_scenario()
    assert surplus_shown(at) == expected_surplus(Scenario())
    assert at.markdown[0].value.startswith("**The surplus ")
    assert "in 2030" in at.markdown[0].value
    assert not at.warning


def test_moving_the_us_tariff_changes_the_surplus_as_the_model_says():
    at = open_scenario()
    before = surplus_shown(at)
    at.slider(key="tariff_united_states").set_value(120.0).run()
    assert not at.exception
    after = surplus_shown(at)
    assert after != before
    assert after == expected_surplus(Scenario(tariff_united_states=120.0))


def test_the_us_tariff_is_the_first_input():
    at = open_scenario()
    assert at.slider[0].key == "tariff_united_states"


def test_a_link_seeds_its_widget():
    at = open_scenario(tariff_united_states="80", sigma="4.5", end_year="2032")
    assert at.slider(key="tariff_united_states").value == 80.0
    assert at.slider(key="sigma").value == 4.5
    assert surplus_shown(at) == expected_surplus(
        Scenario(tariff_united_states=80.0, sigma=4.5, end_year=2032)
    )
    assert not at.warning


@pytest.mark.parametrize(
    ("key", "raw"),
    [
        ("tariff_united_states", "abc"),
        ("tariff_united_states", "nan"),
        ("tariff_united_states", "inf"),
        ("tariff_united_states", "-5"),
        ("tariff_united_states", "1e9"),
        ("end_year", "2030.5"),
        ("sigma", "99"),
    ],
)
def test_a_bad_value_in_a_link_is_named_and_its_input_left_at_the_default(key, raw):
    at = open_scenario(**{key: raw})
    default = Scenario.__dataclass_fields__[key].default
    assert at.slider(key=key).value == default
    assert surplus_shown(at) == expected_surplus(Scenario())
    [warning] = at.warning
    assert f"'{key}'" in as_drawn(warning.value) and raw in as_drawn(warning.value)


def test_an_unknown_key_and_an_unknown_preset_are_named():
    at = open_scenario(tarif_us="60", preset="Tariffs forever")
    [warning] = at.warning
    assert "'tarif_us'" in as_drawn(warning.value)
    assert "'preset' = 'Tariffs forever'" in as_drawn(warning.value)
    assert surplus_shown(at) == expected_surplus(Scenario())


def test_a_combination_the_model_refuses_is_named_and_reset():
    at = open_scenario(sigma="2.5", sigma_1="2.9")
    assert at.warning and "sigma_1" in as_drawn(at.warning[0].value)
    assert at.slider(key="sigma_1").value == Scenario().sigma_1


def test_reset_puts_every_input_back():
    at = open_scenario(tariff_united_states="90", rmb="5")
    at.button[0].click().run()
    assert at.slider(key="tariff_united_states").value == Scenario().tariff_united_states
    assert at.slider(key="rmb").value == Scenario().rmb
    assert surplus_shown(at) == expected_surplus(Scenario())


def test_a_preset_sets_the_sliders():
    presets = load_presets()
    if not presets:
        pytest.skip("the model has no presets yet")
    label, preset = next(iter(presets.items()))
    at = open_scenario()
    at.selectbox(key="preset").select(label).run()
    assert not at.exception
    for key, value in preset.values.items():
        if key in {s.key for s in at.slider}:
            assert at.slider(key=key).value == pytest.approx(value), key


def test_a_scenario_file_loads_and_a_bad_one_is_refused_with_its_problems():
    at = open_scenario()
    good = Scenario(tariff_united_states=30.0, growth_china=3.0).to_json()
    at.file_uploader(key="scenario_upload").upload("s.json", good.encode()).run()
    assert not at.exception
    assert at.slider(key="tariff_united_states").value == 30.0
    assert surplus_shown(at) == expected_surplus(
        Scenario(tariff_united_states=30.0, growth_china=3.0)
    )

    bad = json.dumps({"tariff_united_states": "high", "sigma": 1e9, "colour": "red"})
    at.file_uploader(key="scenario_upload").upload("bad.json", bad.encode()).run()
    assert not at.exception
    [error] = at.error
    shown = as_drawn(error.value)
    assert "tariff_united_states = 'high' is not a number" in shown
    assert "sigma = 1e+09 is outside the allowed range" in shown
    assert "'colour' is not an input of this page" in shown
    assert at.slider(key="tariff_united_states").value == 30.0  # kept


def test_the_downloads_are_the_scenario_and_its_results():
    at = open_scenario()
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Scenario (JSON)", "Results by year (CSV)"]


def test_extreme_sliders_do_not_break_the_page():
    at = open_scenario()
    for slider in at.slider:
        slider.set_value(slider.max)
    at.run()
    assert not at.exception
    for slider in at.slider:
        slider.set_value(slider.min)
    at.run()
    assert not at.exception


_ = _baseline


def test_the_uncertainty_band_is_drawn_on_request():
    at = open_scenario()
    layers = [json.loads(c.proto.spec).get("layer", []) for c in at.get("vega_lite_chart")]
    assert not any(layer["mark"]["type"] == "area" for chart in layers for layer in chart)
    at.checkbox(key="band").check().run()
    assert not at.exception
    surplus_chart = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert surplus_chart["layer"][0]["mark"]["type"] == "area"


def test_the_sensitivity_ranking_is_drawn_on_request():
    at = open_scenario(sensitivity="true")
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    titles = [s.get("title") for s in specs]
    assert any("What moves the result most" in str(t) for t in titles)


def test_the_share_chart_marks_the_2030_projection():
    at = open_scenario()
    share = json.loads(at.get("vega_lite_chart")[1].proto.spec)
    assert [layer["mark"]["type"] for layer in share["layer"]][-2:] == ["point", "text"]
    assert "16.5" in at.caption[-1].value or any("16.5" in c.value for c in at.caption)


ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
DESKTOP = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


def test_phones_are_told_apart_from_computers_by_their_user_agent():
    assert on_a_phone(IPHONE_USER_AGENT) and on_a_phone(ANDROID)
    assert not on_a_phone(DESKTOP) and not on_a_phone("")


def test_the_destination_panels_are_four_a_row_where_no_phone_is_named():
    at = open_scenario()
    at.session_state["destinations_view"] = "Exports by destination, year by year"
    at.run()
    destinations = json.loads(at.get("vega_lite_chart")[2].proto.spec)
    assert destinations["facet"]["field"] == "region"
    assert destinations["columns"] == 4


def test_the_change_by_destination_is_the_tab_drawn_first_from_the_same_run():
    at = open_scenario(tariff_united_states="60")
    charts_drawn = at.get("vega_lite_chart")
    assert len(charts_drawn) == 3  # surplus, share, the change by destination: no more
    change = json.loads(at.get("vega_lite_chart")[2].proto.spec)
    assert "facet" not in change and change["title"].startswith("Exports by destination")
    [caption] = [c.value for c in at.caption if c.value.startswith("Each dot is a change")]
    assert "2025 to 2030 under your scenario; grey, under the baseline" in caption
    # The scenario's change of exports to the US is the run's own figure.
    path = simulate(Scenario(tariff_united_states=60.0), shipped_baseline()).path
    us = path.set_index("year")["exports_united_states_usd_bn"]
    [written] = [
        convert_arrow_bytes_to_pandas_df(d.data.data)
        for d in at.get("vega_lite_chart")[2].proto.datasets
        if d.name == change["layer"][3]["data"]["name"]
    ]
    assert (
        written.set_index("region").loc["United States", "text"] == f"{us[2030] - us[2025]:+,.0f}"
    )


def test_a_link_is_told_as_what_it_changes_against_the_baseline():
    at = open_scenario(growth_asean="2", tariff_european_union="25")
    changes = at.markdown[0].value
    assert changes.startswith("**What this scenario changes**")
    assert "European Union (added to today's): **25%** (baseline 0%)" in changes
    baseline_asean = Scenario().growth_asean
    assert f"ASEAN: **2% a year** (baseline {baseline_asean:g}% a year)" in changes
    [link] = at.code
    assert link.value.endswith("?tariff_european_union=25&growth_asean=2")
    # The two expanders that hold a changed input are open; the behavioural one is not.
    opened = {e.label: e.proto.expanded for e in at.expander}
    assert opened["Other importers, and China's own tariff"]
    assert opened["Demand growth by destination"]
    assert not opened["Assumptions: how trade responds"]
    scenario = Scenario(growth_asean=2.0, tariff_european_union=25.0)
    gap = simulate(scenario, shipped_baseline()).value("balance_usd_bn", 2030) - simulate(
        Scenario(), shipped_baseline()
    ).value("balance_usd_bn", 2030)
    word = "more" if gap >= 0 else "less"
    assert f"{tables.usd_bn(abs(gap))} {word} than the baseline's" in at.markdown[1].value
    [metric] = [m for m in at.metric if m.label.startswith("Surplus")]
    assert metric.delta == f"{'+' if gap >= 0 else '-'}{tables.usd_bn(abs(gap))} on the baseline"


def test_the_baseline_says_it_is_the_baseline_and_draws_no_second_path():
    at = open_scenario()
    assert "this is the baseline" in at.markdown[0].value
    assert not at.code
    assert "Baseline" not in at.get("vega_lite_chart")[0].proto.spec


def test_an_exact_value_typed_in_the_box_sets_its_input():
    at = open_scenario()
    at.selectbox(key="exact_input").set_value("tariff_european_union").run()
    at.number_input(key="exact_value").set_value(12.0).run()
    assert not at.exception
    assert at.slider(key="tariff_european_union").value == 12.0
    assert surplus_shown(at) == expected_surplus(Scenario(tariff_european_union=12.0))


def test_the_us_market_caption_names_the_year_of_the_supplier_figures():
    at = open_scenario()
    year = shipped_baseline().us_competitors_year
    assert year == 2024
    assert any(f"(US Census {year})" in c.value for c in at.caption)
