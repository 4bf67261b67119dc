"""The shipped figures in data/, checked against hand-written expected numbers.

These tests read the CSV files directly, so that a wrong figure is caught even
if the loader in model/data.py changes. The expected numbers are the published
headline figures (China customs, US dollars) that a user of the app arrives with.
"""

import json
from pathlib import Path

import pandas as pd
import pytest

DATA = Path(__file__).parent.parent / "data"
PACKAGE = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
RESOURCES = {resource["name"]: resource for resource in PACKAGE["resources"]}
#: The files shipped: every required one, and the optional ones present (a refresh
#: with a Comtrade key writes the HS-chapter file; a clone has none).
SHIPPED = sorted(
    name
    for name, resource in RESOURCES.items()
    if not resource.get("optional") or (DATA / resource["path"]).exists()
)


def read(name: str) -> pd.DataFrame:
    """One resource of the package, read as plain CSV (blank cells become NaN)."""
    return pd.read_csv(DATA / RESOURCES[name]["path"], keep_default_na=False, na_values=[""])


def annual_row(year: int) -> pd.Series:
    table = read("annual")
    rows = table[table["year"] == year]
    assert len(rows) == 1, f"expected one annual row for {year}, found {len(rows)}"
    return rows.iloc[0]


# ----------------------------------------------------------------- headline figures


def test_2024_surplus_is_992_1():
    assert annual_row(2024)["balance_usd_bn"] == pytest.approx(992.1, abs=0.001)


def test_2025_exports_are_about_3_77_trillion():
    assert annual_row(2025)["exports_usd_bn"] == pytest.approx(3770, abs=10)


def test_2025_surplus_is_about_1_19_trillion():
    assert annual_row(2025)["balance_usd_bn"] == pytest.approx(1189, abs=5)


def test_2025_imports_are_about_2_58_trillion():
    assert annual_row(2025)["imports_usd_bn"] == pytest.approx(2580, abs=10)


def test_2026_months_against_their_sources():
    monthly = read("monthly").set_index("month")
    jan_feb = monthly.loc["2026-02"]
    assert jan_feb["months"] == 2
    assert jan_feb["exports_usd_bn"] == pytest.approx(656.58, abs=0.001)  # GAC table 2.2026
    assert jan_feb["imports_usd_bn"] == pytest.approx(442.96, abs=0.001)
    assert jan_feb["released"] == "2026-03-10"
    assert monthly.loc["2026-05", "balance_usd_bn"] == pytest.approx(105.4, abs=0.001)
    assert monthly.loc["2026-05", "released"] == "2026-06-09"
    # Jan-May 2026 surplus about 455, some 3.6% below Jan-May 2025 (471.9).
    year = monthly[monthly.index.str.match("2026-0[2-5]")]["balance_usd_bn"].sum()
    before = monthly[monthly.index.str.match("2025-0[2-5]")]["balance_usd_bn"].sum()
    assert year == pytest.approx(455, abs=0.5)
    assert before == pytest.approx(472.5, abs=0.1)
    # Jan-Aug 2026 surplus 812.14: 'tops $800bn for year' (Nikkei Asia 2026-09-08).
    assert monthly.loc["2026-06", "exports_usd_bn"] == 412  # 'a record $412 billion'
    eight = monthly[monthly.index.str.startswith("2026-")]["balance_usd_bn"].sum()
    assert eight == pytest.approx(812.14)
    assert monthly.loc["2026-08", "released"] == "2026-09-08"
    # March-May, July and August levels are derived from growth on the 2025 month.
    for month in ("2026-03", "2026-04", "2026-05", "2026-07", "2026-08"):
        assert "derived" in monthly.loc[month, "note"]
        assert monthly.loc[month, "rounded_to_usd_bn"] == 1


def test_2026_exports_by_partner_against_their_sources():
    partners = read("partners_ytd").set_index(["first_month", "last_month", "partner"])
    us = partners.loc[("2026-01", "2026-02", "United States")]
    assert us["exports_usd_bn"] == pytest.approx(67.24)
    assert us["exports_yoy_pct"] == pytest.approx(-11.0)
    assert round(67.24 / 75.56 - 1, 3) == -0.110  # the level a year before
    assert partners.loc[("2026-01", "2026-02", "ASEAN"), "exports_yoy_pct"] == 29.4
    assert partners.loc[("2026-01", "2026-04", "Russia"), "exports_usd_bn"] == 37.83
    gaps = partners.xs("2026-05", level="last_month")
    assert gaps[["exports_usd_bn", "exports_yoy_pct"]].isna().all().all()  # gaps stay gaps
    assert gaps["note"].str.startswith("not found").all()


