"""Presets: valid scenarios built from the data, each with a description and a source."""

from __future__ import annotations

import numpy as np
import pytest

from model import PRESETS, Scenario, load_baseline, simulate
from model.presets import SHARE_2030_TARGET, solve_export_price
from model.simulate import scenario_paths

US = "exports_united_states_usd_bn"


def test_presets_are_valid_and_documented():
    assert set(PRESETS) == {
        "truce",
        "truce_lapses",
        "section_122",
        "ieepa_restored",
        "collapse",
        "us_2018",
        "eu_matches",
        "slowdown",
        "share_16_5",
    }
    for name, preset in PRESETS.items():
        assert preset.name == name
        assert isinstance(preset.scenario, Scenario)
        assert Scenario.from_json(preset.scenario.to_json()) == preset.scenario
        assert len(preset.description) > 40 and len(preset.source) > 20
        assert simulate(preset.scenario).path.notna().all().all()


def test_preset_levels_come_from_the_tariff_events():
    assert PRESETS["truce"].scenario.tariff_united_states == 33.0  # since 2026-07-24
    assert PRESETS["truce"].scenario.tariff_china == 32.6
    assert PRESETS["truce_lapses"].scenario.tariff_china == pytest.approx(32.6 + 24)
    assert PRESETS["truce_lapses"].scenario.step_items("china") == (("2027-01-10", 56.6),)
    assert PRESETS["section_122"].scenario.tariff_united_states == 31.9
    assert PRESETS["ieepa_restored"].scenario.tariff_united_states == 47.5
    assert PRESETS["collapse"].scenario.tariff_united_states == 124.1
    assert PRESETS["us_2018"].scenario.tariff_united_states == 12.0
    assert PRESETS["eu_matches"].scenario.tariff_european_union == 33.0
    assert PRESETS["slowdown"].scenario.world_trade == 1.9


def test_every_preset_keeps_the_2026_steps_as_they_happened():
    happened = Scenario().step_items("united_states")
    for preset in PRESETS.values():
        assert preset.scenario.step_items("united_states") == happened


def test_the_truce_lapsing_lowers_imports_from_2027_and_leaves_us_exports():
    truce = simulate(PRESETS["truce"].scenario)
    lapse = simulate(PRESETS["truce_lapses"].scenario)
    assert lapse.value("imports_usd_bn", 2026) == truce.value("imports_usd_bn", 2026)
    assert lapse.value("imports_usd_bn", 2027) < truce.value("imports_usd_bn", 2027)
    assert lapse.value(US, 2027) == pytest.approx(truce.value(US, 2027), rel=1e-12)


def test_tariff_presets_order_exports_to_the_us():
    def us_2030(name: str) -> float:
        return simulate(PRESETS[name].scenario).value(US, 2030)

    assert us_2030("collapse") < us_2030("ieepa_restored") < us_2030("truce")
    assert us_2030("truce") < us_2030("section_122") < us_2030("us_2018")


def test_share_preset_reaches_16_5_percent_in_2030():
    preset = PRESETS["share_16_5"]
    share = simulate(preset.scenario).value("world_share_pct", 2030)
    assert share == pytest.approx(SHARE_2030_TARGET, abs=1e-3)
    assert "Morgan Stanley" in preset.source
    fall = -preset.scenario.price
    assert fall > 0 and f"fall {fall:.2f}% a year" in preset.description


def test_unreachable_share_raises():
    with pytest.raises(ValueError, match="no export price change"):
        solve_export_price(target=60.0)


def test_the_slowdown_counts_the_slower_world_demand_once():
    baseline = load_baseline()
    slow = PRESETS["slowdown"].scenario
    paths, default = scenario_paths(slow, baseline), scenario_paths(Scenario(), baseline)
    np.testing.assert_array_equal(paths.growth, default.growth)  # no second cut in income
    np.testing.assert_allclose(paths.demand_shift, np.log(1.019 / 1.026))  # 0.7 pp a year
    assert simulate(slow, baseline).value("exports_usd_bn", 2030) < simulate(
        Scenario(), baseline
    ).value("exports_usd_bn", 2030)
