"""The app's speed and memory, each against the floor Streamlit itself sets, in one run.

    python3 dev.py bench                       # this and every other bench/bench_*.py
    .venv/bin/python bench/bench_app.py        # this one
    .venv/bin/python bench/bench_app.py --quick

Figures (medians unless said otherwise):

1. Server rerun of the Scenario page after a move of the US tariff slider
   (AppTest), against ``bench/reference_app.py``: the same page drawn by the same
   chart builders from figures computed once.
2. Browser: key press on the US tariff slider to the redrawn surplus chart
   (Chromium), against the same on ``bench/minimal_app.py`` (one slider, one chart),
   and, for scale, on ``bench/reference_app.py`` (this page, figures precomputed).
3. Cold start: server start to the first chart drawn in the browser, on a deep
   link to the Scenario page, against the minimal app.
4. Memory: the server's resident size with 1 and with 20 browser sessions on the
   Scenario page.
5. The model's own figures, from ``bench/bench_model.py`` when it is there.

Prints one table and writes it to ``bench/results.md``. Nothing here is part of
the test suite's pass or fail.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness as h

APP = h.ROOT / "app.py"
SCENARIO_PAGE = "pages/1_Scenario.py"
REFERENCE = h.BENCH / "reference_app.py"
MINIMAL = h.BENCH / "minimal_app.py"
RESULTS = h.BENCH / "results.md"
US = "tariff_united_states"


# ----------------------------------------------------------------------------- 1. server


class Mover:
    """One AppTest session of a script, moving the US tariff slider a step at a time.

    The slider goes between the same two values as in the browser (one and two steps
    from its default, ``harness.two_values``), so every page is moved off its default
    the same way and each move changes the figures.
    """

    def __init__(self, script: Path, page: str | None):
        from streamlit.testing.v1 import AppTest

        self.name = script.name
        self.at = AppTest.from_file(str(script), default_timeout=120)
        if page:
            self.at.switch_page(page)
        self.at.run()
        self.check()
        slider = self.at.slider(key=US)
        self.value = float(slider.value)
        self.pair = h.two_values(self.value, slider.min, slider.max, slider.step)

    def check(self) -> None:
        if self.at.exception:
            raise RuntimeError(f"{self.name}: {self.at.exception[0].value}")

    def move(self) -> float:
        """Seconds of the rerun after one move."""
        low, high = self.pair
        self.value = high if abs(self.value - low) < 1e-9 else low
        slider = self.at.slider(key=US).set_value(self.value)
        start = time.perf_counter()
        slider.run()
        elapsed = time.perf_counter() - start
        self.check()
        return elapsed


def server_figure(moves: int, warmup: int = 3) -> h.Figure:
    """App and reference moved in turn, so a busy moment of the machine hits both.

    A server compiles each script once and keeps the bytecode; AppTest compiles it
    again at every run, which would add the compiling of the page (about 9 ms for the
    Scenario page) to each rerun. So all runs here share one bytecode cache, as the
    runs of a server do.
    """
    import streamlit as st
    import streamlit.testing.v1.app_test as app_test
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    st.cache_data.clear()
    shared = ScriptCache()
    with mock.patch.object(app_test, "ScriptCache", lambda: shared):
        app, reference = Mover(APP, SCENARIO_PAGE), Mover(REFERENCE, None)
        times: dict[str, list[float]] = {"app": [], "reference": []}
        for i in range(warmup + moves):
            for name, mover in (("app", app), ("reference", reference)):
                elapsed = mover.move()
                if i >= warmup:
                    times[name].append(elapsed)
    return h.Figure(
        "Server: Scenario rerun after a slider move",
        h.median(times["app"]),
        h.median(times["reference"]),
        "ms",
        "<= 1.25x",
        1.25,
        f"AppTest, median of {moves}; reference: {REFERENCE.name}",
    )


# ----------------------------------------------------------------------------- 2. browser


class Presser:
    """A server of one script and a page on it, pressing the arrow keys on the US slider.

    The keys move the slider in turn between two values off its default
    (``harness.two_values``), as the server figure does: a slider pressed one way only
    would stick at an end of its range, and one moved back onto its default would time
    the lighter page of the default scenario every other press.
    """

    def __init__(self, browser, script: Path, path: str):
        self.name = script.name
        self.server = h.start_server(script)
        self.page = h.new_page(browser)
        try:
            self.page.goto(self.server.url + path)
            h.wait_first_chart_drawn(self.page)
            h.wait_idle(self.page)
            h.wait_settled(self.page)
            self.thumb = h.us_thumb(self.page)
            self.thumb.focus()
            value, low, high, step = h.slider_state(self.thumb)
            self.pair = h.two_values(value, low, high, step)
        except Exception:
            self.page.context.close()
            self.server.stop()
            raise

    def press(self) -> float:
        key = h.key_between(h.slider_state(self.thumb)[0], self.pair)
        return h.press_and_time(self.page, self.thumb, key, name=self.name)

    def close(self) -> None:
        try:
            if self.page.get_by_test_id("stException").count():
                raise RuntimeError(f"{self.name}: an exception is shown")
        finally:
            self.page.context.close()
            self.server.stop()


def browser_figures(browser, presses: int, warmup: int = 3) -> list[h.Figure]:
    """All three servers up at once; the app, its reference page and the minimal app
    pressed in turn, so a busy moment of the machine hits all three."""
    targets = {"app": (APP, "/Scenario"), "reference": (REFERENCE, "/"), "minimal": (MINIMAL, "/")}
    pressers: dict[str, Presser] = {}
    try:
        for name, (script, path) in targets.items():
            pressers[name] = Presser(browser, script, path)
        times: dict[str, list[float]] = {name: [] for name in targets}
        for i in range(warmup + presses):
            for name, presser in pressers.items():
                elapsed = presser.press()
                if i >= warmup:
                    times[name].append(elapsed)
    finally:
        for presser in pressers.values():
            presser.close()
    app = h.median(times["app"])
    return [
        h.Figure(
            "Browser: slider key press to redrawn surplus chart",
            app,
            h.median(times["minimal"]),
            "ms",
            "<= 1.5x",
            1.5,
            f"Chromium, median of {presses}; reference: {MINIMAL.name}",
        ),
        h.Figure(
            "Browser: the same, against the Scenario page with precomputed figures",
            app,
            h.median(times["reference"]),
            "ms",
            "-",
            None,
            f"reference: {REFERENCE.name}; Streamlit's floor for this page",
        ),
    ]


# ----------------------------------------------------------------------------- 3. cold start


def cold_start(browser, script: Path, path: str) -> float:
    """Seconds from starting the server process to the first chart drawn."""
    server = h.start_server(script)
    try:
        page = h.new_page(browser)
        try:
            page.goto(server.url + path)
            h.wait_first_chart_drawn(page)
            return time.perf_counter() - server.started
        finally:
            page.context.close()
    finally:
        server.stop()


def cold_figure(browser, repeats: int) -> h.Figure:
    app, minimal = [], []
    for _ in range(repeats):  # interleaved, so a slow moment of the machine hits both
        app.append(cold_start(browser, APP, "/Scenario"))
        minimal.append(cold_start(browser, MINIMAL, "/"))
    return h.Figure(
        "Cold start: server start to first chart (deep link to /Scenario)",
        h.median(app),
        h.median(minimal),
        "s",
        "<= 1.5x",
        1.5,
        f"median of {repeats}; reference: {MINIMAL.name}",
    )


# ----------------------------------------------------------------------------- 4. memory


def memory_figures(browser, sessions: int) -> list[h.Figure]:
    with h.running(APP) as server:
        pages = []
        try:
            for i in range(sessions):
                page = h.new_page(browser)
                pages.append(page)
                page.goto(server.url + "/Scenario")
                h.wait_first_chart_drawn(page)
                h.wait_idle(page)
                if i == 0:
                    time.sleep(1)
                    one = server.rss_mb()
            time.sleep(2)
            many = server.rss_mb()
        finally:
            for page in pages:
                page.context.close()
    return [
        h.Figure("Memory: server RSS, 1 session", one, None, "MB", "-", None),
        h.Figure(
            f"Memory: server RSS, {sessions} sessions",
            many,
            one,
            "MB",
            "< 400 MB",
            400.0,
            "reference: 1 session",
            judge="value",
        ),
    ]


# ----------------------------------------------------------------------------- 5. model


def model_lines() -> list[str]:
    script = h.BENCH / "bench_model.py"
    if not script.exists():
        return ["bench/bench_model.py is not there yet: no model figures."]
    done = subprocess.run(
        [h.PYTHON, str(script)], cwd=h.ROOT, capture_output=True, text=True, timeout=1800
    )
    lines = done.stdout.rstrip().splitlines()
    if done.returncode != 0:
        lines.append(f"bench/bench_model.py exited with {done.returncode}: {done.stderr[-500:]}")
    return lines


def appended_sections(path) -> str:
    """The sections the other bench scripts appended to ``path`` (load tests, the nine
    tasks), kept when this script rewrites its own table and model figures above them."""
    if not path.exists():
        return ""
    sections = path.read_text().split("\n## ")[1:]
    kept = [s for s in sections if not s.startswith("Model (bench/bench_model.py)")]
    return "".join("\n## " + s.rstrip("\n") + "\n" for s in kept)


# ----------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run)")
    parser.add_argument("--no-model", action="store_true", help="leave out bench_model.py")
    parser.add_argument("--no-write", action="store_true", help="do not write bench/results.md")
    args = parser.parse_args(argv)
    moves, presses, repeats, sessions = (8, 8, 1, 20) if args.quick else (30, 30, 3, 20)
    machine = h.machine()

    figures = [server_figure(moves)]
    missing = h.browser_missing()
    if missing:
        print(f"Browser figures skipped: {missing}", file=sys.stderr)
    else:
        with h.chromium() as browser:
            figures += browser_figures(browser, presses)
            figures.append(cold_figure(browser, repeats))
            figures += memory_figures(browser, sessions)
    model = [] if args.no_model else model_lines()

    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    text = "\n".join(
        [
            "# Bench results",
            "",
            f"Last run of `bench/bench_app.py`: {stamp}, {machine}."
            " Each figure is measured in the same run as its reference (interleaved),"
            " so a busy moment of the machine hits both; the absolute times move with"
            " the machine's load, the ratios much less.",
            "`bench/load_test.py` appends its result below when it is run.",
            "",
            h.table(figures),
            "",
            "## Model (bench/bench_model.py)",
            "",
            "```",
            *model,
            "```",
            "",
        ]
    )
    print(h.table(figures))
    if model:
        print()
        print("\n".join(model))
    if not args.no_write:
        RESULTS.write_text(text + appended_sections(RESULTS))
        print(f"\nWritten to {RESULTS.relative_to(h.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
