"""The Data page in AppTest: tables with sources and gaps, download, upload."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import as_drawn, open_page
from tests.sample_package import ANNUAL, BY_REGION, TARIFFS

PAGE = "pages/4_Data.py"


def open_data_page(**query) -> AppTest:
    return open_page(PAGE, **query)


def test_the_annual_table_shows_every_row_with_its_source(small_package):
    at = open_data_page()
    table = at.dataframe[0].value
    assert list(table["year"]) == [2025, 2024, 2023, 2022, 2021]  # the latest first
    assert table["source"].notna().all()


def test_gaps_are_counted_and_their_years_named(small_package):
    at = open_data_page()
    gaps = at.dataframe[1].value.set_index("Series")
    assert gaps.loc["World exports, US$ bn", "Gap cells"] == 1
    assert gaps.loc["World exports, US$ bn", "Missing"] == "2025"
    assert gaps.loc["Exports, US$ bn", "Missing"] == "none"
    assert "1 gap cell in this table" in at.markdown[1].value


def test_the_region_table_names_a_missing_import_figure(small_package):
    at = open_data_page(data_table="Exports and imports by partner region")
    gaps = at.dataframe[1].value.set_index("Series")
    assert gaps.loc["European Union: Imports, US$ bn", "Missing"] == "2025"


def test_the_table_offers_a_download(small_package):
    at = open_data_page()
    [button] = at.get("download_button")
    assert button.proto.label == "Download annual.csv (CSV)"


def test_a_bad_upload_lists_its_problems_by_row_and_keeps_the_shipped_data(small_package):
    at = open_data_page()
    bad = ANNUAL.replace("3577.17", "x").replace("2023,3380.02", "2024,3380.02")
    at.file_uploader[0].upload("mine.csv", bad.encode()).run()
    assert not at.exception
    assert "The shipped annual.csv is still in use" in at.error[0].value
    problems = at.dataframe[-1].value
    assert list(problems["row"]) == ["5", "5"]
    assert any("'x' is not a number" in p for p in problems["problem"])
    assert any("duplicate year=2024" in p for p in problems["problem"])
    assert at.dataframe[0].value.loc[3, "exports_usd_bn"] == pytest.approx(3577.17)
    assert not at.info  # no upload in use


def test_a_good_upload_is_used_for_the_session_and_can_be_undone(small_package):
    at = open_data_page()
    better = ANNUAL.replace("3577.17,2585.07,992.1", "3580,2588,992")
    at.file_uploader[0].upload("mine.csv", better.encode()).run()
    assert not at.exception and not at.error
    [note] = at.info
    assert "1 row changed: 2024." in as_drawn(note.value)
    assert at.dataframe[0].value.loc[3, "exports_usd_bn"] == pytest.approx(3577.17)  # not yet
    at.button(key="data_upload_use").click().run()
    assert at.success and not at.error
    assert at.dataframe[0].value.loc[3, "exports_usd_bn"] == 3580
    at.switch_page("app.py").run()
    assert at.metric[1].proto.delta == f"{100 * (3771.87 / 3580 - 1):+.1f}% on 2024"
    at.switch_page(PAGE).run()
    at.button(key="data_restore_annual").click().run()
    assert at.dataframe[0].value.loc[3, "exports_usd_bn"] == pytest.approx(3577.17)


def test_an_uploaded_region_file_is_checked_against_the_totals(small_package):
    at = open_data_page()
    at.selectbox(key="data_upload_target").select("exports_by_region").run()
    too_big = BY_REGION.replace("665.2", "9665.2")
    at.file_uploader[0].upload("regions.csv", too_big.encode()).run()
    assert not at.exception
    assert "more than the year's total" in at.dataframe[-1].value["problem"].iloc[0]


@pytest.mark.parametrize("given", ["Monthly totals", "monthly", "MONTHLY", "monthly.csv"])
def test_a_link_opens_the_table_it_names_by_name_title_or_file_and_says_so(given):
    at = open_data_page(data_table=given)
    assert not at.warning
    assert at.subheader[0].value == "Monthly totals"
    assert at.info[0].value == "The link opened this table: Monthly totals (monthly.csv)."
    months = list(at.dataframe[0].value["month"])
    assert months == sorted(months, reverse=True)


def test_a_link_to_a_table_that_does_not_exist_lists_the_names_it_takes():
    at = open_data_page(data_table="quarterly")
    [warning] = at.warning
    assert "'quarterly' is not one of the choices" in warning.value
    assert "monthly" in warning.value and "Monthly totals" in warning.value
    assert not at.info


def test_a_file_cut_short_shows_the_rows_it_lacks_before_it_replaces_anything(small_package):
    at = open_data_page()
    at.selectbox(key="data_upload_target").select("tariffs").run()
    cut = "".join(TARIFFS.splitlines(keepends=True)[:3])  # the header and 2 of 5 rows
    at.file_uploader[0].upload("tariffs.csv", cut.encode()).run()
    assert not at.exception and not at.error
    [note] = at.warning
    text = as_drawn(note.value)
    assert "the shipped file has 5 rows, the upload 2." in text
    assert "3 rows missing from the upload: 2025-04-10 United States China PIIE" in text
    assert not at.success
    at.button(key="data_upload_keep").click().run()
    assert not at.warning and not at.success
    at.switch_page("pages/2_Backtest.py").run()
    assert not at.exception


def test_an_unchanged_file_says_so(small_package):
    at = open_data_page()
    at.file_uploader[0].upload("annual.csv", ANNUAL.encode()).run()
    [note] = at.info
    assert "the same 5 rows, no cell changed" in as_drawn(note.value)


def test_the_markets_table_opens_with_its_gap_report(small_package):
    at = open_data_page(data_table="Destination markets: imports by origin")
    assert not at.exception
    table = at.dataframe[0].value
    assert table.empty and len(table.columns) == 7  # the small package has no markets file
    assert "0 gap cells in this table" in at.markdown[1].value


def test_the_hs_chapter_table_opens_without_its_file(small_package):
    # Optional, and only a refresh with a UN Comtrade key writes it: an empty table.
    at = open_data_page(data_table="Exports by partner and HS chapter")
    assert not at.exception
    table = at.dataframe[0].value
    assert table.empty and len(table.columns) == 6
    assert "0 gap cells in this table" in at.markdown[1].value


def shipped_tables() -> list[str]:
    import json

    from model.data import DATA_DIR

    package = json.loads((DATA_DIR / "datapackage.json").read_text())
    return [
        resource["name"]
        for resource in package["resources"]
        if (DATA_DIR / resource["path"]).exists()  # the HS-chapter file only after a refresh
    ]


@pytest.mark.parametrize("name", shipped_tables())
def test_every_table_the_page_lists_opens_with_its_rows_and_gaps(name):
    # The markets table, listed since the model on markets, raised a KeyError.
    at = open_data_page(data_table=name)
    assert not at.exception
    table, gaps = at.dataframe[0].value, at.dataframe[1].value
    assert len(table) > 0 and len(gaps) > 0
