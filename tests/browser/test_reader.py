"""What a reader sees, in Chromium at 1400 px and as a 390 px phone: a shared link says
what it changes, the headline reads against the baseline, the Compare plot keeps its
height with eight scenarios, the Data link opens the table it names, no table runs off
the screen, and every page reads in the light and the dark theme."""

import re

import pytest
from playwright.sync_api import expect

from model.presets import LABELS
from tests.browser.chromium import IPHONE_USER_AGENT

LINK = "/Scenario?growth_asean=2&tariff_european_union=25"
DESKTOP = {"viewport": {"width": 1400, "height": 1800}}
PHONE = {"viewport": {"width": 390, "height": 844}, "user_agent": IPHONE_USER_AGENT}


@pytest.fixture(params=["desktop", "phone"])
def screen(request, browser):
    context = browser.new_context(**(DESKTOP if request.param == "desktop" else PHONE))
    context.set_default_timeout(30_000)
    yield request.param, context.new_page()
    context.close()


def test_a_link_with_two_changed_inputs_shows_both_and_the_difference_without_a_click(
    server, screen
):
    kind, page = screen
    page.goto(server + LINK)
    main = page.get_by_test_id("stMain")
    changes = main.get_by_test_id("stMarkdown").filter(has_text="What this scenario changes")
    expect(changes).to_be_visible()
    expect(changes).to_contain_text("European Union (added to today's): 25%")
    expect(changes).to_contain_text("ASEAN: 2% a year")
    # The link to copy holds the changed inputs alone.
    expect(main.get_by_test_id("stCode")).to_contain_text(
        "/Scenario?tariff_european_union=25&growth_asean=2"
    )
    headline = main.get_by_test_id("stMarkdown").filter(has_text="The surplus reaches")
    expect(headline).to_contain_text(re.compile(r"\$[\d.,]+ (bn|tn) (more|less) than the baseline"))
    expect(headline).to_contain_text(re.compile(r"short of|above|the 16\.5%"))
    surplus = main.get_by_test_id("stMetric").filter(has_text="Surplus").first
    expect(surplus).to_contain_text("on the baseline")
    eu = re.compile(r"^European Union, added to today's")
    if kind == "phone":
        # The sidebar starts closed on a phone: the inputs are behind a button on the page.
        main.get_by_role("button", name=re.compile("Change the inputs")).click()
        slider = page.get_by_test_id("stPopoverBody").get_by_role("slider", name=eu)
    else:
        # The expander holding the EU tariff is open, its slider at the link's value.
        slider = page.get_by_test_id("stSidebar").get_by_role("slider", name=eu)
    slider.scroll_into_view_if_needed()
    expect(slider).to_be_visible()
    expect(slider).to_have_value("25")


def plot_heights(page) -> list[float]:
    """The height of each chart's plot (its data rectangle), in pixels."""
    charts = page.get_by_test_id("stMain").get_by_test_id("stVegaLiteChart")
    expect(charts.first.locator("svg.marks")).to_be_attached()
    return [
        chart.evaluate(
            "e => e.querySelector('svg.marks g.role-frame.root > g > path.background')"
            ".getBBox().height"
        )
        for chart in charts.all()
    ]


def test_the_compare_plot_keeps_its_height_with_eight_scenarios(server, screen, screenshots):
    kind, page = screen
    page.goto(server + "/Compare")
    expect(page.get_by_test_id("stVegaLiteChart").first).to_be_visible()
    page.get_by_role("textbox", name="Name for the current scenario").fill(
        "A saved scenario with a long name"
    )
    page.get_by_role("button", name=re.compile("Save the current scenario")).click()
    expect(page.get_by_test_id("stAlertContentSuccess")).to_be_visible()
    picker = page.get_by_test_id("stMultiSelect")
    picker.locator("input").first.click()
    page.get_by_role("option", name="Select all").click()
    page.keyboard.press("Escape")
    # The defaults, every preset and the saved scenario.
    expect(picker.locator("[data-tag]")).to_have_count(len(LABELS) + 2)
    expect(page.get_by_test_id("stVegaLiteChart").locator("svg.marks")).to_have_count(1)
    page.wait_for_timeout(1000)
    [height] = plot_heights(page)
    assert height >= 200, (kind, height)
    page.screenshot(path=screenshots / f"compare-eight-{kind}.png", full_page=True)


