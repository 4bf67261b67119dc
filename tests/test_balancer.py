"""A smoke test of the balancer's configuration: deploy/haproxy.cfg in front of two
replicas of the app on 127.0.0.1. Readers spread over the replicas, a reader's
requests stay on its replica, its WebSocket passes through, and when its replica
stops it is moved to the other one. (bench/load_test_balancer.py drives browsers
through the same configuration.)
"""

from __future__ import annotations

import base64
import os
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.balancer import haproxy_missing, start_balancer
from tests.browser.streamlit_server import free_port, start, stop

ROOT = Path(__file__).resolve().parents[1]
LOGS = ROOT / ".pytest_cache"


@pytest.fixture(scope="module")
def cluster() -> Iterator[tuple[str, list]]:
    missing = haproxy_missing()
    if missing:
        if os.environ.get("REQUIRE_BALANCER") == "1":
            pytest.fail(f"the balancer test is required (REQUIRE_BALANCER=1) but {missing}")
        pytest.skip(missing)
    LOGS.mkdir(exist_ok=True)
    replicas = []
    balancer = None
    try:
        for k in (1, 2):
            replicas.append(start(free_port(), LOGS / f"balancer-smoke-{k}.log"))
        ports = [int(p.args[p.args.index("--server.port") + 1]) for p in replicas]
        balancer = start_balancer(ports, LOGS / "balancer-smoke-haproxy.log")
        yield balancer.url, replicas
    finally:
        if balancer:
            balancer.stop()
        for process in replicas:
            stop(process)


def get(url: str, cookie: str | None = None) -> tuple[int, str | None]:
    """Status and the REPLICA cookie the balancer set (None when it set none)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as answer:
        cookies = answer.headers.get_all("Set-Cookie") or []
        replica = next((c.split(";")[0] for c in cookies if c.startswith("REPLICA=")), None)
        return answer.status, replica


def websocket_handshake(url: str, cookie: str) -> str:
    """The status line of a WebSocket upgrade of Streamlit's stream through ``url``."""
    parts = urlsplit(url)
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        "GET /_stcore/stream HTTP/1.1\r\n"
        f"Host: {parts.netloc}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Protocol: streamlit\r\n"
        f"Origin: {url}\r\nCookie: {cookie}\r\n\r\n"
    )
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as connection:
        connection.sendall(request.encode())
        return connection.recv(4096).split(b"\r\n", 1)[0].decode()


def test_readers_spread_stay_on_their_replica_and_move_when_it_stops(cluster):
    url, replicas = cluster
    health = f"{url}/_stcore/health"
    firsts = [get(health) for _ in range(6)]
    assert all(status == 200 for status, _ in firsts)
    # Server lines app1 and app3 point at the first replica, app2 at the second.
    replica_of = {"REPLICA=app1": 1, "REPLICA=app2": 2, "REPLICA=app3": 1}
    assert {replica_of[cookie] for _, cookie in firsts} == {1, 2}

    # A reader with its cookie stays where it is: the balancer sets no new cookie.
    assert get(health, "REPLICA=app1") == (200, None)
    assert get(f"{url}/Scenario", "REPLICA=app2") == (200, None)
    assert websocket_handshake(url, "REPLICA=app1").startswith("HTTP/1.1 101")

    # Its replica stops: once the health checks (every 2 s, 2 failures) mark it down,
    # its readers are served by the other and get its cookie.
    stop(replicas[0])
    deadline = time.monotonic() + 20
    moved = None
    while time.monotonic() < deadline:
        try:
            moved = get(health, "REPLICA=app1")
        except urllib.error.HTTPError as error:
            moved = (error.code, None)
        if moved == (200, "REPLICA=app2"):
            break
        time.sleep(0.5)
    assert moved == (200, "REPLICA=app2")
    assert websocket_handshake(url, "REPLICA=app2").startswith("HTTP/1.1 101")