def test_2026_tariff_events_against_their_sources():
    tariffs = read("tariffs")
    ruling = tariffs[tariffs["series"].str.startswith("IEEPA") & (tariffs["value_pct"] == 0)]
    assert set(ruling["date"]) == {"2026-02-20"}
    assert ruling["source"].str.contains("24-1287").all()
    piie = tariffs[tariffs["series"] == "PIIE trade-weighted average"].set_index("date")
    assert piie.loc["2026-02-24", "value_pct"] == pytest.approx(47.5 - 20 + (23.7 - 19.3))
    assert piie.loc["2026-07-24", "value_pct"] == pytest.approx(47.5 - 20 + 12.5 * 0.44, abs=0.05)
    yale = tariffs[tariffs["series"] == "Yale Budget Lab statutory effective rate"]
    assert list(yale["value_pct"]) == [23.7]


def test_november_2025_exports_and_imports():
    monthly = read("monthly")
    rows = monthly[monthly["month"] == "2025-11"]
    assert len(rows) == 1
    row = rows.iloc[0]
    assert row["months"] == 1
    assert row["exports_usd_bn"] == pytest.approx(330.3, abs=0.001)
    assert row["imports_usd_bn"] == pytest.approx(218.6, abs=0.001)


def test_exports_to_the_us_fell_18_to_22_percent_in_2025():
    regions = read("exports_by_region")
    us = regions[regions["region"] == "United States"].set_index("year")["exports_usd_bn"]
    change = us[2025] / us[2024] - 1
    assert -0.22 <= change <= -0.18, f"exports to the US changed {change:.1%} in 2025"


@pytest.mark.parametrize("year", [2023, 2024])
def test_world_share_is_between_13_5_and_15_5_percent(year):
    row = annual_row(year)
    share = 100 * row["exports_usd_bn"] / row["world_exports_usd_bn"]
    assert 13.5 <= share <= 15.5, f"China's world share in {year} is {share:.2f}%"


def test_2018_exports_to_the_us():
    regions = read("exports_by_region")
    rows = regions[(regions["region"] == "United States") & (regions["year"] == 2018)]
    assert rows.iloc[0]["exports_usd_bn"] == pytest.approx(478.4, abs=0.001)


# ------------------------------------------------------------------- file structure


@pytest.mark.parametrize("name", SHIPPED)
def test_header_equals_the_schema_fields_in_order(name):
    expected = [field["name"] for field in RESOURCES[name]["schema"]["fields"]]
    with (DATA / RESOURCES[name]["path"]).open(encoding="utf-8") as handle:
        header = handle.readline().rstrip("\r\n").split(",")
    assert header == expected


@pytest.mark.parametrize("name", SHIPPED)
def test_every_row_names_its_source(name):
    table = read(name)
    assert len(table) > 0
    blank = table["source"].isna() | (table["source"].astype(str).str.strip() == "")
    assert not blank.any(), f"{name}: rows without a source: {list(table.index[blank] + 2)}"


@pytest.mark.parametrize("name", SHIPPED)
def test_no_primary_key_repeats(name):
    key = RESOURCES[name]["schema"]["primaryKey"]
    table = read(name)
    assert not table.duplicated(subset=key).any()


# ------------------------------------------------------------------ consistency


def test_annual_covers_2000_to_2025_once_each():
    years = read("annual")["year"].tolist()
    assert sorted(years) == list(range(2000, 2026))


@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_monthly_balances_cover_each_month_exactly_once(year):
    monthly = read("monthly")
    rows = monthly[monthly["month"].str.startswith(f"{year}-")]
    assert rows["balance_usd_bn"].notna().all()
    covered = []
    for _, row in rows.iterrows():
        last = int(row["month"][5:7])
        covered += list(range(last - int(row["months"]) + 1, last + 1))
    assert sorted(covered) == list(range(1, 13))


def test_two_month_rows_are_january_february():
    monthly = read("monthly")
    combined = monthly[monthly["months"] == 2]
    assert combined["month"].str.endswith("-02").all()


