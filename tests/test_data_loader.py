"""The loader's checks, on a small package written for each test, and on the shipped files."""

from pathlib import Path

import pandas as pd
import pytest

from model.data import (
    DATA_DIR,
    REST_OF_WORLD,
    DataError,
    check_upload,
    load_actuals,
    replace_table,
    to_safe_csv,
)
from tests.sample_package import BY_REGION, write_package
from tests.sample_package import FILES as SAMPLE_FILES

SHIPPED = Path(__file__).resolve().parent.parent / "data"

ANNUAL = """year,exports_usd_bn,imports_usd_bn,balance_usd_bn,world_exports_usd_bn,rounded_to_usd_bn,source,note
2023,3380.0,2556.8,823.2,24010,0.1,GAC 2024-01-12,
2024,3577.2,2585.1,992.1,24430,0.1,GAC 2025-01-13,
2025,3770,2580,1189,,10,GAC via AP 2026-01-14,world exports not found
"""
MONTHLY = """month,months,exports_usd_bn,imports_usd_bn,balance_usd_bn,exports_yoy_pct,imports_yoy_pct,rounded_to_usd_bn,source,note,released
2025-02,2,540,369.48,170.52,2.3,-8.4,1,AP 2025-03-08,,
2025-03,1,313.9,211.3,102.6,12.4,-4.3,0.1,AP 2025-04-13,,
2026-02,2,656.58,442.96,213.62,21.8,19.8,0.01,GAC table 2.2026,,2026-03-10
2026-03,1,321.75,270.04,51.13,2.5,27.8,1,FocusEconomics 2026-04,levels = 2025 level x (1 + growth),
"""
# The shared sample's regions, tariffs and drivers, with this file's annual and monthly
# figures: rounded ones (2025 to $10 bn) for the checks of the published rounding.
FILES = {**SAMPLE_FILES, "annual.csv": ANNUAL, "monthly.csv": MONTHLY}


@pytest.fixture
def package(tmp_path: Path) -> Path:
    return write_package(tmp_path, FILES)


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_actuals(folder)
    return [str(p) for p in caught.value.problems]


def test_a_valid_package_loads_and_computes_share_and_rest_of_world(package):
    actuals = load_actuals(package)
    assert actuals.annual.loc[2024, "world_share_pct"] == pytest.approx(100 * 3577.2 / 24430)
    assert pd.isna(actuals.annual.loc[2025, "world_share_pct"])  # a gap stays a gap
    regions = actuals.exports_by_region(2025)
    assert list(regions.index) == ["United States", "European Union", "ASEAN", REST_OF_WORLD]
    assert regions[REST_OF_WORLD] == pytest.approx(3770 - 420.05 - 559.9 - 665.2)
    assert regions.sum() == pytest.approx(3770)
    steps = actuals.tariff_steps()
    assert list(steps) == [3.1, 20.8, 124.1, 51.1, 47.5]
    assert steps.index[2] == pd.Timestamp("2025-04-10")
    assert actuals.driver("china_real_gdp_growth_pct").to_dict() == {2025: 5.0}
    assert actuals.driver("world_trade_volume_growth_pct", kind="projection").to_dict() == {
        2026: 0.5
    }


def test_a_missing_column_names_the_file_and_column(package):
    edit(package, "annual.csv", ",imports_usd_bn", "")
    edit(package, "annual.csv", ",3380.0,2556.8", ",3380.0")
    found = problems_of(package)
    assert any("annual.csv" in p and "'imports_usd_bn'" in p and "missing" in p for p in found)


def test_text_in_a_number_column_names_file_row_and_column(package):
    edit(package, "annual.csv", "3577.2", "about 3.58tn")
    found = problems_of(package)
    assert found == ["annual.csv, row 3, column 'exports_usd_bn': 'about 3.58tn' is not a number"]


def test_a_duplicate_year_names_both_rows(package):
    edit(package, "annual.csv", "2025,3770", "2024,3770")
    found = problems_of(package)
    assert found == ["annual.csv, row 4: duplicate year=2024 (first at row 3)"]


def test_a_balance_that_does_not_add_up_is_caught(package):
    edit(package, "annual.csv", "992.1", "952.1")
    [message] = problems_of(package)
    assert message.startswith("annual.csv, row 3, column 'balance_usd_bn': balance 952.1 differs")


def test_a_balance_within_the_published_rounding_passes(package):
    # 3770 - 2580 = 1190 against a published 1189: within the $10 bn rounding of the row.
    assert load_actuals(package).annual.loc[2025, "balance_usd_bn"] == 1189


def test_a_missing_file_is_named(package):
    (package / "drivers.csv").unlink()
    assert problems_of(package) == ["drivers.csv: the file is missing"]


def test_2026_rows_load_as_2025_rows_do(package):
    # A Jan-Feb row with its release date, a month row and a row whose levels are derived.
    monthly = load_actuals(package).monthly.set_index("month")
    assert monthly.loc["2026-02", "months"] == 2
    assert monthly.loc["2026-02", "exports_usd_bn"] == 656.58
    assert monthly.loc["2026-02", "released"] == "2026-03-10"
    assert monthly.loc["2026-03", "balance_usd_bn"] == 51.13
    assert monthly.loc["2026-03", "released"] == ""  # a gap stays a gap
    assert monthly.loc["2025-03", "released"] == ""


