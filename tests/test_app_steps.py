"""Dated tariff steps on the Scenario page: a link and a scenario file carry them."""

import json
import urllib.parse

from tests.apptest import as_drawn, open_page, shipped_baseline
from views import tables
from views.model_api import PARAMETERS, Scenario, scenario_file_values, simulate
from views.widgets import CURRENT_SCENARIO

PAGE = "pages/1_Scenario.py"
LAPSE = "china:2026-11-10:56.6;united_states:2026-02-24:31.9;united_states:2026-07-24:33"


def surplus_2030(at) -> str:
    [metric] = [m for m in at.metric if m.label.startswith("Surplus")]
    return metric.value


def test_a_link_with_dated_steps_reopens_them_in_a_new_session():
    steps = {
        "china": {"2026-11-10": 56.6},
        "united_states": {"2026-02-24": 31.9, "2026-07-24": 33.0},
    }
    expected = simulate(Scenario(tariff_steps=steps), shipped_baseline())
    for _ in range(2):  # each AppTest is a new session
        at = open_page(PAGE, tariff_steps=LAPSE)
        assert not at.warning
        assert at.session_state[CURRENT_SCENARIO]["tariff_steps"] == steps
        assert at.query_params["tariff_steps"] in (LAPSE, [LAPSE])
        assert surplus_2030(at) == tables.usd_bn(expected.value("balance_usd_bn", 2030))
        assert any("China on US goods: 56.6% from 2026-11-10" in c.value for c in at.caption)
    default = simulate(Scenario(), shipped_baseline()).value("balance_usd_bn", 2026)
    assert expected.value("balance_usd_bn", 2026) != default


def test_a_link_without_steps_opens_the_policy_as_it_happened():
    at = open_page(PAGE)
    assert (
        at.session_state[CURRENT_SCENARIO]["tariff_steps"] == Scenario().to_dict()["tariff_steps"]
    )
    assert "tariff_steps" not in at.query_params
    assert any(
        "United States: 31.9% from 2026-02-24, 33% from 2026-07-24" in c.value for c in at.caption
    )


def test_bad_steps_in_a_link_are_named_and_the_default_steps_kept():
    at = open_page(PAGE, tariff_steps="china:2026-11-31:56.6")
    [warning] = at.warning
    shown = as_drawn(warning.value)
    assert "'2026-11-31' is not a YYYY-MM-DD date" in shown
    assert (
        at.session_state[CURRENT_SCENARIO]["tariff_steps"] == Scenario().to_dict()["tariff_steps"]
    )


def test_a_scenario_file_carries_its_steps_and_a_bad_one_is_named():
    specs = {s.name: s for s in PARAMETERS}
    good = json.dumps({"tariff_china": 56.6, "tariff_steps": {"china": {"2026-11-10": 56.6}}})
    values, problems = scenario_file_values(good.encode(), specs)
    assert problems == []
    assert values["tariff_steps"] == {"china": {"2026-11-10": 56.6}}
    bad = json.dumps({"tariff_steps": {"china": {"2026-11-10": 560}}})
    _, problems = scenario_file_values(bad.encode(), specs)
    assert any("outside the allowed range" in p for p in problems)


def test_changed_steps_are_listed_against_the_baseline_and_kept_in_the_link_to_copy():
    at = open_page(PAGE, tariff_steps=LAPSE)
    [listed] = [m.value for m in at.markdown if "What this scenario changes" in m.value]
    assert "Dated tariff steps: **China on US goods: 56.6% from 2026-11-10; United States" in (
        listed
    )
    [link] = [c.value for c in at.code]
    reopened = open_page(PAGE, tariff_steps=urllib.parse.unquote(link.split("tariff_steps=")[1]))
    assert reopened.session_state[CURRENT_SCENARIO] == at.session_state[CURRENT_SCENARIO]


def test_the_default_steps_are_no_change():
    at = open_page(PAGE)
    assert not [m for m in at.markdown if "What this scenario changes" in m.value]
    assert not at.code
