"""Nine everyday tasks of a new reader, done in Chromium at 1400 px, counting what each takes.

Each task starts in a fresh session on the page a reader would start from (the home
page, or a scenario they have made, opened by its link) and is done the shortest way
the page offers, as a reader would do it with a mouse and a keyboard. Counted:

* steps: clicks (a button, a tab, an option, a page in the sidebar), a link opened,
  a file picked in the browser's file dialog;
* key presses: each key, a chord's keys each (Ctrl+A is two).

Each task ends by checking, on the page, that it was done (the changes list names the
input, the sentence answers the question, the reopened link shows the scenario...), so
a count is of a task done, not of clicks made. Prints a table and, unless
``--no-write``, appends it to ``bench/results.md``.

    python bench/nine_tasks.py
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Page, expect

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness as h

expect.set_options(timeout=30_000)  # a first drawing on a busy two-core machine

#: What the same tasks took before the exact-value boxes, the changes list and the
#: copy button: the one count made then (a tariff to 12.0% with the slider's
#: arrow keys), and what it said of the others it did not count.
BEFORE = {
    "1b": "71 key presses (the slider's arrows)",
    "4": "no sentence: a dashed line against a diamond, by eye",
    "5": "no copy button: the address bar",
    "6": "a single year's errors only by hovering the chart",
}


@dataclass
class Tally:
    """What a task took, and what the page said at its end."""

    steps: int = 0
    keys: int = 0
    how: list[str] = field(default_factory=list)
    read: str = ""

    def click(self, target, why: str) -> None:
        target.click()
        self.steps += 1
        self.how.append(f"click {why}")

    def type(self, page: Page, text: str) -> None:
        page.keyboard.type(text)
        self.keys += len(text)
        self.how.append(f"type '{text}'")

    def press(self, page: Page, chord: str) -> None:
        page.keyboard.press(chord)
        self.keys += len(chord.split("+"))
        self.how.append(chord)

    def count(self, steps: int, keys: int, what: str) -> None:
        """Steps or keys the browser takes outside the page (a new tab, a file dialog)."""
        self.steps += steps
        self.keys += keys
        self.how.append(what)


def one_line(text: str) -> str:
    """A page's text on one line, its lines joined by '; '."""
    return "; ".join(line.strip() for line in text.splitlines() if line.strip())


def sidebar(page: Page):
    return page.get_by_test_id("stSidebar")


def go_to(page: Page, tally: Tally, name: str) -> None:
    tally.click(sidebar(page).get_by_role("link", name=name, exact=True), f"'{name}'")
    expect(page.get_by_test_id("stMain").get_by_test_id("stHeading").first).to_be_visible()


def changes_list(page: Page):
    return (
        page.get_by_test_id("stMain")
        .get_by_test_id("stMarkdown")
        .filter(has_text="What this scenario changes")
    )


def exact_value(page: Page, tally: Tally, typed: str, option: str, value: str) -> None:
    """The exact-value box: choose the input by typing part of its name, type the value."""
    chooser = sidebar(page).get_by_test_id("stSelectbox").filter(has_text="Type an exact value")
    tally.click(chooser.locator("input"), "the exact-value box's input list")
    tally.type(page, typed)
    options = page.get_by_role("option").all_inner_texts()
    assert option in options, (typed, options)
    for _ in range(options.index(option)):
        tally.press(page, "ArrowDown")
    tally.press(page, "Enter")
    box = sidebar(page).get_by_role("spinbutton")
    tally.click(box, "the number box")
    tally.press(page, "Control+A")
    tally.type(page, value)
    tally.press(page, "Enter")


def us_tariff_by_preset(page: Page, server: str, tally: Tally) -> None:
    page.goto(server)
    go_to(page, tally, "Scenario")
    preset = sidebar(page).get_by_test_id("stSelectbox").filter(has_text="Start from")
    tally.click(preset.locator("input"), "the preset list")
    tally.type(page, "2018")
    tally.press(page, "Enter")
    expect(changes_list(page)).to_contain_text("United States (the level in force): 12%")
    tally.read = one_line(changes_list(page).inner_text())


