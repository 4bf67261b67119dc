"""Text from a user is drawn as text: what Chromium shows, on every page that echoes it.

A link's value (a preset, a start year, a table) comes back in the page's warning,
and a scenario's name in the Compare page's "Saved as". In each, an address, an
e-mail, markdown and an icon code must be drawn as the characters typed: no link,
no bold, no icon. The test reads the drawn page (elements and text), not the markdown
the server sent.
"""

from urllib.parse import quote

import pytest
from playwright.sync_api import expect

WORD_JOINER = "\u2060"

PAYLOADS = {
    "address": "https://evil.example/login",
    "e-mail": "help.desk@evil.example",
    "markdown": "**5** _x_ ~~y~~ `z` [a](https://evil.example)",
    "icon": ":material/lock: :smile:",
}

#: Page, the link key it echoes, and the kind of alert it is echoed in.
LINKS = {
    "scenario-preset": ("/Scenario", "preset", "stAlertContentWarning"),
    "scenario-unknown-key": ("/Scenario", "colour", "stAlertContentWarning"),
    "backtest-start-year": ("/Backtest", "start_year", "stAlertContentWarning"),
    "data-table": ("/Data", "data_table", "stAlertContentWarning"),
}

#: Elements that would mean the text was read as markup.
MARKUP = "a, strong, em, del, code, img, [data-testid='stIconMaterial'], span[role='img']"


def drawn(page, alert_test_id: str) -> list[tuple[str, int]]:
    """Each alert's drawn text (word joiners out) and how many markup elements it holds."""
    alerts = page.get_by_test_id(alert_test_id)
    expect(alerts.first).to_be_visible()
    found = []
    for alert in alerts.all():  # its title and its body; the alert's own icon is outside
        for body in alert.get_by_test_id("stMarkdownContainer").all():
            text = body.inner_text().replace(WORD_JOINER, "")
            found.append((text, body.locator(MARKUP).count()))
    return found


def assert_plain(found: list[tuple[str, int]], payload: str) -> None:
    echoing = [(text, markup) for text, markup in found if payload in text]
    assert echoing, f"no alert draws {payload!r} as typed: {[t for t, _ in found]}"
    for text, markup in echoing:
        assert markup == 0, f"{text!r} is drawn with {markup} link, format or icon element(s)"


@pytest.mark.parametrize("payload", list(PAYLOADS))
@pytest.mark.parametrize("link", list(LINKS))
def test_link_text_is_drawn_as_plain_text(page, server, link, payload):
    path, key, alert = LINKS[link]
    value = PAYLOADS[payload]
    page.goto(f"{server}{path}?{key}={quote(value, safe='')}")
    found = drawn(page, alert)
    assert_plain(found, value)
    expect(page.get_by_test_id("stException")).to_have_count(0)


@pytest.mark.parametrize("payload", list(PAYLOADS))
def test_a_saved_scenarios_name_is_drawn_as_plain_text(page, server, payload):
    name = PAYLOADS[payload]
    page.goto(f"{server}/Compare")
    field = page.get_by_test_id("stTextInput").locator("input")
    field.fill(name)
    field.press("Enter")
    page.get_by_role("button", name="Save the current scenario").click()
    found = drawn(page, "stAlertContentSuccess")
    assert_plain(found, f"Saved as “{name}”.")


@pytest.mark.parametrize("payload", list(PAYLOADS))
def test_a_scenario_files_keys_are_drawn_as_plain_text(page, server, tmp_path, payload):
    import json

    file = tmp_path / "scenario.json"
    file.write_text(json.dumps({PAYLOADS[payload]: 1}), encoding="utf-8")
    page.goto(f"{server}/Scenario")
    uploader = page.get_by_test_id("stFileUploader")
    uploader.locator("input[type=file]").set_input_files(str(file))
    found = drawn(page, "stAlertContentError")
    assert_plain(found, f"'{PAYLOADS[payload][:40]}")  # a long key is cut at 40 characters


@pytest.mark.parametrize("payload", list(PAYLOADS))
def test_an_uploaded_files_keys_are_drawn_as_plain_text_in_its_changes(
    page, server, tmp_path, payload
):
    from model.data import DATA_DIR

    shipped = (DATA_DIR / "tariffs.csv").read_text(encoding="utf-8")
    series = PAYLOADS[payload].replace(",", " ")
    row = f"2025-12-01,United States,China,average,{series},47.5,,Test 2025-12-01,\n"
    file = tmp_path / "tariffs.csv"
    file.write_text(shipped + row, encoding="utf-8")
    page.goto(f"{server}/Data")
    page.get_by_test_id("stSelectbox").last.click()
    page.get_by_role("option").filter(has_text="tariffs.csv").click()
    expect(page.get_by_text("Your tariffs.csv")).to_be_visible()
    page.get_by_test_id("stFileUploader").locator("input[type=file]").set_input_files(str(file))
    found = drawn(page, "stAlertContentInfo")
    assert_plain(found, f"2025-12-01 United States China {series}")
