"""What a reader sees, in Chromium at 1400 px and as a 390 px phone: a shared link says
what it changes, the headline reads against the baseline, the Compare plot keeps its
height with eight scenarios, the Data link opens the table it names, no table runs off
the screen, and every page reads in the light and the dark theme."""

import re

import pytest
from playwright.sync_api import expect

from model.presets import LABELS
from tests.browser.chromium import IPHONE_USER_AGENT
from tests.browser.pictures import whole_page_screenshot

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
    whole_page_screenshot(page, screenshots / f"compare-eight-{kind}.png")


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


def opened(context, url: str):
    """A new page of ``context`` at ``url``, once the page has drawn everything it sends."""
    page = context.new_page()
    page.goto(url)
    expect(page.get_by_test_id("stMain").get_by_test_id("stHeading").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0)
    return page


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_follows_the_system_theme(browser, server, screenshots, name, theme):
    context = browser.new_context(color_scheme=theme, **DESKTOP)
    context.set_default_timeout(30_000)
    try:
        page = opened(context, server + PAGES[name])
        background = page.get_by_test_id("stApp").evaluate(
            "e => getComputedStyle(e).backgroundColor"
        )
        level = sum(int(v) for v in re.findall(r"\d+", background)[:3]) / 3
        assert (level > 128) == (theme == "light"), background
        for chart in page.get_by_test_id("stVegaLiteChart").all():
            expect(chart.locator("svg.marks, canvas").first).to_be_attached()
        picture = screenshots / f"{name}-{theme}.png"
        if name == "methodology":  # its first screen: the whole is 15,000 px, 3 MB a picture
            page.screenshot(path=picture)
        else:
            whole_page_screenshot(page, picture)
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
            whole_page_screenshot(page, screenshots / f"scenario-phone-{theme}.png")
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


def legend_colours(chart) -> dict[str, str]:
    """Each legend entry's name and the colour of its symbol, as the chart draws them."""
    entries = chart.evaluate(
        """e => {
            const legend = e.querySelector('svg.marks g.role-legend-entry');
            const names = [...legend.querySelectorAll('.role-legend-label text')];
            const symbols = [...legend.querySelectorAll('.role-legend-symbol path')];
            return names.map((n, i) => [n.textContent, symbols[i].getAttribute('fill')]);
        }"""
    )
    return {name: colour.lower() for name, colour in entries}


def test_compare_names_the_baseline_and_no_scenario_takes_its_colour_or_actual_s(server, screen):
    _kind, page = screen
    page.goto(server + "/Compare")
    picker = page.get_by_test_id("stMultiSelect")
    expect(picker.locator("[data-tag]").first).to_have_text("Baseline")
    for name in ("First saved", "Second saved"):
        page.get_by_role("textbox", name="Name for the current scenario").fill(name)
        page.get_by_role("button", name=re.compile("Save the current scenario")).click()
        expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text(name)
    picker.locator("input").first.click()
    page.get_by_role("option", name="Select all").click()
    page.keyboard.press("Escape")
    expect(picker.locator("[data-tag]")).to_have_count(len(LABELS) + 3)  # and the baseline
    chart = page.get_by_test_id("stVegaLiteChart").first
    expect(chart.locator("svg.marks g.role-legend-entry")).to_have_count(1)
    page.wait_for_timeout(1000)
    colours = legend_colours(chart)
    assert len(colours) == len(LABELS) + 4, colours  # the actual figures too
    assert colours.pop("Actual") == "#0072b2" and colours.pop("Baseline") == "#999999"
    assert not {"#0072b2", "#999999"} & set(colours.values()), colours
    # Every name in the legend ends inside the chart (a long one in an ellipsis).
    right = chart.bounding_box()["x"] + chart.bounding_box()["width"]
    for name in chart.locator("svg.marks .role-legend-label text").all():
        box = name.bounding_box()
        assert box["x"] + box["width"] <= right + 1, (name.text_content(), box, right)


def test_the_exact_value_box_says_its_unit(server, screen):
    kind, page = screen
    page.goto(server + "/Scenario")
    if kind == "phone":
        page.get_by_test_id("stMain").get_by_role(
            "button", name=re.compile("Change the inputs")
        ).click()
        where = page.get_by_test_id("stPopoverBody")
    else:
        where = page.get_by_test_id("stSidebar")
    chooser = where.get_by_test_id("stSelectbox").filter(has_text="Type an exact value for")
    for typed, unit in (("ASEAN", r"in % a year"), ("Long-run tariff", "no unit")):
        chooser.locator("input").click()
        page.keyboard.type(typed)
        page.keyboard.press("Enter")
        box = where.get_by_test_id("stNumberInput")
        expect(box).to_contain_text(re.compile(unit))
    chooser.locator("input").click()
    page.keyboard.type("European Union (")
    page.keyboard.press("Enter")
    box = where.get_by_role("spinbutton", name=re.compile(r"European Union \(added"))
    expect(box).to_have_accessible_name(re.compile(r", in % · 0 to 200%"))


def test_the_change_by_destination_is_a_dumbbell_in_its_own_tab(browser, server, screenshots):
    for kind in ("desktop", "phone"):
        for theme in ("light", "dark"):
            context = browser.new_context(
                color_scheme=theme, **(DESKTOP if kind == "desktop" else PHONE)
            )
            context.set_default_timeout(30_000)
            try:
                page = context.new_page()
                page.goto(server + "/Scenario?tariff_united_states=60&growth_asean=2")
                main = page.get_by_test_id("stMain")
                expect(main.get_by_test_id("stVegaLiteChart")).to_have_count(3)
                main.get_by_role("tab", name="The change from 2025").click()
                panel = main.get_by_role("tabpanel")
                chart = panel.get_by_test_id("stVegaLiteChart")
                expect(chart.locator("svg.marks")).to_be_attached()
                expect(panel).to_contain_text("Each dot is a change")
                page.wait_for_timeout(1000)
                height = chart.evaluate(
                    "e => e.querySelector('svg.marks g.role-frame.root > g > path.background')"
                    ".getBBox().height"
                )
                assert height >= 240, (kind, height)  # eight destinations, 30 px each
                assert set(legend_colours(chart)) == {
                    "Actual, 2020 to 2025",
                    "Your scenario, 2025 to 2030",
                    "Baseline, 2025 to 2030",
                }
                # The figures are inside the chart, none cut at its edges.
                box = chart.bounding_box()
                for text in chart.locator("svg.marks g.role-mark text").all():
                    inner = text.bounding_box()
                    assert box["x"] <= inner["x"] and (
                        inner["x"] + inner["width"] <= box["x"] + box["width"]
                    ), text.text_content()
                panel.scroll_into_view_if_needed()
                whole_page_screenshot(page, screenshots / f"scenario-change-{kind}-{theme}.png")
            finally:
                context.close()


@pytest.mark.parametrize("name", ["backtest", "compare", "data"])
def test_the_pages_changed_for_the_reader_on_a_phone_in_both_themes(
    browser, server, screenshots, name
):
    for theme in ("light", "dark"):
        context = browser.new_context(color_scheme=theme, **PHONE)
        context.set_default_timeout(30_000)
        try:
            page = opened(context, server + PAGES[name])
            whole_page_screenshot(page, screenshots / f"{name}-phone-{theme}.png")
        finally:
            context.close()
