"""Many people at once through the balancer: HAProxy with deploy/haproxy.cfg in front of
replicas of the app, run as plain processes on 127.0.0.1, one replica stopped halfway.

    .venv/bin/python bench/load_test_balancer.py                      # 3 replicas, 12 sessions
    .venv/bin/python bench/load_test_balancer.py --replicas 1 --no-stop   # one replica alone

Starts the replicas (``streamlit run app.py``, each on a free port) and ``haproxy``
with the deployment's own configuration file, its addresses given by the
environment as in deploy/compose.yaml. Each session opens its own link (the
Scenario page with its own US tariff), then presses the US tariff slider and
switches pages as bench/load_test.py's sessions do. Halfway, every session
pauses, notes its replica (the balancer's REPLICA cookie), its link, its slider
and its surplus; the replica that holds the most sessions is killed (SIGKILL, as
a crash); the sessions it held must come back on another replica with the same
link, slider and surplus, and every session then goes on to the end.

Reports the sessions per replica, the errors (before and after the stop; the
WebSocket errors of the stop itself are listed apart), the slider-to-chart
median and 95th percentile, the scenarios kept, and each replica's resident
memory at the start and the end; appends them to ``bench/results.md``. Bounded:
``--seconds`` of load (each session stops then, or after ``--max-actions``), the
whole run cut off ten minutes past that.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness as h
import load_test as lt

from tests.balancer import SERVERS, haproxy_missing, start_balancer

US_SLIDER = h.US_SLIDER_LABEL
RESTORE_TIMEOUT_S = 90


@dataclass
class Failover:
    """The stop of one replica, seen from the sessions it held."""

    pause: asyncio.Event = field(default_factory=asyncio.Event)
    resume: asyncio.Event = field(default_factory=asyncio.Event)
    paused: set = field(default_factory=set)
    before: dict = field(default_factory=dict)  # session -> (replica, url, slider, surplus)
    after: dict = field(default_factory=dict)  # session -> (replica, url, slider, surplus)
    stopped: str | None = None
    stopped_at: float = 0.0  # time.monotonic() of the kill
    rss_at_stop: float | None = None  # the stopped replica's RSS just before the kill, MB
    back_after: list = field(default_factory=list)  # s from the kill to each session's return
    stopping: bool = False  # between the kill and the sessions' return
    errors: list[str] = field(default_factory=list)  # console / page errors while stopping


async def replica_of(page, names: list[str]) -> str:
    """The replica serving the page, by the balancer's cookie (server line k is replica k mod n)."""
    cookies = await page.context.cookies()
    line = next((c["value"] for c in cookies if c["name"] == "REPLICA"), None)
    return names[SERVERS.index(line) % len(names)] if line in SERVERS else "none"


async def state_of(page) -> tuple[str, str, str]:
    slider = page.get_by_test_id("stSlider").filter(has_text=US_SLIDER).first.get_by_role("slider")
    value = await slider.get_attribute("aria-valuenow", timeout=lt.ACTION_TIMEOUT_MS)
    surplus = page.get_by_test_id("stMetric").filter(has_text="Surplus").first
    text = await surplus.get_by_test_id("stMetricValue").inner_text(timeout=lt.ACTION_TIMEOUT_MS)
    return page.url, value, text


async def open_link(page, link: str, number: int, tally: lt.Tally, tries: int = 3) -> bool:
    """Open the session's link until its first chart is drawn; False after ``tries`` failures."""
    for _ in range(tries):
        try:
            await page.goto(link)
            await lt._first_chart_drawn(page)
            await settle(page)
            return True
        except Exception as error:
            tally.timeouts.append(f"session {number}, opening: {type(error).__name__}"[:300])
    return False


async def settle(page) -> None:
    await lt._idle(page)
    await page.wait_for_timeout(500)  # a rerun the last one scheduled shows its status by now
    await lt._idle(page)


async def come_back(page, number: int, failover: Failover, names: list[str]) -> None:
    """Wait for a session of the stopped replica to be served again with its scenario."""
    deadline = time.monotonic() + RESTORE_TIMEOUT_S
    want = failover.before[number][1:]
    while time.monotonic() < deadline:
        try:
            await lt._first_chart_drawn(page)
            await settle(page)
            now = await state_of(page)
            if now == want:
                break
        except Exception:
            pass
        await asyncio.sleep(1)
    failover.after[number] = (await replica_of(page, names), *await state_of(page))
    failover.back_after.append(time.monotonic() - failover.stopped_at)