def us_tariff_by_number(page: Page, server: str, tally: Tally) -> None:
    page.goto(server)
    go_to(page, tally, "Scenario")
    exact_value(
        page,
        tally,
        "States (",
        "Tariff on Chinese goods: United States (the level in force)",
        "12",
    )
    expect(changes_list(page)).to_contain_text("United States (the level in force): 12%")
    tally.read = one_line(changes_list(page).inner_text())


def eu_tariff(page: Page, server: str, tally: Tally) -> None:
    page.goto(server)
    go_to(page, tally, "Scenario")
    exact_value(
        page,
        tally,
        "Union (",
        "Tariff on Chinese goods: European Union (added to today's)",
        "25",
    )
    expect(changes_list(page)).to_contain_text("European Union (added to today's): 25%")
    tally.read = headline(page)


def asean_demand(page: Page, server: str, tally: Tally) -> None:
    page.goto(server)
    go_to(page, tally, "Scenario")
    exact_value(page, tally, "ASEAN", "Real demand growth: ASEAN", "2")
    expect(changes_list(page)).to_contain_text("ASEAN: 2% a year")
    tally.read = headline(page)


def headline(page: Page) -> str:
    text = page.get_by_test_id("stMain").get_by_test_id("stMarkdown").filter(has_text="The surplus")
    expect(text).to_be_visible()
    return text.inner_text().replace("\n", " ")


def share_question(page: Page, server: str, tally: Tally) -> None:
    page.goto(server)
    go_to(page, tally, "Scenario")
    answer = headline(page)
    assert re.search(r"16\.5%", answer), answer
    tally.read = answer.split(". ", 1)[-1] if ". " in answer else answer


def share_link(page: Page, server: str, tally: Tally) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(server + "/Scenario?tariff_european_union=25&growth_asean=2")  # a scenario made
    expect(changes_list(page)).to_be_visible()
    code = page.get_by_test_id("stMain").get_by_test_id("stCode")
    code.hover()
    tally.click(code.get_by_role("button"), "the link box's copy button")
    link = page.evaluate("navigator.clipboard.readText()")
    other = page.context.new_page()
    other.goto(link)
    tally.count(1, 5, "Ctrl+T, Ctrl+V, Enter: the link in a new tab")
    expect(changes_list(other)).to_contain_text("European Union (added to today's): 25%")
    expect(changes_list(other)).to_contain_text("ASEAN: 2% a year")
    tally.read = f"{link} reopens: " + one_line(changes_list(other).inner_text())


def backtest(page: Page, server: str, tally: Tally) -> None:
    page.goto(server)
    go_to(page, tally, "Back-test")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_test_id("stHeading").filter(has_text="Year by year")).to_be_visible()
    yearly = main.get_by_test_id("stDataFrame").filter(
        has=page.locator("th").filter(has_text="Model error (%)")
    )
    expect(yearly).to_be_attached()
    columns = yearly.locator("th").all_text_contents()
    tally.read = "Year by year table: " + ", ".join(columns)


def compare(page: Page, server: str, tally: Tally) -> None:
    page.goto(server + "/Scenario?tariff_european_union=25")  # a scenario made
    expect(changes_list(page)).to_be_visible()
    go_to(page, tally, "Compare")
    tally.click(page.get_by_role("textbox", name="Name for the current scenario"), "the name")
    tally.type(page, "EU 25")
    tally.click(page.get_by_role("button", name=re.compile("Save the current")), "Save")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_test_id("stAlertContentSuccess")).to_contain_text("EU 25")
    table = main.get_by_test_id("stDataFrame").first
    expect(table.locator("canvas").first).to_be_attached()
    tally.read = "Scenarios compared: " + ", ".join(
        page.get_by_test_id("stMultiSelect").locator("[data-tag]").all_inner_texts()
    )


