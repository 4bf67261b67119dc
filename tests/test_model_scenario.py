"""The scenario: validation of every field, and the JSON round trip."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.params import PARAMETERS, SPECS, parameter_table
from model.scenario import Scenario


def test_defaults_match_the_parameter_table():
    scenario = Scenario()
    for spec in PARAMETERS:
        assert getattr(scenario, spec.name) == spec.default, spec.name


def test_parameter_table_has_a_source_and_a_range_for_every_input():
    table = parameter_table()
    assert list(table.columns) == [
        "name",
        "label",
        "default",
        "min",
        "max",
        "unit",
        "group",
        "source",
    ]
    assert table["name"].is_unique
    assert (table["min"] <= table["default"]).all() and (table["default"] <= table["max"]).all()
    assert table["source"].str.len().gt(10).all()
    assert set(table["name"]) == set(SPECS)
    assert all(len(name) <= 30 for name in table["name"])


BAD_VALUES = ["below", "above", math.nan, math.inf, -math.inf, "text", True, None]


@pytest.mark.parametrize("name", [s.name for s in PARAMETERS])
@pytest.mark.parametrize("bad", BAD_VALUES, ids=str)
def test_each_bad_field_raises_naming_it(name, bad):
    spec = SPECS[name]
    value = (
        {"below": spec.min - 1, "above": spec.max + 1}.get(bad, bad)
        if isinstance(bad, str)
        else bad
    )
    if bad == "text":
        value = "text"
    with pytest.raises(ValueError, match=name) as error:
        Scenario(**{name: value})
    message = str(error.value)
    assert f"{spec.min:g}" in message and f"{spec.max:g}" in message


def test_out_of_range_message_names_field_value_and_range():
    with pytest.raises(ValueError) as error:
        Scenario(sigma=7.0)
    assert str(error.value) == "sigma = 7 is outside the allowed range 2.5 to 6"


def test_year_one_elasticity_may_not_exceed_the_long_run_one():
    with pytest.raises(ValueError, match=r"sigma_1 = 3 exceeds sigma = 2\.5"):
        Scenario(sigma=2.5, sigma_1=3.0)


def test_years_must_be_whole():
    assert Scenario(end_year=2030.0).end_year == 2030
    with pytest.raises(ValueError, match="end_year"):
        Scenario(end_year=2030.5)


@pytest.mark.parametrize(
    "path, match",
    [
        ({"mars": {2026: 10}}, "not a region slug"),
        ({"united_states": {2025: 10}}, "outside the allowed range 2026 to 2040"),
        ({"united_states": {"next": 10}}, "not a whole year"),
        ({"united_states": {2026: 250}}, "outside the allowed range 0 to 200"),
        ({"united_states": {2026: math.nan}}, "not a finite number"),
        ({"united_states": {2026: "x"}}, "not a number"),
        ({"united_states": [10, 20]}, "must map a year"),
        ([1, 2], "must map a region slug"),
        ({"united_states": {2026: 10, "2026": 20}}, "twice"),
    ],
)
def test_bad_tariff_path_raises(path, match):
    with pytest.raises(ValueError, match=match):
        Scenario(tariff_path=path)


def test_tariff_level_rules():
    scenario = Scenario(
        tariff_united_states=60.0,
        tariff_from=2028,
        tariff_path={"united_states": {2030: 100.0}, "china": {2027: 50.0}},
    )
    assert scenario.tariff_level("united_states", 2026, 47.5) == 47.5
    assert scenario.tariff_level("united_states", 2028, 47.5) == 60.0
    assert scenario.tariff_level("united_states", 2030, 47.5) == 100.0
    assert scenario.tariff_level("china", 2027, 32.6) == 50.0
    assert scenario.tariff_level("china", 2029, 32.6) == scenario.tariff_china


def _values(spec):
    if spec.integer:
        return st.integers(int(spec.min), int(spec.max))
    return st.floats(spec.min, spec.max, allow_nan=False)


@st.composite
def scenarios(draw):
    values = {s.name: draw(_values(s)) for s in PARAMETERS if s.name != "sigma_1"}
    values["sigma_1"] = draw(st.floats(0.76, min(3.0, values["sigma"])))
    keys = draw(st.lists(st.sampled_from(["united_states", "asean", "china"]), unique=True))
    values["tariff_path"] = {
        key: draw(st.dictionaries(st.integers(2026, 2040), st.floats(0, 200), max_size=4))
        for key in keys
    }
    return Scenario(**values)


@settings(max_examples=100, deadline=None)
@given(scenario=scenarios())
def test_json_round_trip_is_exact(scenario):
    text = scenario.to_json()
    again = Scenario.from_json(text)
    assert again == scenario
    assert again.to_json() == text
    assert json.loads(text)["sigma"] == scenario.sigma


def test_json_may_give_a_subset_of_keys():
    assert Scenario.from_json('{"tariff_united_states": 124.1}') == Scenario(
        tariff_united_states=124.1
    )


@pytest.mark.parametrize(
    "text, match",
    [
        ("{", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ('{"sigmaa": 3}', "unknown scenario key"),
        ('{"sigma": "3"}', "sigma"),
        ('{"sigma": NaN}', "NaN is not a number"),
        ('{"end_year": 2050}', "end_year = 2050 is outside the allowed range 2026 to 2040"),
        ('{"tariff_path": {"united_states": {"2026": -1}}}', "outside the allowed range"),
    ],
)
def test_bad_json_raises_a_clear_value_error(text, match):
    with pytest.raises(ValueError, match=match):
        Scenario.from_json(text)


def test_scenario_is_frozen_and_hashable():
    scenario = Scenario(tariff_path={"asean": {2027: 10.0}})
    with pytest.raises(AttributeError):
        scenario.sigma = 4.0  # type: ignore[misc]
    assert hash(scenario) == hash(Scenario(tariff_path={"asean": {"2027": 10.0}}))


def test_sourced_defaults_agree_with_the_data():
    from model.baseline import load_actuals_cached, load_baseline

    baseline = load_baseline()
    actuals = load_actuals_cached()
    scenario = Scenario()
    us = baseline.regions.index("United States")
    assert baseline.tariff_end[us] == 47.5  # the base year's end: the Nov 2025 truce
    steps = actuals.tariff_steps(
        imposed_by="United States", imposed_on="China", series="PIIE trade-weighted average"
    )
    assert scenario.tariff_united_states == steps.iloc[-1] == 33.0  # in force today
    assert scenario.tariff_china == baseline.china_tariff_end

    def projection(series: str) -> float:
        return float(actuals.driver(series, kind="projection")[2026])

    assert scenario.growth_united_states == projection("us_real_gdp_growth_pct")
    assert scenario.growth_european_union == projection("euro_area_real_gdp_growth_pct")
    assert scenario.growth_world == projection("world_real_gdp_growth_pct")
    assert scenario.growth_rest_of_world == projection("world_real_gdp_growth_pct")
    assert scenario.growth_china == projection("china_real_gdp_growth_pct")
    assert scenario.world_trade == projection("world_trade_volume_growth_imf_pct")
    for region in ("japan", "south_korea", "india", "russia", "latin_america"):
        assert getattr(scenario, f"growth_{region}") == projection(f"{region}_real_gdp_growth_pct")
    assert scenario.growth_africa == projection("sub_saharan_africa_real_gdp_growth_pct")