def test_a_release_date_in_the_wrong_form_is_refused(package):
    edit(package, "monthly.csv", "2026-03-10", "10 March 2026")
    [message] = problems_of(package)
    assert "monthly.csv, row 4, column 'released'" in message and "expected form" in message


# As the refresh writes it from UN Comtrade (tests/test_refresh.py makes one from the
# recorded answer); figures made for the test.
HS_CHAPTERS = """year,partner,hs_chapter,exports_usd_bn,source,note
2024,World,01,0.0012,"exports: UN Comtrade C/A/HS 156.X.0.01, fetched 2026-12-02",
2024,United States,85,100.0000,"exports: UN Comtrade C/A/HS 156.X.842.85, fetched 2026-12-02",
"""


def test_the_hs_chapter_table_is_optional_and_read_when_present(package):
    assert not (package / "exports_by_hs_chapter.csv").exists()
    assert load_actuals(package).exports_by_hs_chapter.empty  # no file: no table, no problem
    (package / "exports_by_hs_chapter.csv").write_text(HS_CHAPTERS, encoding="utf-8")
    chapters = load_actuals(package).exports_by_hs_chapter
    columns = (chapters.partner, chapters.hs_chapter, chapters.exports_usd_bn)
    assert list(zip(*columns, strict=True)) == [
        ("United States", "85", 100.0),
        ("World", "01", 0.0012),
    ]


def test_an_hs_chapter_table_is_checked_like_the_others(package):
    bad = HS_CHAPTERS.replace("2024,World,01,", "2024,Mars,1,")
    (package / "exports_by_hs_chapter.csv").write_text(bad, encoding="utf-8")
    found = problems_of(package)
    assert len(found) == 2
    assert found[0].startswith("exports_by_hs_chapter.csv, row 2, column 'partner': 'Mars'")
    assert found[1].startswith("exports_by_hs_chapter.csv, row 2, column 'hs_chapter': '1'")


def test_regions_adding_up_to_more_than_the_total_are_caught(package):
    edit(package, "exports_by_region.csv", "665.2", "3665.2")
    [message] = problems_of(package)
    assert "exports_by_region.csv" in message and "more than the year's total" in message


def test_a_january_february_row_cannot_overlap_a_single_month(package):
    (package / "monthly.csv").write_text(
        MONTHLY + "2025-01,1,200,150,50,,,0.1,Made-up clash for the test,,\n", encoding="utf-8"
    )
    assert problems_of(package) == [
        "monthly.csv, row 6, column 'month': 2025-01 is also inside the Jan-Feb row"
    ]


def test_every_problem_is_listed_not_just_the_first(package):
    edit(package, "annual.csv", "3577.2", "x")
    edit(package, "monthly.csv", "313.9", "-5")
    edit(package, "tariffs.csv", "average", "mean")
    found = problems_of(package)
    assert len(found) == 3
    assert any(p == "monthly.csv, row 3, column 'exports_usd_bn': -5 is below 0" for p in found)
    assert any("tariffs.csv, row 2, column 'measure'" in p for p in found)


def test_a_row_without_a_source_is_refused(package):
    edit(package, "drivers.csv", "actual,Test,", "actual,,")
    assert problems_of(package) == ["drivers.csv, row 2, column 'source': a value is required"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"", "the file is empty"),
        (b"\x00\x01\x02binary", "binary file"),
        ("year,exports\n2024,1\n".encode("utf-16"), "UTF-16 text"),
        ("year,note\n2024,Réunion\n".encode("latin-1"), "not UTF-8"),
        (b"year,exports\n2024,1,2,3\n", "unknown column"),
        (ANNUAL.splitlines()[0].encode() + b"\n", "header but no rows"),
        (b"a" * 3_000_001, "larger than"),
    ],
)
def test_malformed_uploads_give_a_message_and_no_table(package, raw, expected):
    table, found = check_upload("annual", raw, load_actuals(package))
    assert table is None
    assert any(expected in str(p) for p in found), found


def test_an_uploaded_region_file_is_checked_against_the_shipped_totals(package):
    actuals = load_actuals(package)
    too_big = BY_REGION.replace("665.2", "9665.2").encode()
    table, found = check_upload("exports_by_region", too_big, actuals)
    assert table is None
    assert [p.file for p in found] == ["uploaded file"]


def test_a_good_upload_replaces_only_its_table(package):
    actuals = load_actuals(package)
    better = ANNUAL.replace("2025,3770,2580,1189,,10", "2025,3771.87,2582.9,1188.97,,0.01")
    table, found = check_upload("annual", better.encode(), actuals)
    assert found == []
    replaced = replace_table(actuals, "annual", table)
    assert replaced.annual.loc[2025, "exports_usd_bn"] == 3771.87
    assert replaced.by_region.equals(actuals.by_region)
    assert actuals.annual.loc[2025, "exports_usd_bn"] == 3770  # the original is untouched


def test_csv_export_neutralises_formulas_in_text_cells():
    table = pd.DataFrame({"name": ['=HYPERLINK("x")', "+1", "plain"], "value": [-1.5, 2.0, 3.0]})
    lines = to_safe_csv(table).decode().splitlines()
    assert lines[1] == '"\'=HYPERLINK(""x"")",-1.5'
    assert lines[2] == "'+1,2.0"
    assert lines[3] == "plain,3.0"


def test_the_shipped_data_passes_every_check():
    actuals = load_actuals()
    assert DATA_DIR == SHIPPED
    assert actuals.annual.index.min() <= 2000 and actuals.annual.index.max() >= 2025
