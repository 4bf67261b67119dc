"""Dated tariff steps to annual time-weighted averages."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from model.baseline import load_actuals_cached
from model.tariffs import annual_average, level_at


def steps(**levels: float) -> pd.Series:
    return pd.Series({pd.Timestamp(k[1:].replace("_", "-")): v for k, v in levels.items()})


def test_one_step_mid_year_by_hand():
    # 10% from 2019-01-01, 20% from 2019-07-01: 181 days at 10, 184 days at 20.
    series = steps(d2019_01_01=10.0, d2019_07_01=20.0)
    result = annual_average(series, [2019, 2020])
    assert result[2019] == pytest.approx((181 * 10 + 184 * 20) / 365)
    assert result[2020] == 20.0


def test_years_before_the_first_step_are_gaps_unless_held():
    series = steps(d2018_03_23=3.8, d2018_09_24=12.0)
    plain = annual_average(series, [2017, 2018])
    assert np.isnan(plain[2017])
    # Covered part only: 185 days at 3.8 and 99 days at 12.0.
    assert plain[2018] == pytest.approx((185 * 3.8 + 99 * 12.0) / 284)
    held = annual_average(series, [2017, 2018], hold_first=True)
    assert held[2017] == 3.8
    assert held[2018] == pytest.approx((266 * 3.8 + 99 * 12.0) / 365)


def test_leap_year_and_several_steps():
    # 2020 has 366 days: 21.0 for 44 days, then 19.3 for 322 days.
    series = steps(d2019_09_01=21.0, d2020_02_14=19.3)
    assert annual_average(series, [2020])[2020] == pytest.approx((44 * 21.0 + 322 * 19.3) / 366)


def test_same_day_twice_is_refused():
    series = pd.Series([1.0, 2.0], index=[pd.Timestamp("2020-01-01")] * 2)
    with pytest.raises(ValueError, match="two tariff steps start on 2020-01-01"):
        annual_average(series, [2020])


def test_level_at():
    series = steps(d2025_05_14=51.1, d2025_11_10=47.5)
    assert level_at(series, "2025-12-31") == 47.5
    assert level_at(series, "2025-11-09") == 51.1
    assert np.isnan(level_at(series, "2025-01-01"))


def test_shipped_us_series_gives_the_documented_annual_levels():
    actuals = load_actuals_cached()
    us = annual_average(actuals.tariff_steps(), range(2017, 2026), hold_first=True)
    assert us[2017] == pytest.approx(3.1)
    assert us[2021] == pytest.approx(19.3)
    assert 45 < us[2025] < 55  # 20.8 in January to 124-126.5 in Apr-May to 47.5 in November
    assert us[2019] > us[2018] > us[2017]


# ------------------------------------------------------------------ dated steps in a scenario


def _us_exports(scenario, year=2026):
    from model import simulate

    return simulate(scenario).value("exports_united_states_usd_bn", year)


def test_a_dated_step_weighs_by_the_share_of_the_year_it_holds():
    from model import Scenario
    from model.engine import effective_log_tariff, lambda_of

    # 47.5% from 1 January (the base year's end level), 87.5% from 2026-10-01: 92 of 365 days.
    dated = Scenario(
        tariff_steps={"united_states": {"2026-10-01": 87.5}}, tariff_united_states=87.5
    )
    s = dated
    k = float(lambda_of(s.sigma, s.sigma_1) * s.sigma)  # the year-one response
    share = 92 / 365
    logs = np.log1p(np.array([[0.475], [0.875]]))
    annual = 100 * np.expm1(
        effective_log_tariff(np.array([1 - share, share]), logs, np.array([[k]]))
    )
    level = float(annual[0, 0])
    assert 47.5 < level < 47.5 + share * 40  # the mean of the factor lies below the days mean
    same = Scenario(
        tariff_steps={}, tariff_united_states=87.5, tariff_path={"united_states": {2026: level}}
    )
    assert _us_exports(dated) == pytest.approx(_us_exports(same), rel=1e-9)
    # The step moves the year by about its share of a whole year's move, less for the 2027 ...
    whole = Scenario(
        tariff_steps={}, tariff_united_states=87.5, tariff_path={"united_states": {2026: 87.5}}
    )
    none = Scenario(
        tariff_steps={}, tariff_united_states=87.5, tariff_path={"united_states": {2026: 47.5}}
    )
    moved = np.log(_us_exports(dated) / _us_exports(none))
    full = np.log(_us_exports(whole) / _us_exports(none))
    assert moved / full == pytest.approx(share, abs=0.05)
    # ... and a higher tariff never raises exports to that region.
    assert _us_exports(whole) < _us_exports(dated) < _us_exports(none)


def test_steps_decide_their_year_and_the_slider_the_years_after():
    from model import Scenario

    s = Scenario(tariff_united_states=60.0)
    assert s.year_pieces("united_states", 2026, 47.5) == [
        ("2026-01-01", 47.5),
        ("2026-02-24", 31.9),
        ("2026-07-24", 33.0),
    ]
    assert s.year_pieces("united_states", 2027, 47.5) == [("2027-01-01", 60.0)]
    later = Scenario(tariff_steps={"china": {"2027-06-01": 50.0}}, tariff_china=20.0)
    assert later.year_pieces("china", 2027, 32.6) == [("2027-01-01", 20.0), ("2027-06-01", 50.0)]


def test_default_steps_are_the_data_rows_of_the_model_series():
    from model.baseline import TARIFF_SERIES, load_actuals_cached
    from model.params import POLICY_STEPS

    steps = load_actuals_cached().tariff_steps(
        imposed_by="United States", imposed_on="China", series=TARIFF_SERIES
    )
    after = steps[steps.index >= pd.Timestamp("2026-01-01")]
    assert [(d.strftime("%Y-%m-%d"), v) for d, v in after.items()] == [
        (s.date, s.level) for s in POLICY_STEPS if s.key == "united_states"
    ]


@pytest.mark.parametrize(
    "steps, phrase",
    [
        ({"mars": {"2026-03-01": 5.0}}, "not a region slug"),
        ({"china": {"2026-13-01": 5.0}}, "not a YYYY-MM-DD date"),
        ({"china": {"1 March 2026": 5.0}}, "not a YYYY-MM-DD date"),
        ({"china": {"2025-03-01": 5.0}}, "outside the years allowed"),
        ({"china": {"2026-03-01": 500.0}}, "outside the allowed range"),
        ({"china": {"2026-03-01": "5"}}, "not a number"),
        ({"china": [5.0]}, "must map a date"),
        ("china:2026-03-01:5", "must map a region slug"),
    ],
)
def test_bad_dated_steps_are_refused_with_their_name(steps, phrase):
    from model import Scenario

    with pytest.raises(ValueError, match=phrase):
        Scenario(tariff_steps=steps)


def test_steps_round_trip_through_json_and_link_text():
    from model import Scenario
    from model.scenario import steps_from_text, steps_to_text

    s = Scenario(
        tariff_steps={"china": {"2026-11-10": 56.6}, "united_states": {"2026-11-10": 37.5}}
    )
    assert Scenario.from_json(s.to_json()) == s
    assert Scenario(tariff_steps=steps_from_text(steps_to_text(s))) == s
    with pytest.raises(ValueError, match="not key:YYYY-MM-DD:level"):
        steps_from_text("china-2026-11-10-56.6")
