"""The Compare page in AppTest: save, overlay, table of outcomes; names as plain text."""

import pytest

from tests.apptest import open_page, shipped_baseline
from views.charts import BASELINE
from views.model_api import Scenario, simulate
from views.widgets import SAVED_SCENARIOS


def test_saving_the_current_scenario_adds_it_to_the_chart_and_the_table():
    at = open_page("pages/1_Scenario.py")
    at.slider(key="tariff_united_states").set_value(150.0).run()
    at.switch_page("pages/3_Compare.py").run()
    assert not at.exception
    at.text_input(key="compare_name").input("Truce collapses").run()
    at.button[0].click().run()
    assert not at.exception
    assert at.multiselect(key="compare_pick").value == [
        BASELINE,
        "Preset: Truce lapses on 2027-01-10",
        "Preset: Section 122 surcharge back",
        "Truce collapses",
    ]
    table = at.dataframe[0].value.set_index("Scenario")
    expected = simulate(Scenario(tariff_united_states=150.0), shipped_baseline())
    assert table.loc["Truce collapses", "Surplus, US$ bn"] == pytest.approx(
        expected.value("balance_usd_bn", 2030)
    )
    assert table.loc["Truce collapses", "Surplus, US$ bn"] < table.loc[BASELINE, "Surplus, US$ bn"]
    [chart] = at.get("vega_lite_chart")
    assert chart.proto.spec


def test_a_name_with_markup_is_shown_as_typed_never_as_html():
    at = open_page("pages/3_Compare.py")
    name = "<b>bold</b> [x](http://e.x) **y** $5"
    at.text_input(key="compare_name").input(name).run()
    at.button[0].click().run()
    assert not at.exception
    assert name in at.dataframe[0].value["Scenario"].tolist()
    assert [t.value for t in at.text] == [name]
    assert "<b>" not in at.success[0].proto.body.replace("\\<b\\>", "")


def test_an_empty_name_is_refused():
    at = open_page("pages/3_Compare.py")
    at.button[0].click().run()
    assert at.error and "name" in at.error[0].value


@pytest.mark.parametrize("name", [BASELINE, "Actual", "Preset: Mine"])
def test_a_name_the_page_draws_itself_is_refused(name):
    at = open_page("pages/3_Compare.py")
    at.text_input(key="compare_name").input(name).run()
    at.button[0].click().run()
    assert at.error and "another name" in at.error[0].value
    assert SAVED_SCENARIOS not in at.session_state


def test_each_measure_renders():
    at = open_page("pages/3_Compare.py")
    for option in ["exports_usd_bn", "world_share_pct", "exports_united_states_usd_bn"]:
        at.get("button_group")[0].set_value(option).run()
        assert not at.exception
