"""Presets: valid scenarios built from the data, each with a description and a source."""

from __future__ import annotations

import pytest

from model import PRESETS, Scenario, simulate
from model.presets import SHARE_2030_TARGET, solve_export_price

US = "exports_united_states_usd_bn"


def test_presets_are_valid_and_documented():
    assert set(PRESETS) == {"truce", "collapse", "us_2018", "eu_matches", "slowdown", "share_16_5"}
    for name, preset in PRESETS.items():
        assert preset.name == name
        assert isinstance(preset.scenario, Scenario)
        assert Scenario.from_json(preset.scenario.to_json()) == preset.scenario
        assert len(preset.description) > 40 and len(preset.source) > 20
        assert simulate(preset.scenario).path.notna().all().all()


def test_preset_levels_come_from_the_tariff_events():
    assert PRESETS["truce"].scenario.tariff_united_states == 47.5
    assert PRESETS["collapse"].scenario.tariff_united_states == 124.1
    assert PRESETS["us_2018"].scenario.tariff_united_states == 12.0
    assert PRESETS["eu_matches"].scenario.tariff_european_union == 47.5
    assert PRESETS["slowdown"].scenario.world_trade == 0.5


def test_tariff_presets_order_exports_to_the_us():
    def us_2030(name: str) -> float:
        return simulate(PRESETS[name].scenario).value(US, 2030)

    assert us_2030("collapse") < us_2030("truce") < us_2030("us_2018")


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
