"""What the app benchmarks share: a server on a free port, Chromium, timing in the page.

The server is started and Chromium launched by the browser tests' own code
(``tests/browser/streamlit_server.py`` and ``tests/browser/chromium.py``):
``streamlit run`` on 127.0.0.1, and Debian's ``/usr/bin/chromium`` with the same flags.

Chart redraws are timed inside the page: an init script watches the charts'
SVG (Vega redraws by changing the nodes under ``svg.marks``) with a
MutationObserver, and records for each redraw its element and the time the next
animation frame's callback runs (the frame that puts the new picture on screen is being
made; not the callback's timestamp argument, the frame's start, which on a busy main
thread can come before the redraw itself). A key press on a slider is timed by a
capturing ``keydown`` listener, so both ends of an interval are read from the
page's own clock.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser import streamlit_server
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.browser.chromium import browser_missing as browser_missing  # for the bench scripts

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PYTHON = sys.executable
VIEWPORT = {"width": 1400, "height": 1800}
US_SLIDER_LABEL = "United States, the level in force"

#: Installed before any page script: timestamps of key presses and chart redraws.
#: Vega draws Streamlit's charts as SVG: a redraw changes nodes under ``svg.marks``,
#: seen by a MutationObserver; a canvas chart would call ``clearRect`` first.
TIMING_SCRIPT = """
(() => {
  window.__keys = [];
  window.__draws = [];
  window.__lastChange = performance.now();
  window.addEventListener('keydown', () => window.__keys.push(performance.now()), true);
  const note = (canvas) => {
    const draw = {canvas, at: performance.now(), frame: null};
    window.__draws.push(draw);
    // performance.now() in the callback, not its argument: the argument is the frame's
    // start, which can be tens of ms before this redraw when a long task held the frame.
    requestAnimationFrame(() => { draw.frame = performance.now(); });
  };
  const clear = CanvasRenderingContext2D.prototype.clearRect;
  CanvasRenderingContext2D.prototype.clearRect = function (...args) {
    note(this.canvas);
    return clear.apply(this, args);
  };
  const observer = new MutationObserver((records) => {
    window.__lastChange = performance.now();
    const seen = new Set();
    for (const r of records) {
      const node = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      const svg = node && node.closest ? node.closest('svg.marks') : null;
      if (svg && !seen.has(svg)) { seen.add(svg); note(svg); }
      for (const added of r.addedNodes || []) {
        if (added.nodeType === 1 && added.matches('svg.marks') && !seen.has(added)) {
          seen.add(added); note(added);
        }
      }
    }
  });
  const start = () => observer.observe(document.documentElement,
    {subtree: true, childList: true, attributes: true, characterData: true});
  if (document.documentElement) start();
  else document.addEventListener('DOMContentLoaded', start);
})();
"""

#: The first chart of the page's main area (the surplus chart on the Scenario page).
FIRST_CHART = '[data-testid="stMain"] [data-testid="stVegaLiteChart"]'

#: Whether the first chart of the main area has been drawn. The chart is looked up
#: at each poll: Streamlit may replace its element while the page settles.
FIRST_CHART_DRAWN = """
(selector) => {
  const el = document.querySelector(selector);
  return !!el && window.__draws.some(d => el.contains(d.canvas));
}
"""

#: Seconds from the last key press to the next redraw of the first chart: to the
#: animation frame that shows it, or to the redraw itself when the page gets no frames
#: (a page the browser does not paint for a while).
REDRAW_AFTER_KEY = """
([selector, since]) => {
  const key = window.__keys.length ? window.__keys[window.__keys.length - 1] : null;
  const el = document.querySelector(selector);
  if (key === null || key < since || !el) return null;
  for (const d of window.__draws) {
    if (d.at >= key && el.contains(d.canvas)) {
      if (d.frame !== null) return (d.frame - key) / 1000;
      if (performance.now() - d.at > 1000) return (d.at - key) / 1000;
      return null;
    }
  }
  return null;
}
"""


@dataclass
class Server:
    """A running ``streamlit run`` process."""

    process: subprocess.Popen
    url: str
    port: int
    started: float  # time.perf_counter() when the process was started

    @property
    def pid(self) -> int:
        return self.process.pid

    def rss_mb(self) -> float:
        return rss_mb(self.pid)

    def stop(self) -> None:
        streamlit_server.stop(self.process)


def start_server(script: str | Path, port: int | None = None, log: Path | None = None) -> Server:
    """Start ``streamlit run script`` (relative to the repository) and wait for health.

    The output goes to ``log``, emptied first, or is dropped when ``log`` is None.
    """
    port = port or streamlit_server.free_port()
    if log:
        log.write_text("")
    started = time.perf_counter()
    process = streamlit_server.start(port, log, script)
    return Server(process, f"http://127.0.0.1:{port}", port, started)


@contextlib.contextmanager
def running(script: str | Path, port: int | None = None, log: Path | None = None):
    server = start_server(script, port, log)
    try:
        yield server
    finally:
        server.stop()


def rss_mb(pid: int) -> float:
    """Resident set size of a process, MB (VmRSS in /proc/<pid>/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


@contextlib.contextmanager
def chromium() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser):
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(60_000)
    context.add_init_script(TIMING_SCRIPT)
    return context.new_page()


