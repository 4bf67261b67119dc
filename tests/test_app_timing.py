"""Speed of the pages in AppTest: first render of each page and a slider move.

The bounds are loose (a loaded CI machine is slow); the figures are printed with
``pytest -s`` and kept in ``.pytest_cache/app-timings.txt``.
"""

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = "../app.py"
PAGES = [
    "app.py",
    "pages/1_Scenario.py",
    "pages/2_Backtest.py",
    "pages/3_Compare.py",
    "pages/4_Data.py",
    "pages/5_Methodology.py",
]
FIRST_RENDER_LIMIT_S = 15.0
SLIDER_MOVE_LIMIT_S = 3.0
LOG = Path(__file__).resolve().parent.parent / ".pytest_cache" / "app-timings.txt"


def _record(line: str) -> None:
    print(line)
    LOG.parent.mkdir(exist_ok=True)
    with LOG.open("a", encoding="utf-8") as sink:
        sink.write(line + "\n")


@pytest.mark.parametrize("page", PAGES)
def test_first_render_time(page):
    at = AppTest.from_file(APP, default_timeout=60)
    started = time.perf_counter()
    if page == "app.py":
        at.run()
    else:
        at.switch_page(page).run()
    elapsed = time.perf_counter() - started
    assert not at.exception
    _record(f"first render {page}: {elapsed:.2f} s")
    assert elapsed < FIRST_RENDER_LIMIT_S


def test_slider_move_time():
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/1_Scenario.py").run()
    times = []
    for value in (60.0, 80.0, 100.0, 120.0, 20.0):
        started = time.perf_counter()
        at.slider(key="tariff_united_states").set_value(value).run()
        times.append(time.perf_counter() - started)
        assert not at.exception
    median = sorted(times)[len(times) // 2]
    _record(f"US tariff slider move, Scenario page: median {median:.2f} s, max {max(times):.2f} s")
    assert median < SLIDER_MOVE_LIMIT_S
