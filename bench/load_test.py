"""Many people at once: browser sessions moving sliders and switching pages on one server.

    .venv/bin/python bench/load_test.py                    # 20 sessions, 60 s
    .venv/bin/python bench/load_test.py --sessions 30 --seconds 120

Starts ``streamlit run app.py`` on a free port of 127.0.0.1, opens the sessions in
Chromium (Debian's, the browser tests' flags) and lets each one, until the time is
up, press the US tariff slider's arrow keys (timing each press to the redrawn
surplus chart) and now and then go to another page by the sidebar and come back.
Every session stops by itself: ``--seconds`` after its page first drew, or after
``--max-actions``; the whole run is cut off ten minutes past ``--seconds``.

Reports the errors (exception boxes on a page, page errors, console errors,
actions that timed out: the target is none), the 95th percentile of the
slider-to-chart time, and the server's resident memory at the end; appends them to
``bench/results.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness as h

PAGES = ["Home", "Back-test", "Compare", "Data", "Methodology"]
ACTION_TIMEOUT_MS = 60_000
OPEN_TIMEOUT_MS = 120_000  # a page's first drawing, with every other session running


@dataclass
class Tally:
    press_seconds: list[float] = field(default_factory=list)
    switches: int = 0
    exceptions: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    timeouts: list[str] = field(default_factory=list)
    known_console: list[str] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(
            len(x) for x in (self.exceptions, self.page_errors, self.console_errors, self.timeouts)
        )


async def _first_chart_drawn(page) -> None:
    await page.wait_for_function(
        h.FIRST_CHART_DRAWN, arg=h.FIRST_CHART, timeout=OPEN_TIMEOUT_MS, polling=100
    )


async def _idle(page) -> None:
    await page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
        timeout=ACTION_TIMEOUT_MS,
        polling=100,
    )


async def _check_exceptions(page, tally: Tally, where: str) -> None:
    shown = await page.get_by_test_id("stException").count()
    if shown:
        text = await page.get_by_test_id("stException").first.inner_text()
        tally.exceptions.append(f"{where}: {text[:200]}")


async def _press(page, key: str) -> float:
    thumb = (
        page.get_by_test_id("stSlider")
        .filter(has_text=h.US_SLIDER_LABEL)
        .first.get_by_role("slider")
    )
    await thumb.focus()
    since = await page.evaluate("() => performance.now()")
    await thumb.press(key)
    answer = await page.wait_for_function(
        h.REDRAW_AFTER_KEY,
        arg=[h.FIRST_CHART, since],
        timeout=ACTION_TIMEOUT_MS,
        polling=100,
    )
    seconds = float(await answer.json_value())
    await _idle(page)
    return seconds


async def _switch(page, label: str) -> None:
    link = page.get_by_test_id("stSidebar").get_by_role("link", name=label, exact=True)
    await link.first.click(timeout=ACTION_TIMEOUT_MS)
    await (
        page.get_by_test_id("stMain")
        .get_by_role("heading")
        .first.wait_for(timeout=ACTION_TIMEOUT_MS)
    )
    await _idle(page)


async def _open_scenario(page, url: str, number: int, tally: Tally, tries: int = 3) -> bool:
    """Open the Scenario page until its first chart is drawn; False after ``tries`` failures."""
    for _ in range(tries):
        try:
            await page.goto(url + "/Scenario")
            await _first_chart_drawn(page)
            await _idle(page)
            return True
        except Exception as error:
            tally.timeouts.append(f"session {number}, opening: {type(error).__name__}"[:300])
    return False


#: Console errors that are Streamlit's own, not the app's: on a deep link the page
#: first looks for the server under the page's path (a 404 on /<page>/_stcore/...).
KNOWN = ("/_stcore/health", "/_stcore/host-config")


def _console(message, number: int, tally: Tally) -> None:
    if message.type != "error":
        return
    where = (message.location or {}).get("url", "")
    text = f"session {number}: {message.text[:160]} ({where})"
    if any(known in where for known in KNOWN):
        tally.known_console.append(text)
    else:
        tally.console_errors.append(text)


async def session(number: int, browser, url: str, deadline: float, args, tally: Tally) -> None:
    rng = random.Random(number)
    context = await browser.new_context(viewport=h.VIEWPORT)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    await context.add_init_script(h.TIMING_SCRIPT)
    page = await context.new_page()
    page.on("pageerror", lambda error: tally.page_errors.append(f"session {number}: {error}"))
    page.on("console", lambda message: _console(message, number, tally))
    try:
        await asyncio.sleep(number * args.stagger)  # people arrive one after another
        if not await _open_scenario(page, url, number, tally):
            return
        deadline = max(deadline, time.monotonic() + args.seconds)  # each session gets its time
        actions, direction = 0, "ArrowRight"
        while time.monotonic() < deadline and actions < args.max_actions:
            actions += 1
            try:
                if rng.random() < args.switch_share:
                    await _switch(page, rng.choice(PAGES))
                    await _check_exceptions(page, tally, f"session {number}")
                    await _switch(page, "Scenario")
                    await _first_chart_drawn(page)
                    tally.switches += 1
                else:
                    if rng.random() < 0.2:
                        direction = "ArrowLeft" if direction == "ArrowRight" else "ArrowRight"
                    tally.press_seconds.append(await _press(page, direction))
                await _check_exceptions(page, tally, f"session {number}")
            except Exception as error:  # a stuck action is counted, then the session goes on
                tally.timeouts.append(f"session {number}: {type(error).__name__}: {error}"[:300])
                if not await _open_scenario(page, url, number, tally):
                    return
            await asyncio.sleep(rng.uniform(args.think_min, args.think_max))
    finally:
        await context.close()


def cpu_seconds() -> dict[str, float]:
    """CPU time used so far (user + system, s) by each process, by pid: (name, seconds)."""
    tick = os.sysconf("SC_CLK_TCK")
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        found[entry.name] = (command, (int(fields[11]) + int(fields[12])) / tick)
    return found


class CpuMeter:
    """CPU time spent by the server, by Chromium and by the rest, sampled every second
    (a browser process that ends between two samples loses at most its last second)."""

    def __init__(self, server_pid: int):
        self.server_pid = server_pid
        self.first = cpu_seconds()
        self.last = dict(self.first)
        self.started = time.monotonic()

    def sample(self) -> None:
        self.last.update(cpu_seconds())

    async def run(self) -> None:
        while True:
            self.sample()
            await asyncio.sleep(1.0)

    def share(self) -> dict[str, float]:
        """CPUs used on average since the start: server, chromium, other."""
        self.sample()
        seconds = time.monotonic() - self.started
        used = {"server": 0.0, "chromium": 0.0, "other": 0.0}
        for pid, (command, total) in self.last.items():
            spent = total - self.first.get(pid, (command, 0.0))[1]
            if int(pid) == self.server_pid:
                used["server"] += spent
            elif "chrom" in command:
                used["chromium"] += spent
            else:
                used["other"] += spent
        return {name: spent / seconds for name, spent in used.items()}


async def run(args) -> dict:
    from playwright.async_api import async_playwright

    tally = Tally()
    server = h.start_server("app.py", log=h.ROOT / ".pytest_cache" / "load-test.log")
    try:
        start_rss = server.rss_mb()
        async with async_playwright() as driver:
            browsers = [
                await driver.chromium.launch(executable_path=h.CHROMIUM, args=h.CHROMIUM_ARGS)
                for _ in range(args.browsers)
            ]
            try:
                meter = CpuMeter(server.pid)
                sampling = asyncio.create_task(meter.run())
                started = time.monotonic()
                deadline = started + args.seconds
                tasks = [
                    session(i, browsers[i % len(browsers)], server.url, deadline, args, tally)
                    for i in range(args.sessions)
                ]
                await asyncio.wait_for(asyncio.gather(*tasks), timeout=args.seconds + 600)
                peak_rss = server.rss_mb()
                elapsed = time.monotonic() - started
                sampling.cancel()
                cpu = meter.share()
            finally:
                for browser in browsers:
                    await browser.close()
        end_rss = server.rss_mb()
    finally:
        server.stop()
    return {
        "tally": tally,
        "elapsed": elapsed,
        "start_rss": start_rss,
        "peak_rss": peak_rss,
        "end_rss": end_rss,
        "cpu": cpu,
    }


def report(args, found: dict, machine: str) -> str:
    tally: Tally = found["tally"]
    cpu = found["cpu"]
    presses = tally.press_seconds
    p50, p95 = h.percentile(presses, 50), h.percentile(presses, 95)
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    lines = [
        f"## Load test (bench/load_test.py), {stamp}",
        "",
        f"{args.sessions} sessions in {args.browsers} Chromium, {found['elapsed']:.0f} s, "
        f"{machine}; one server on 127.0.0.1.",
        "",
        "| Measure | Value | Target | Verdict |",
        "|---|---|---|---|",
        f"| Errors (all kinds) | {tally.errors} | 0 | {'met' if tally.errors == 0 else 'MISSED'} |",
        f"| - exception boxes (stException) | {len(tally.exceptions)} | 0 | |",
        f"| - page errors | {len(tally.page_errors)} | 0 | |",
        f"| - console errors | {len(tally.console_errors)} | 0 | |",
        f"| - actions timed out | {len(tally.timeouts)} | 0 | |",
        f"| Console errors of Streamlit's own, not counted (see KNOWN) | "
        f"{len(tally.known_console)} | | |",
        f"| Slider presses timed | {len(presses)} | | |",
        f"| Page switches (there and back) | {tally.switches} | | |",
        f"| Slider to chart, median | {p50 * 1000:.0f} ms | | |",
        f"| Slider to chart, 95th percentile | {p95 * 1000:.0f} ms | | |",
        f"| Server RSS at start / at the end of the load | {found['start_rss']:.0f} MB / "
        f"{found['peak_rss']:.0f} MB | < 400 MB | "
        f"{'met' if found['peak_rss'] < 400 else 'MISSED'} |",
        f"| Server RSS after the sessions closed | {found['end_rss']:.0f} MB | | |",
        f"| CPUs in use on average: server / Chromium / rest | {cpu['server']:.2f} / "
        f"{cpu['chromium']:.2f} / {cpu['other']:.2f} (of {os.cpu_count()}) | | |",
    ]
    if cpu["chromium"] > 2 * cpu["server"]:
        lines += [
            "",
            "The browsers, not the server, used most of the machine: with every session's "
            "Chromium on the server's machine, the slider-to-chart times measure the "
            "browsers' rendering as much as the server.",
        ]
    samples = tally.exceptions + tally.page_errors + tally.console_errors + tally.timeouts
    if samples:
        lines += ["", "First errors:", ""] + [f"- {s}" for s in samples[:10]]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--browsers", type=int, default=2, help="Chromium processes")
    parser.add_argument("--max-actions", type=int, default=400, help="per session")
    parser.add_argument("--switch-share", type=float, default=0.15, help="share of page switches")
    parser.add_argument("--think-min", type=float, default=2.0, help="pause between actions, s")
    parser.add_argument("--think-max", type=float, default=6.0)
    parser.add_argument("--stagger", type=float, default=0.5, help="s between session starts")
    parser.add_argument("--no-write", action="store_true", help="do not append to results.md")
    args = parser.parse_args(argv)
    missing = h.browser_missing()
    if missing:
        print(f"Load test skipped: {missing}", file=sys.stderr)
        return 1
    machine = h.machine()  # before the load: it names the machine's other work
    found = asyncio.run(run(args))
    text = report(args, found, machine)
    print(text)
    if not args.no_write:
        results = h.BENCH / "results.md"
        with results.open("a", encoding="utf-8") as sink:
            sink.write("\n" + text)
        print(f"Appended to {results.relative_to(h.ROOT)}")
    return 0 if found["tally"].errors == 0 else 2


if __name__ == "__main__":
    sys.exit(main())
