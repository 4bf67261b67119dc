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