@pytest.mark.parametrize("given", ["monthly", "Monthly+totals", "monthly.csv"])
def test_the_data_link_opens_the_table_it_names_and_says_so(page, server, given):
    page.goto(server + f"/Data?data_table={given}")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_test_id("stHeading").filter(has_text="Monthly totals")).to_be_visible()
    expect(
        main.get_by_test_id("stAlert").filter(has_text="The link opened this table")
    ).to_be_visible()
    expect(main.get_by_test_id("stAlertContentWarning")).to_have_count(0)


@pytest.mark.parametrize(
    "path",
    [
        "/Compare",
        "/Backtest",
        "/Data",
        "/Data?data_table=monthly",
        "/Data?data_table=exports_by_region",
        "/Data?data_table=tariffs",
        "/Data?data_table=drivers",
    ],
)
def test_no_table_runs_off_a_1400_px_screen(page, server, path):
    page.goto(server + path)
    tables = page.get_by_test_id("stMain").get_by_test_id("stDataFrame")
    expect(tables.first.locator("canvas").first).to_be_attached()
    page.wait_for_load_state("networkidle")
    for table in tables.all():
        if not table.is_visible():
            continue
        scroller = table.locator(".dvn-scroller")
        widths = scroller.evaluate("e => [e.scrollWidth, e.clientWidth]")
        assert widths[0] <= widths[1], (path, widths)


PAGES = {
    "home": "/",
    "scenario": LINK,
    "backtest": "/Backtest",
    "compare": "/Compare",
    "data": "/Data",
    "methodology": "/Methodology",
}


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_follows_the_system_theme(browser, server, screenshots, name, theme):
    context = browser.new_context(color_scheme=theme, **DESKTOP)
    context.set_default_timeout(30_000)
    try:
        page = context.new_page()
        page.goto(server + PAGES[name])
        expect(page.get_by_test_id("stMain").get_by_test_id("stHeading").first).to_be_visible()
        page.wait_for_load_state("networkidle")
        expect(page.get_by_test_id("stSkeleton")).to_have_count(0)
        background = page.get_by_test_id("stApp").evaluate(
            "e => getComputedStyle(e).backgroundColor"
        )
        level = sum(int(v) for v in re.findall(r"\d+", background)[:3]) / 3
        assert (level > 128) == (theme == "light"), background
        for chart in page.get_by_test_id("stVegaLiteChart").all():
            expect(chart.locator("svg.marks, canvas").first).to_be_attached()
        page.screenshot(path=screenshots / f"{name}-{theme}.png", full_page=True)
    finally:
        context.close()


def test_the_scenario_page_on_a_phone_in_both_themes(browser, server, screenshots):
    for theme in ("light", "dark"):
        context = browser.new_context(color_scheme=theme, **PHONE)
        context.set_default_timeout(30_000)
        try:
            page = context.new_page()
            page.goto(server + LINK)
            expect(page.get_by_test_id("stVegaLiteChart").first).to_be_visible()
            page.wait_for_load_state("networkidle")
            page.screenshot(path=screenshots / f"scenario-phone-{theme}.png", full_page=True)
        finally:
            context.close()


def test_an_exact_tariff_takes_a_few_key_presses(page, server):
    # The EU tariff to 12.0%: choose the input by typing part of its name, type the value.
    page.goto(server + "/Scenario")
    sidebar = page.get_by_test_id("stSidebar")
    chooser = sidebar.get_by_test_id("stSelectbox").filter(has_text="Type an exact value for")
    chooser.locator("input").click()
    page.keyboard.type("European Union (")  # 16 key presses; 21 in all
    page.keyboard.press("Enter")
    box = sidebar.get_by_role("spinbutton", name=re.compile(r"European Union \(added"))
    expect(box).to_have_value(re.compile(r"^0(\.0+)?$"))
    box.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("12")
    page.keyboard.press("Enter")
    slider = sidebar.get_by_role("slider", name=re.compile(r"^European Union, added"))
    expect(slider).to_have_value("12")
    expect(page).to_have_url(re.compile(r"tariff_european_union=12"))
    changes = (
        page.get_by_test_id("stMain")
        .get_by_test_id("stMarkdown")
        .filter(has_text="What this scenario changes")
    )
    expect(changes).to_contain_text("European Union (added to today's): 12%")
