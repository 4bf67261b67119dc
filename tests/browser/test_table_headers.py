"""No table's column name is cut off, in Chromium at 1400 px and on a 390 px phone.

A table draws its header on a canvas, so a cut name is found in the picture: the grid's
faint column lines bound each header cell, and a name drawn up to the next line (within
a few pixels, where a whole one leaves its padding of 8 px) was cut there.
"""

import io
import itertools

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.test_reader import DESKTOP, PHONE

#: Text ends at least this far before its cell's right line when the name is whole.
MIN_GAP_PX = 5
PATHS = [
    "/Scenario",
    "/Backtest",
    "/Compare",
    "/Data",
    "/Data?data_table=monthly",
    "/Data?data_table=exports_by_region",
    "/Data?data_table=partners_ytd",
    "/Data?data_table=tariffs",
    "/Data?data_table=drivers",
    "/Data?data_table=markets",
]


def cut_headers(picture: bytes, scrolls: bool) -> list[int]:
    """The left edge (px) of each header cell whose name runs into its right line.

    ``picture`` is a screenshot of one table; ``scrolls``, whether the table runs past
    its frame, which then cuts its last column in view (scrolled to, not cut off).
    """
    grey = np.asarray(Image.open(io.BytesIO(picture)).convert("L")).astype(int)
    header = grey[3:32]  # the header row, inside its top and bottom lines
    difference = np.abs(header - np.median(header))
    lines = [
        x
        for x in range(header.shape[1])
        if ((difference[:, x] >= 2) & (difference[:, x] < 40)).mean() > 0.9
    ]
    text = (difference >= 40).any(axis=0)
    cells = list(itertools.pairwise(lines))
    if scrolls:
        cells = cells[:-1]
    cut = []
    for left, right in cells:
        inked = [x for x in range(left + 1, right) if text[x]]
        if inked and right - max(inked) < MIN_GAP_PX:
            cut.append(left)
    return cut


@pytest.mark.parametrize("screen", ["desktop", "phone"])
@pytest.mark.parametrize("path", PATHS)
def test_no_column_name_is_cut_off(browser, server, path, screen):
    context = browser.new_context(**(DESKTOP if screen == "desktop" else PHONE))
    context.set_default_timeout(30_000)
    try:
        page = context.new_page()
        page.goto(server + path)
        main = page.get_by_test_id("stMain")
        tables = main.get_by_test_id("stDataFrame")
        expect(tables.first.locator("canvas").first).to_be_attached()
        for summary in main.get_by_test_id("stExpander").locator("summary").all():
            summary.click()  # the tables in expanders too
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(1000)
        seen = 0
        for table in tables.all():
            table.scroll_into_view_if_needed()
            if not table.is_visible():
                continue
            expect(table.locator("canvas").first).to_be_attached()
            scroller = table.locator(".dvn-scroller")
            scrolls = scroller.evaluate("e => e.scrollWidth > e.clientWidth")
            cut = cut_headers(table.screenshot(), scrolls)
            label = table.locator("th").all_text_contents()
            assert not cut, (path, screen, label, cut)
            seen += 1
        assert seen, path
    finally:
        context.close()


def test_a_name_drawn_up_to_its_cell_s_line_is_found_and_a_whole_one_is_not():
    # A header row as the grid draws it: faint lines at 0, 100 and 199, grey text.
    picture = np.full((35, 200), 247, dtype=np.uint8)
    picture[:, [0, 100, 199]] = 230
    picture[12:22, 10:99] = 100  # runs to the line at 100: cut
    picture[12:22, 110:150] = 100  # ends 49 px before the line at 199: whole
    png = io.BytesIO()
    Image.fromarray(picture).save(png, format="PNG")
    assert cut_headers(png.getvalue(), scrolls=False) == [0]
    # The last cell in view of a table that scrolls is cut by the frame, not the column.
    assert cut_headers(png.getvalue(), scrolls=True) == [0]
    picture[12:22, 110:199] = 100
    png = io.BytesIO()
    Image.fromarray(picture).save(png, format="PNG")
    assert cut_headers(png.getvalue(), scrolls=False) == [0, 100]
    assert cut_headers(png.getvalue(), scrolls=True) == [0]
