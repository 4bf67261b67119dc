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
