"""Start and stop ``streamlit run`` on 127.0.0.1, for the browser tests and the app benchmarks."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 60


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def healthy(url: str) -> bool:
    """True once the server at ``url`` answers its health check."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
            return answer.status == 200
    except OSError:
        return False


def start(port: int, log: Path | None, script: str | Path = "app.py") -> subprocess.Popen:
    """Start ``streamlit run script`` on ``port``; return once it is healthy.

    Parameters
    ----------
    port : the port on 127.0.0.1 to serve on.
    log : the file the server's output is appended to; None drops the output.
    script : the app to run, relative to the repository.

    Raises
    ------
    RuntimeError
        If the server exits (naming the log) or does not answer in time.
    """
    output = log.open("a") if log else contextlib.nullcontext(subprocess.DEVNULL)
    with output as sink:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(script),
                "--server.headless",
                "true",
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(port),
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=ROOT,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT_S
    while not healthy(url):
        if process.poll() is not None:
            see = f"; see {log}" if log else ""
            raise RuntimeError(f"streamlit run {script} exited with {process.returncode}{see}")
        if time.monotonic() > deadline:
            stop(process)
            raise RuntimeError(
                f"streamlit run {script} did not answer /_stcore/health in {START_TIMEOUT_S} s"
            )
        # Short polls: the benchmarks time a cold start from here to the first chart.
        time.sleep(0.05)
    return process


def stop(process: subprocess.Popen) -> None:
    """Stop the server, forcibly if it does not end within 15 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
