"""Every page opened by its own URL on a freshly started server (test_reader.py saves
the screenshots, in both themes)."""

import pytest
from playwright.sync_api import expect

from tests.browser.chromium import IPHONE_USER_AGENT

PAGES = {
    "home": ("/", "stMetricValue"),
    "scenario": ("/Scenario", "stVegaLiteChart"),
    "backtest": ("/Backtest", "stVegaLiteChart"),
    "compare": ("/Compare", "stVegaLiteChart"),
    "data": ("/Data", "stDataFrame"),
    "methodology": ("/Methodology", "stMarkdown"),
}


AS_OF = "Actual figures to August 2026, China customs (GAC), released 2026-09-08"


@pytest.mark.parametrize("name", list(PAGES))
def test_each_page_opens_by_its_own_url(page, server, name):
    path, test_id = PAGES[name]
    page.goto(server + path)
    nav = page.get_by_test_id("stSidebar").get_by_test_id("stPageLink-NavLink")
    expect(nav).to_have_count(6)
    expect(nav.first).to_contain_text("Home")
    expect(page.get_by_test_id(test_id).first).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    # The "as of" line, from the newest row of data/monthly.csv.
    expect(page.get_by_test_id("stMain").get_by_text(AS_OF, exact=True)).to_be_visible()
    page.wait_for_load_state("networkidle")
    # Streamlit draws a grey skeleton for an element whose code is still loading.
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0)
    expect(page.get_by_test_id("stSkeletonElement")).to_have_count(0)
    if name in ("home", "backtest"):  # the current year's section comes last
        expect(page.get_by_text("2026 so far: actual, model and a naive benchmark")).to_be_visible()
    expect(page.get_by_test_id("stSpinner")).to_have_count(0)
    for chart in page.get_by_test_id("stVegaLiteChart").all():
        expect(chart.locator("canvas, svg").first).to_be_attached()
    for table in page.get_by_test_id("stDataFrame").all():
        if table.is_visible():  # tables in a closed expander are not drawn
            expect(table.locator("canvas").first).to_be_attached()


@pytest.mark.parametrize(
    ("path", "count"), [("/", 3), ("/Scenario", 3), ("/Backtest", 8), ("/Compare", 1)]
)
def test_every_chart_fits_a_phone_screen(browser, server, path, count):
    # A shared link is often opened on a phone: no chart may run off its screen.
    width = 390
    context = browser.new_context(
        viewport={"width": width, "height": 844}, user_agent=IPHONE_USER_AGENT
    )
    context.set_default_timeout(30_000)
    try:
        page = context.new_page()
        page.goto(server + path)
        charts = page.get_by_test_id("stMain").get_by_test_id("stVegaLiteChart")
        expect(charts).to_have_count(count)
        for chart in charts.all():
            drawing = chart.locator("svg.marks, canvas").first
            expect(drawing).to_be_attached()
            box = drawing.bounding_box()
            assert box is not None and box["x"] >= 0
            assert box["x"] + box["width"] <= width, box
    finally:
        context.close()