def download_and_upload(page: Page, server: str, tally: Tally) -> None:
    page.goto(server + "/Scenario?tariff_european_union=25")  # a scenario made
    expect(changes_list(page)).to_be_visible()
    main = page.get_by_test_id("stMain")
    with page.expect_download() as download:
        tally.click(main.get_by_role("button", name=re.compile("Scenario \\(JSON\\)")), "download")
    saved = Path(tempfile.mkdtemp()) / "scenario.json"
    download.value.save_as(saved)
    later = page.context.browser.new_context(viewport=h.VIEWPORT).new_page()
    later.goto(server + "/Scenario")  # another day, at the baseline
    expect(later.get_by_test_id("stMain").get_by_test_id("stVegaLiteChart").first).to_be_visible()
    uploader = later.get_by_test_id("stFileUploader")
    with later.expect_file_chooser() as chooser:
        tally.click(
            uploader.get_by_test_id("stBaseButton-secondary"), "Upload (the uploader's button)"
        )
    chooser.value.set_files(saved)
    tally.count(1, 0, "the file picked in the file dialog")
    expect(changes_list(later)).to_contain_text("European Union (added to today's): 25%")
    tally.read = "Loaded: " + one_line(changes_list(later).inner_text())
    later.context.close()


def latest_figures(page: Page, server: str, tally: Tally) -> None:
    page.goto(server + "/Scenario")
    expect(page.get_by_test_id("stMain").get_by_test_id("stHeading").first).to_be_visible()
    go_to(page, tally, "Home")
    main = page.get_by_test_id("stMain")
    title = main.get_by_test_id("stHeading").first.inner_text()
    as_of = main.get_by_text(re.compile("^Actual figures to")).first
    expect(as_of).to_be_visible()
    tally.read = f"{title} / {as_of.inner_text()}"


TASKS: list[tuple[str, str, Callable[[Page, str, Tally], None]]] = [
    ("1a", "US tariff back to its 2018 level (the preset)", us_tariff_by_preset),
    ("1b", "US tariff back to its 2018 level, 12.0% (the exact-value box)", us_tariff_by_number),
    ("2", "An EU tariff of 25%", eu_tariff),
    ("3", "Slower ASEAN demand growth, 2%", asean_demand),
    ("4", "Does China's world share reach 16.5% by 2030? (read the sentence)", share_question),
    ("5", "Share a link (copy button) and reopen it", share_link),
    ("6", "Run the back-test and read the per-year errors", backtest),
    ("7", "Compare saved scenarios (save the current one beside the baseline)", compare),
    ("8", "Download a scenario and upload it again", download_and_upload),
    ("9", "Read the latest figures and their date", latest_figures),
]


def run() -> list[tuple[str, str, Tally]]:
    done = []
    with h.running("app.py") as server, h.chromium() as browser:
        for number, task, do in TASKS:
            context = browser.new_context(viewport=h.VIEWPORT)
            context.set_default_timeout(30_000)
            tally = Tally()
            try:
                do(context.new_page(), server.url, tally)
            finally:
                context.close()
            done.append((number, task, tally))
            print(f"{number}: {tally.steps} steps, {tally.keys} keys: {'; '.join(tally.how)}")
    return done


def report(done: list[tuple[str, str, Tally]]) -> str:
    lines = [
        f"## Nine tasks (bench/nine_tasks.py), {time.strftime('%Y-%m-%d %H:%M')}",
        "",
        "Each task in a fresh session in Chromium at 1400 px, the shortest way the pages "
        "offer, checked on the page at its end. Steps: clicks, links opened, files picked; "
        "key presses: each key (a chord's keys each). Before: the same tasks tried before "
        "the exact-value boxes, the changes list and the copy button (only task 1's key "
        "presses were counted then).",
        "",
        "| Task | Steps | Key presses | Before | How | What the page said |",
        "|---|---|---|---|---|---|",
    ]
    for number, task, tally in done:
        said = tally.read.replace("|", "/")
        lines.append(
            f"| {number}. {task} | {tally.steps} | {tally.keys} | {BEFORE.get(number, '-')} "
            f"| {'; '.join(tally.how)} | {said[:240]} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="do not append to results.md")
    args = parser.parse_args(argv)
    missing = h.browser_missing()
    if missing:
        print(f"Nine tasks skipped: {missing}", file=sys.stderr)
        return 1
    text = report(run())
    print(text)
    if not args.no_write:
        with (h.BENCH / "results.md").open("a", encoding="utf-8") as sink:
            sink.write("\n" + text)
        print("Appended to bench/results.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
