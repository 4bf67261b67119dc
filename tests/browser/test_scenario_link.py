"""The scenario link in a real browser: a slider move reaches the URL, the URL reopens it."""

import re

from playwright.sync_api import expect


def surplus_value(page) -> str:
    metric = page.get_by_test_id("stMetric").filter(has_text="Surplus").first
    return metric.get_by_test_id("stMetricValue").inner_text()


def test_moving_the_us_tariff_changes_the_chart_and_the_link_and_the_link_reopens_it(
    page, browser, server
):
    page.goto(server + "/Scenario")
    expect(page.get_by_test_id("stVegaLiteChart").first).to_be_visible()
    before_value = surplus_value(page)
    slider = page.get_by_test_id("stSlider").filter(has_text="United States").first
    thumb = slider.get_by_role("slider")
    expect(thumb).to_have_value("33")
    thumb.focus()
    for _ in range(10):
        thumb.press("ArrowRight")
    expect(thumb).to_have_value("43")
    expect(page).to_have_url(re.compile(r"tariff_united_states=43(\.0)?(&|$)"))
    expect(page.get_by_test_id("stMetricValue").first).not_to_have_text(before_value)
    link = page.url

    fresh = browser.new_context(viewport={"width": 1400, "height": 1800}).new_page()
    try:
        fresh.goto(link)
        thumb2 = (
            fresh.get_by_test_id("stSlider")
            .filter(has_text="United States")
            .first.get_by_role("slider")
        )
        expect(thumb2).to_have_value("43")
        reopened = fresh.get_by_test_id("stMetricValue").first
        expect(reopened).not_to_have_text(before_value)
        # The first page settles on the same scenario (its key presses each reran it).
        expect(page.get_by_test_id("stMetricValue").first).to_have_text(surplus_value(fresh))
    finally:
        fresh.context.close()


def test_a_link_with_dated_steps_reopens_them_in_a_new_browser(browser, server):
    steps = "china:2027-01-10:56.6;united_states:2026-02-24:31.9;united_states:2026-07-24:33"
    for _ in range(2):  # two separate browsers: two sessions
        context = browser.new_context(viewport={"width": 1400, "height": 1800})
        try:
            page = context.new_page()
            page.goto(f"{server}/Scenario?tariff_steps={steps}")
            sidebar = page.get_by_test_id("stSidebar")
            expect(
                sidebar.get_by_text(re.compile("China on US goods: 56.6% from 2027-01-10"))
            ).to_be_visible()
            expect(page).to_have_url(re.compile("tariff_steps=china"))
            expect(page.get_by_test_id("stException")).to_have_count(0)
        finally:
            context.close()
