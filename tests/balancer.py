"""Start ``haproxy`` with the deployment's own deploy/haproxy.cfg in front of replicas
on 127.0.0.1, for the balancer's smoke test and bench/load_test_balancer.py.

The configuration takes its addresses from the environment (as deploy/compose.yaml
gives them): server line k of SERVERS points at replica k modulo the replicas given.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.browser.streamlit_server import free_port

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "deploy" / "haproxy.cfg"
SERVERS = ("app1", "app2", "app3")  # the server lines of deploy/haproxy.cfg
START_TIMEOUT_S = 30


def haproxy_missing() -> str | None:
    """Why the balancer cannot run here, or None."""
    return None if shutil.which("haproxy") else "no haproxy on PATH (apt-get install haproxy)"


@dataclass
class Balancer:
    process: subprocess.Popen
    url: str

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def start_balancer(ports: list[int], log: Path) -> Balancer:
    """``haproxy -db -f deploy/haproxy.cfg`` on a free port; return once it passes requests."""
    port = free_port()
    env = dict(os.environ, BALANCER_BIND=f"127.0.0.1:{port}")
    for k, name in enumerate(SERVERS):
        env[name.upper()] = f"127.0.0.1:{ports[k % len(ports)]}"
    with log.open("w") as sink:
        process = subprocess.Popen(
            ["haproxy", "-db", "-f", str(CONFIG)], env=env, stdout=sink, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"haproxy exited with {process.returncode}; see {log}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return Balancer(process, url)
        except OSError:
            pass
        time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"haproxy passed no request to a replica in {START_TIMEOUT_S} s; see {log}")