async def session(number, browser, url, deadline, args, tally, failover, counts, names) -> None:
    rng = random.Random(number)
    context = await browser.new_context(viewport=h.VIEWPORT)
    context.set_default_timeout(lt.ACTION_TIMEOUT_MS)
    await context.add_init_script(h.TIMING_SCRIPT)
    page = await context.new_page()

    def page_error(error):
        (failover.errors if failover.stopping else tally.page_errors).append(
            f"session {number}: {error}"
        )

    def console(message):
        if failover.stopping and message.type == "error":
            failover.errors.append(f"session {number}: {message.text[:160]}")
        else:
            lt._console(message, number, tally)

    page.on("pageerror", page_error)
    page.on("console", console)
    link = f"{url}/Scenario?tariff_united_states={30 + number % 40 * 0.5:g}"
    try:
        await asyncio.sleep(number * args.stagger)
        if not await open_link(page, link, number, tally):
            return
        counts[number] = await replica_of(page, names)
        deadline = max(deadline, time.monotonic() + args.seconds)
        actions, direction = 0, "ArrowRight"
        while time.monotonic() < deadline and actions < args.max_actions:
            if failover.pause.is_set() and not failover.resume.is_set():
                await settle(page)
                failover.before[number] = (await replica_of(page, names), *await state_of(page))
                failover.paused.add(number)
                await failover.resume.wait()
                if failover.before[number][0] == failover.stopped:
                    await come_back(page, number, failover, names)
                continue
            actions += 1
            try:
                if rng.random() < args.switch_share:
                    await lt._switch(page, rng.choice(lt.PAGES))
                    await lt._check_exceptions(page, tally, f"session {number}")
                    await lt._switch(page, "Scenario")
                    await lt._first_chart_drawn(page)
                    tally.switches += 1
                else:
                    if rng.random() < 0.2:
                        direction = "ArrowLeft" if direction == "ArrowRight" else "ArrowRight"
                    tally.press_seconds.append(await lt._press(page, direction))
                await lt._check_exceptions(page, tally, f"session {number}")
            except Exception as error:
                tally.timeouts.append(f"session {number}: {type(error).__name__}: {error}"[:300])
                await page.goto(page.url)  # as a reader reloads a stuck page: its link
            await asyncio.sleep(rng.uniform(args.think_min, args.think_max))
    finally:
        failover.paused.add(number)  # a session that has ended does not hold up the stop
        await context.close()


async def stop_one(replicas, names, failover, counts, active, args) -> None:
    """Halfway: pause every session, kill the replica with the most, let the sessions go on."""
    await asyncio.sleep(args.seconds / 2 + args.sessions * args.stagger)
    failover.pause.set()
    deadline = time.monotonic() + 120
    while len(failover.paused) < active and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
    held = {name: sum(1 for r in counts.values() if r == name) for name in names}
    failover.stopped = max(held, key=held.get)
    victim = replicas[names.index(failover.stopped)]
    failover.rss_at_stop = victim.rss_mb()
    failover.stopping = True
    failover.stopped_at = time.monotonic()
    victim.process.kill()
    victim.process.wait()
    await asyncio.sleep(5)  # two failed health checks, 2 s apart, mark it down
    failover.resume.set()
    waiting = [n for n, b in failover.before.items() if b[0] == failover.stopped]
    deadline = time.monotonic() + RESTORE_TIMEOUT_S + 30
    while any(n not in failover.after for n in waiting) and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
    failover.stopping = False


async def run(args) -> dict:
    from playwright.async_api import async_playwright

    logs = h.ROOT / ".pytest_cache"
    logs.mkdir(exist_ok=True)
    replicas = []
    balancer = None
    tally, failover, counts = lt.Tally(), Failover(), {}
    try:
        for k in range(args.replicas):
            replicas.append(h.start_server("app.py", log=logs / f"balancer-replica{k + 1}.log"))
        names = [SERVERS[k] for k in range(len(replicas))]
        balancer = start_balancer([r.port for r in replicas], logs / "balancer-haproxy.log")
        start_rss = [r.rss_mb() for r in replicas]
        async with async_playwright() as driver:
            browsers = [
                await driver.chromium.launch(executable_path=h.CHROMIUM, args=h.CHROMIUM_ARGS)
                for _ in range(args.browsers)
            ]
            try:
                started = time.monotonic()
                deadline = started + args.seconds
                tasks = [
                    session(
                        i,
                        browsers[i % len(browsers)],
                        balancer.url,
                        deadline,
                        args,
                        tally,
                        failover,
                        counts,
                        names,
                    )
                    for i in range(args.sessions)
                ]
                if args.stop and len(replicas) > 1:
                    tasks.append(stop_one(replicas, names, failover, counts, args.sessions, args))
                await asyncio.wait_for(asyncio.gather(*tasks), timeout=args.seconds + 600)
                elapsed = time.monotonic() - started
                end_rss = [r.rss_mb() if r.process.poll() is None else None for r in replicas]
            finally:
                for browser in browsers:
                    await browser.close()
    finally:
        if balancer:
            balancer.stop()
        for replica in replicas:
            replica.stop()
    return {
        "tally": tally,
        "failover": failover,
        "counts": counts,
        "names": names,
        "elapsed": elapsed,
        "start_rss": start_rss,
        "end_rss": end_rss,
    }


