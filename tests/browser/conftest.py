"""A real Chromium against a real ``streamlit run app.py``, started fresh for the session.

Debian's ``/usr/bin/chromium`` is driven by the ``playwright`` package (no browser
download). Without it the browser tests skip with the reason, unless
``REQUIRE_BROWSER=1`` (CI), where a missing browser is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, browser_missing
from tests.browser.streamlit_server import free_port, start, stop

# A first render on a loaded two-core machine can take several seconds; the default is 5 s.
expect.set_options(timeout=30_000)

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    """Start ``streamlit run app.py`` on a free port; yield its base URL; stop it.

    With ``APP_URL`` set (e.g. the container, or the balancer of deploy/), the tests
    run against that server instead.
    """
    reason = browser_missing()
    if reason:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests are required (REQUIRE_BROWSER=1) but {reason}")
        pytest.skip(f"browser tests skipped: {reason}")
    if os.environ.get("APP_URL"):
        yield os.environ["APP_URL"].rstrip("/")
        return
    port = free_port()
    log = ROOT / ".pytest_cache" / "streamlit-browser.log"
    log.parent.mkdir(exist_ok=True)
    log.write_text("")
    try:
        process = start(port, log)
    except RuntimeError as error:
        pytest.fail(str(error))
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


@pytest.fixture(scope="session")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1800})
    context.set_default_timeout(30_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
