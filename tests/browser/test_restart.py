"""A server restart loses no scenario: the link alone brings it back on a new server.

Community Cloud puts an idle app to sleep and starts a fresh server on the next
visit, so a scenario must live in its link, not in the server. This test moves the
US tariff slider, takes the page's link, stops the server, starts a new one on the
same port, and opens the link: the slider and the result are as they were.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.streamlit_server import free_port, healthy, start, stop

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
WAIT_MS = 60_000  # a cold server on a busy machine takes seconds to draw the page
US_LABEL = "United States, the level in force"


def _us_thumb(page):
    return page.get_by_test_id("stSlider").filter(has_text=US_LABEL).first.get_by_role("slider")


def _surplus_value(page):
    metric = page.get_by_test_id("stMetric").filter(has_text="Surplus").first
    return metric.get_by_test_id("stMetricValue")


def _surplus(page) -> str:
    return _surplus_value(page).inner_text()


def _settled_surplus(page) -> str:
    """The surplus once the script has finished running (no running status shown)."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=WAIT_MS
    )
    page.wait_for_timeout(500)  # a rerun the last one scheduled would show its status by now
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=WAIT_MS
    )
    return _surplus(page)


def _new_page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1800})
    context.set_default_timeout(30_000)
    return context.new_page()


def test_a_restarted_server_reopens_the_scenario_from_its_link(browser, tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = ROOT / ".pytest_cache" / "streamlit-restart.log"
    log.parent.mkdir(exist_ok=True)
    log.write_text("")

    first = start(port, log)
    try:
        page = _new_page(browser)
        page.goto(base + "/Scenario")
        expect(page.get_by_test_id("stVegaLiteChart").first).to_be_visible(timeout=WAIT_MS)
        thumb = _us_thumb(page)
        expect(thumb).to_have_value("33", timeout=WAIT_MS)
        before = _surplus(page)
        thumb.focus()
        for _ in range(7):
            thumb.press("ArrowRight")
        expect(thumb).to_have_value("40", timeout=WAIT_MS)
        expect(page).to_have_url(re.compile(r"tariff_united_states=40(\.0)?(&|$)"), timeout=WAIT_MS)
        expect(page.get_by_test_id("stMetricValue").first).not_to_have_text(before, timeout=WAIT_MS)
        link = page.url
        page.context.close()
        # The link on the same server, as a colleague opens it: one run, so its surplus is
        # the scenario's (the moved page may still be catching up with the last key press).
        again = _new_page(browser)
        again.goto(link)
        expect(_us_thumb(again)).to_have_value("40", timeout=WAIT_MS)
        moved = _settled_surplus(again)
        assert moved != before
        again.context.close()
    finally:
        stop(first)
    assert not healthy(base), "the first server is still answering"

    second = start(port, log)
    try:
        fresh = _new_page(browser)
        fresh.goto(link)
        expect(fresh.get_by_test_id("stVegaLiteChart").first).to_be_visible(timeout=WAIT_MS)
        expect(_us_thumb(fresh)).to_have_value("40", timeout=WAIT_MS)
        expect(_surplus_value(fresh)).to_have_text(moved, timeout=WAIT_MS)
        expect(fresh.get_by_test_id("stException")).to_have_count(0)
        expect(fresh.get_by_test_id("stAlert")).to_have_count(0)  # the link was clean
        fresh.context.close()
    finally:
        stop(second)
