"""The current year month by month: seasonal profile, model, naive, full-year estimate."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from model import simulate
from model.__main__ import main
from model.nowcast import PERIODS, nowcast, seasonal_profile


def _monthly(year: int, exports: list[float], imports: list[float]) -> pd.DataFrame:
    months = [f"{year}-{last:02d}" for _, last, _ in PERIODS]
    return pd.DataFrame(
        {
            "month": months,
            "months": [n for *_, n in PERIODS],
            "exports_usd_bn": exports,
            "imports_usd_bn": imports,
            "balance_usd_bn": [x - m for x, m in zip(exports, imports, strict=True)],
        }
    )


def test_the_profile_is_the_mean_share_of_each_period_over_complete_years():
    flat = [20.0] + [10.0] * 10  # Jan-Feb 20 of 120, then 10 a month
    front = [50.0] + [5.0] * 10  # Jan-Feb 50 of 100
    both = pd.concat([_monthly(2023, flat, flat), _monthly(2024, front, flat)])
    partial = _monthly(2025, flat, flat).iloc[:5]  # not a complete year: left out
    profile, years = seasonal_profile(pd.concat([both, partial]), before=2026)
    assert years == (2023, 2024)
    assert profile.loc["Jan-Feb", "exports"] == pytest.approx((20 / 120 + 50 / 100) / 2)
    assert profile.loc["Mar", "exports"] == pytest.approx((10 / 120 + 5 / 100) / 2)
    assert profile.loc["Jan-Feb", "imports"] == pytest.approx(20 / 120)
    assert profile.sum().to_numpy() == pytest.approx([1.0, 1.0])
    with pytest.raises(ValueError, match="all twelve months"):
        seasonal_profile(partial, before=2026)


@pytest.fixture(scope="module")
def result():
    return nowcast(draws=256)


def test_the_published_months_of_2026_with_the_model_spread_by_the_profile(result):
    table = result.table.set_index("month")
    months = ["2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08"]
    assert list(table.index) == months
    assert table.loc["2026-02", "exports_actual"] == 656.58
    assert table.loc["2026-05", "balance_actual"] == 105.4
    year = simulate().path.set_index("year").loc[2026]
    profile = result.profile.set_index("period")
    assert table.loc["2026-02", "exports_model"] == pytest.approx(
        year["exports_usd_bn"] * profile.loc["Jan-Feb", "exports"]
    )
    assert result.profile_years == (2023, 2024, 2025)
    assert result.cumulative["balance_actual"].iloc[3] == pytest.approx(454.95)  # Jan-May
    assert result.cumulative["balance_actual"].iloc[-1] == pytest.approx(812.14)


def test_the_full_year_is_the_actual_months_plus_the_model_for_the_rest(result):
    year = result.full_year.set_index("series")
    for series in ("exports", "imports", "balance"):
        row = year.loc[series]
        assert row["estimate"] == pytest.approx(row["actual_to_date"] + row["model_rest"])
        assert row["low"] < row["high"]
    exports = year.loc["exports"]
    profile = result.profile.set_index("period")
    rest = profile.loc[["Sep", "Oct", "Nov", "Dec"], "exports"].sum()
    assert exports["model_rest"] == pytest.approx(exports["model_year"] * rest)
    # The band: the published months plus the same share of the year's 5th and 95th
    # percentiles over the draws of the behavioural parameters.
    from model import Scenario, uncertainty

    bands = uncertainty(Scenario(), n=256, seed=0, percentiles=(5, 95))
    p5 = bands[(bands["year"] == 2026) & (bands["series"] == "exports_usd_bn")]["p5"].iloc[0]
    assert exports["low"] == pytest.approx(exports["actual_to_date"] + rest * p5)
    assert result.sentence().startswith("Jan-Aug 2026: actual surplus $812 bn, model $")


def test_the_command_line_prints_the_months_and_the_full_year(capsys):
    assert main(["nowcast"]) == 0
    months, year = capsys.readouterr().out.strip().split("\n\n")
    lines = months.splitlines()
    assert lines[0].split(",") == [
        "month",
        *(
            f"{s}_{k}"
            for s in ("exports", "imports", "balance")
            for k in ("actual", "model", "naive")
        ),
    ]
    published = nowcast(draws=16).table["month"].tolist()
    assert [line.split(",")[0] for line in lines[1:]] == published
    assert published[-1] == "2026-08"
    assert lines[1].startswith("2026-02,656.5800,")
    assert year.splitlines()[0].startswith("series,actual_to_date,model_rest,estimate,low,high")


def test_the_year_so_far_stops_at_its_first_missing_month():
    from model.baseline import load_actuals_cached

    actuals = load_actuals_cached()
    monthly = actuals.monthly[actuals.monthly["month"] != "2026-06"]
    result = nowcast(replace(actuals, monthly=monthly), draws=16)
    assert list(result.table["month"]) == ["2026-02", "2026-03", "2026-04", "2026-05"]
    assert result.span == "Jan-May 2026"
