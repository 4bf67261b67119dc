"""Speed of the model: one scenario run, one back-test, 10,000 draws, one calibration.

Run: ``.venv/bin/python bench/bench_model.py``. Prints the median and the minimum
over repeats, with the target for each. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from model import Scenario, backtest, calibrate, load_baseline, simulate, uncertainty
from model.baseline import load_actuals_cached


def timed(function, repeats: int) -> tuple[float, float]:
    """(median, min) seconds of ``repeats`` calls after one warm-up call."""
    function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def main() -> None:
    baseline = load_baseline()
    load_actuals_cached()
    scenario = Scenario()
    cases = [
        ("scenario run: simulate()", lambda: simulate(scenario, baseline), 2000, 1e-3),
        ("scenario run with .path table", lambda: simulate(scenario, baseline).path, 2000, 1e-3),
        ("back-test from 2017", lambda: backtest(2017), 50, 10e-3),
        (
            "uncertainty, 10,000 draws",
            lambda: uncertainty(scenario, 10_000, baseline=baseline),
            20,
            100e-3,
        ),
        ("calibration, window 2018-2022", lambda: calibrate((2018, 2022)), 5, 2.0),
    ]
    print(f"{'case':34} {'median':>10} {'min':>10} {'target':>10}  ok")
    for name, function, repeats, target in cases:
        median, best = timed(function, repeats)
        print(
            f"{name:34} {_fmt(median):>10} {_fmt(best):>10} {_fmt(target):>10}  "
            f"{'yes' if median <= target else 'NO'}"
        )


def _fmt(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} us"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


if __name__ == "__main__":
    main()
