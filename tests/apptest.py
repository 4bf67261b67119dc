"""Opening the app's pages in AppTest, as every page test does."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from model import baseline_from_actuals
from model.data import load_actuals

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def open_page(page: str | None = None, timeout: float = 30, **query: str) -> AppTest:
    """Run the app's ``page`` (e.g. ``"pages/1_Scenario.py"``; None for Home) with
    ``query`` as the URL's parameters, and check that no exception reached the page."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    for key, value in query.items():
        at.query_params[key] = value
    if page is not None:
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def as_drawn(markdown: str) -> str:
    """The text the browser draws for markdown made by ``views.text.plain``: escapes,
    word joiners and the colon's character reference taken out."""
    return re.sub(r"\\(.)", r"\1", markdown.replace("&#58;", ":")).replace("\u2060", "")


def shipped_baseline():
    """The model's base year built from the shipped data files."""
    return baseline_from_actuals(load_actuals())