@pytest.mark.parametrize("name", ["annual", "monthly"])
def test_balance_equals_exports_less_imports_within_rounding(name):
    table = read(name).dropna(subset=["exports_usd_bn", "imports_usd_bn", "balance_usd_bn"])
    gap = (table["exports_usd_bn"] - table["imports_usd_bn"] - table["balance_usd_bn"]).abs()
    assert (gap <= table["rounded_to_usd_bn"] + 0.011).all()


def test_named_regions_never_exceed_the_annual_total():
    totals = read("annual").set_index("year")["exports_usd_bn"]
    named = read("exports_by_region").groupby("year")["exports_usd_bn"].sum()
    for year, value in named.items():
        assert value <= totals[year], f"named regions add up to {value:.1f} in {year}"


def test_regions_are_the_schema_regions():
    field = next(
        f for f in RESOURCES["exports_by_region"]["schema"]["fields"] if f["name"] == "region"
    )
    assert set(read("exports_by_region")["region"]) <= set(field["constraints"]["enum"])


def test_us_tariff_average_is_a_clean_step_series():
    tariffs = read("tariffs")
    steps = tariffs[
        (tariffs["imposed_by"] == "United States")
        & (tariffs["imposed_on"] == "China")
        & (tariffs["series"] == "PIIE trade-weighted average")
    ]
    dates = pd.to_datetime(steps["date"], format="mixed")
    assert dates.is_unique
    assert dates.is_monotonic_increasing
    by_date = dict(zip(steps["date"], steps["value_pct"], strict=True))
    assert by_date["2020-02-14"] == pytest.approx(19.3)
    assert by_date["2025-01-20"] == pytest.approx(20.8)
    assert by_date["2025-04-10"] == pytest.approx(124.1)
    assert by_date["2025-05-14"] == pytest.approx(51.1)
    assert by_date["2025-11-10"] == pytest.approx(47.5)


def test_drivers_kinds_and_projection_values():
    drivers = read("drivers")
    assert set(drivers["kind"]) <= {"actual", "projection"}
    projections = drivers[drivers["kind"] == "projection"].set_index(["series", "year"])["value"]
    assert projections[("world_trade_volume_growth_imf_pct", 2026)] == pytest.approx(2.6)
    assert projections[("world_trade_volume_growth_imf_pct", 2027)] == pytest.approx(3.1)
    assert projections[("world_trade_volume_growth_pct", 2026)] == pytest.approx(1.9)


def test_filled_driver_actuals_are_plausible_and_sourced():
    drivers = read("drivers")
    actual = drivers[(drivers["kind"] == "actual") & drivers["value"].notna()]
    ranges = {
        "cny_per_usd": (6.0, 7.5),
        "us_goods_imports_usd_bn": (2000, 4000),
        "us_real_gdp_growth_pct": (-10, 10),
        "euro_area_real_gdp_growth_pct": (-10, 10),
        "world_real_gdp_growth_pct": (-5, 7),
        "asean5_real_gdp_growth_pct": (-10, 10),
    }
    for series, (low, high) in ranges.items():
        values = actual[actual["series"] == series]["value"]
        assert values.between(low, high).all(), f"{series} outside {low}..{high}"
    units = drivers.groupby("series")["unit"].nunique()
    assert (units == 1).all(), f"series with more than one unit: {list(units[units > 1].index)}"


def test_driver_anchor_figures():
    drivers = read("drivers")
    actual = drivers[drivers["kind"] == "actual"].set_index(["series", "year"])["value"]
    assert actual[("cny_per_usd", 2019)] == pytest.approx(6.8985)
    assert actual[("cny_per_usd", 2023)] == pytest.approx(7.0467)
    assert actual[("us_goods_imports_usd_bn", 2017)] == pytest.approx(2342.9)
    assert actual[("world_real_gdp_growth_pct", 2019)] == pytest.approx(2.9)


@pytest.mark.parametrize("name", SHIPPED)
def test_every_file_is_written_as_a_refresh_writes_it(name):
    # Minimal quoting and \n line ends, as model.refresh writes: a refresh that changes
    # one figure then changes no other byte of the file.
    import csv
    import io

    text = (DATA / RESOURCES[name]["path"]).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    assert text == out.getvalue()