def main_charts(page):
    """The charts of the page's main area (not the sidebar), in page order."""
    return page.get_by_test_id("stMain").get_by_test_id("stVegaLiteChart")


def wait_first_chart_drawn(page, timeout_ms: float = 60_000) -> None:
    """Until the first chart of the main area has been drawn."""
    page.wait_for_function(FIRST_CHART_DRAWN, arg=FIRST_CHART, timeout=timeout_ms, polling=50)


def wait_idle(page, timeout_ms: float = 60_000) -> None:
    """Until the server has finished the script run (no 'running' status shown)."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
        timeout=timeout_ms,
        polling=50,
    )


def wait_settled(page, quiet_ms: float = 200, timeout_ms: float = 60_000) -> None:
    """Until the page has not changed for ``quiet_ms``: the browser has drawn everything
    the last run sent, so the next measure starts from an idle page."""
    page.wait_for_function(
        "(quiet) => performance.now() - window.__lastChange > quiet",
        arg=quiet_ms,
        timeout=timeout_ms,
        polling=50,
    )


def us_thumb(page):
    slider = page.get_by_test_id("stSlider").filter(has_text=US_SLIDER_LABEL).first
    return slider.get_by_role("slider")


#: The slider's value, range and step, read from its ``<input type="range">``.
SLIDER_STATE = "(el) => [el.value, el.min, el.max, el.step].map(Number)"

#: What the page did after the last key press, for a clear message when the first chart
#: is not redrawn: which charts of the main area were redrawn, and what the page shows.
AFTER_KEY = """
(selector) => {
  const key = window.__keys.length ? window.__keys[window.__keys.length - 1] : null;
  const charts = [...document.querySelectorAll(selector)];
  const drawn = new Set();
  for (const d of window.__draws) {
    if (key !== null && d.at >= key) {
      const i = charts.findIndex(c => c.contains(d.canvas));
      drawn.add(i < 0 ? 'outside the main charts' : `chart ${i + 1}`);
    }
  }
  return {
    charts: charts.length,
    redrawn: [...drawn],
    running: !!document.querySelector('[data-testid="stStatusWidget"]'),
    exception: !!document.querySelector('[data-testid="stException"]'),
  };
}
"""


def slider_state(thumb) -> tuple[float, float, float, float]:
    """The slider's value, minimum, maximum and step."""
    value, low, high, step = thumb.evaluate(SLIDER_STATE)
    return value, low, high, step


def two_values(start: float, low: float, high: float, step: float) -> tuple[float, float]:
    """The two values a slider starting at ``start`` is moved between: one and two steps
    from it, inward (to the right unless that leaves the range). Neither is ``start``,
    which is the page's default on every bench page: the app's page moved off its
    defaults draws its changes list and the baseline beside the reader's path, and a
    slider moved in turn between two inner values never sticks at an end of its range.
    """
    if start + 2 * step <= high + 1e-9:
        return start + step, start + 2 * step
    if start - 2 * step >= low - 1e-9:
        return start - 2 * step, start - step
    raise ValueError(f"a slider from {low:g} to {high:g} by {step:g} has no room to move")


