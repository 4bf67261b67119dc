"""Every page opened by its own URL on a freshly started server, with a screenshot."""

import pytest
from playwright.sync_api import expect

PAGES = {
    "home": ("/", "stMetricValue"),
    "scenario": ("/Scenario", "stVegaLiteChart"),
    "backtest": ("/Backtest", "stVegaLiteChart"),
    "compare": ("/Compare", "stVegaLiteChart"),
    "data": ("/Data", "stDataFrame"),
    "methodology": ("/Methodology", "stMarkdown"),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_each_page_opens_by_its_own_url(page, server, screenshots, name):
    path, test_id = PAGES[name]
    page.goto(server + path)
    nav = page.get_by_test_id("stSidebar").get_by_test_id("stPageLink-NavLink")
    expect(nav).to_have_count(6)
    expect(nav.first).to_contain_text("Home")
    expect(page.get_by_test_id(test_id).first).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    page.wait_for_load_state("networkidle")
    # Streamlit draws a grey skeleton for an element whose code is still loading.
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0)
    expect(page.get_by_test_id("stSkeletonElement")).to_have_count(0)
    for chart in page.get_by_test_id("stVegaLiteChart").all():
        expect(chart.locator("canvas, svg").first).to_be_attached()
    for table in page.get_by_test_id("stDataFrame").all():
        if table.is_visible():  # tables in a closed expander are not drawn
            expect(table.locator("canvas").first).to_be_attached()
    page.screenshot(path=screenshots / f"{name}.png", full_page=True)