def report(args, found: dict, machine: str) -> str:
    tally, failover = found["tally"], found["failover"]
    presses = tally.press_seconds
    p50, p95 = h.percentile(presses, 50), h.percentile(presses, 95)
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    spread = ", ".join(
        f"{name} {sum(1 for r in found['counts'].values() if r == name)}" for name in found["names"]
    )
    memory = "; ".join(
        f"{name} {start:.0f} -> {'stopped' if end is None else f'{end:.0f}'} MB"
        for name, start, end in zip(
            found["names"], found["start_rss"], found["end_rss"], strict=True
        )
    )
    used = set(found["counts"].values())
    spread_met = used == set(found["names"])
    lines = [
        f"## Load test through the balancer (bench/load_test_balancer.py), {stamp}",
        "",
        f"{args.sessions} sessions in {args.browsers} Chromium, {found['elapsed']:.0f} s, "
        f"{machine}; {len(found['names'])} replica(s) behind HAProxy (deploy/haproxy.cfg) "
        "on 127.0.0.1.",
        "",
        "| Measure | Value | Target | Verdict |",
        "|---|---|---|---|",
        f"| Sessions per replica (REPLICA cookie at the first page) | {spread} | all used | "
        f"{'met' if spread_met else 'MISSED'} |",
        f"| Errors (all kinds) | {tally.errors} | 0 | {'met' if tally.errors == 0 else 'MISSED'} |",
        f"| - exception boxes / page errors / console errors / timed out | "
        f"{len(tally.exceptions)} / {len(tally.page_errors)} / {len(tally.console_errors)} / "
        f"{len(tally.timeouts)} | 0 | |",
        f"| Console errors of Streamlit's own, not counted (bench/load_test.py KNOWN) | "
        f"{len(tally.known_console)} | | |",
        f"| Slider presses timed | {len(presses)} | | |",
        f"| Page switches (there and back) | {tally.switches} | | |",
        f"| Slider to chart, median / 95th percentile | {p50 * 1000:.0f} ms / "
        f"{p95 * 1000:.0f} ms | | |",
        f"| Replica RSS, start -> end of the load | {memory} | < 1 GB each | "
        f"{'met' if all(e is None or e < 1024 for e in found['end_rss']) else 'MISSED'} |",
    ]
    if failover.stopped:
        held = [n for n, b in failover.before.items() if b[0] == failover.stopped]
        kept = [
            n
            for n in held
            if n in failover.after
            and failover.after[n][1:] == failover.before[n][1:]
            and failover.after[n][0] not in (failover.stopped, "none")
        ]
        lines += [
            f"| Replica stopped halfway (SIGKILL) | {failover.stopped}, holding {len(held)} "
            f"session(s), {failover.rss_at_stop:.0f} MB | | |",
            f"| Its sessions served again, s after the kill (slowest) | "
            f"{max(failover.back_after, default=float('nan')):.1f} s | | |",
            f"| Its sessions back on another replica with the same link, slider and surplus | "
            f"{len(kept)} of {len(held)} | all | {'met' if len(kept) == len(held) else 'MISSED'} |",
            f"| Console and page errors while it stopped (WebSocket closed), not counted above | "
            f"{len(failover.errors)} | | |",
        ]
        missed = [n for n in held if n not in kept]
        for n in missed:
            lines.append(
                f"| - session {n}: before {failover.before[n]}, "
                f"after {failover.after.get(n)} | | | |"
            )
    samples = tally.exceptions + tally.page_errors + tally.console_errors + tally.timeouts
    if samples:
        lines += ["", "First errors:", ""] + [f"- {s}" for s in samples[:10]]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", type=int, default=3, choices=(1, 2, 3))
    parser.add_argument("--sessions", type=int, default=12)
    parser.add_argument("--seconds", type=float, default=90.0)
    parser.add_argument("--browsers", type=int, default=2, help="Chromium processes")
    parser.add_argument("--max-actions", type=int, default=200, help="per session")
    parser.add_argument("--switch-share", type=float, default=0.15, help="share of page switches")
    parser.add_argument("--think-min", type=float, default=2.0, help="pause between actions, s")
    parser.add_argument("--think-max", type=float, default=6.0)
    parser.add_argument("--stagger", type=float, default=0.5, help="s between session starts")
    parser.add_argument("--no-stop", dest="stop", action="store_false", help="stop no replica")
    parser.add_argument("--no-write", action="store_true", help="do not append to results.md")
    args = parser.parse_args(argv)
    missing = h.browser_missing() or haproxy_missing()
    if missing:
        print(f"Load test skipped: {missing}", file=sys.stderr)
        return 1
    machine = h.machine()
    found = asyncio.run(run(args))
    text = report(args, found, machine)
    print(text)
    if not args.no_write:
        with (h.BENCH / "results.md").open("a", encoding="utf-8") as sink:
            sink.write("\n" + text)
        print("Appended to bench/results.md")
    failed = found["tally"].errors or "MISSED" in text
    return 2 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