def key_between(value: float, pair: tuple[float, float]) -> str:
    """The arrow key that moves a slider at ``value`` toward the other value of ``pair``:
    left from the upper value (or above it), right from anywhere below it."""
    return "ArrowLeft" if value >= pair[1] - 1e-9 else "ArrowRight"


class BenchError(RuntimeError):
    """A measure that cannot be taken, with what the page showed instead."""


def press_and_time(
    page,
    thumb,
    key: str = "ArrowRight",
    timeout_ms: float = 30_000,
    name: str = "the page",
) -> float:
    """Seconds from a key press on ``thumb`` to the next redraw of the first chart.

    Raises ``BenchError`` saying what happened instead when the key does not move the
    slider (within 5 s) or the first chart is not redrawn within ``timeout_ms``.
    """
    before, low, high, step = slider_state(thumb)
    since = page.evaluate("() => performance.now()")
    thumb.press(key)
    deadline = time.monotonic() + 5  # the slider is looked up afresh at each look
    while slider_state(thumb)[0] == before:
        if time.monotonic() > deadline:
            raise BenchError(
                f"{name}: {key} did not move the slider from {before:g}"
                f" (range {low:g} to {high:g}, step {step:g})"
            )
        time.sleep(0.02)
    try:
        answer = page.wait_for_function(
            REDRAW_AFTER_KEY, arg=[FIRST_CHART, since], timeout=timeout_ms, polling=50
        )
    except Exception as error:
        after = slider_state(thumb)[0]
        seen = page.evaluate(AFTER_KEY, FIRST_CHART)
        redrawn = ", ".join(seen["redrawn"]) or "nothing"
        raise BenchError(
            f"{name}: the first of its {seen['charts']} charts was not redrawn within"
            f" {timeout_ms / 1000:g} s of {key} (slider {before:g} -> {after:g});"
            f" redrawn: {redrawn}; script still running: {seen['running']};"
            f" exception shown: {seen['exception']}. A page whose first chart does not"
            " change with the slider cannot be timed this way."
        ) from error
    seconds = answer.json_value()
    wait_idle(page, timeout_ms)
    wait_settled(page, timeout_ms=timeout_ms)
    return float(seconds)


def median(values) -> float:
    return statistics.median(values)


def percentile(values, q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


@dataclass
class Figure:
    """One row of the bench table."""

    name: str
    value: float | None
    reference: float | None
    unit: str
    target: str
    limit: float | None  # what the ratio (or the value, see ``judge``) must stay within
    note: str = ""
    judge: str = "ratio"  # "ratio": value / reference; "value": the value itself

    @property
    def ratio(self) -> float | None:
        if self.value is None or self.reference in (None, 0):
            return None
        return self.value / self.reference

    @property
    def verdict(self) -> str:
        if self.value is None:
            return "not measured"
        if self.limit is None:
            return "-"
        by_ratio = self.judge == "ratio" and self.reference is not None
        measured = self.ratio if by_ratio else self.value
        return "met" if measured is not None and measured <= self.limit else "MISSED"


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "ms":
        return f"{value * 1000:.0f} ms" if value >= 0.01 else f"{value * 1000:.2f} ms"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:g} {unit}".strip()


def table(figures: list[Figure]) -> str:
    """A markdown table: figure, value, reference, ratio, target, verdict."""
    rows = [("Figure", "Value", "Reference", "Ratio", "Target", "Verdict")]
    for f in figures:
        rows.append(
            (
                f.name + (f" ({f.note})" if f.note else ""),
                _fmt(f.value, f.unit),
                _fmt(f.reference, f.unit),
                "-" if f.ratio is None else f"{f.ratio:.2f}x",
                f.target,
                f.verdict,
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def machine() -> str:
    """CPUs, Python, and the load average over the last minute. Called before a run, the
    load shows other work on the machine, which stretches the app's times more than the
    references' (the app does more), so it moves the ratios too."""
    return (
        f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]},"
        f" load average {os.getloadavg()[0]:.1f} at the start"
    )
