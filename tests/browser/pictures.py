"""A screenshot of a whole page: Streamlit scrolls its main area, not the document.

``page.screenshot(full_page=True)`` takes the document, which Streamlit keeps to the
window's height, so it showed only the first screen. Here the window is made as tall
as the main area's content for the picture, then set back.
"""

from __future__ import annotations

from pathlib import Path

#: Chromium takes no taller picture than this (in CSS pixels, at scale 1).
MAX_HEIGHT_PX = 16_000


def whole_page_screenshot(page, path: Path) -> None:
    """Save a picture of the page's whole main area (and the sidebar beside it)."""
    size = page.viewport_size
    height = page.get_by_test_id("stMain").evaluate("e => e.scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": min(height, MAX_HEIGHT_PX)})
    try:
        page.wait_for_timeout(500)  # the charts take the new height's layout
        page.screenshot(path=path)
    finally:
        page.set_viewport_size(size)
