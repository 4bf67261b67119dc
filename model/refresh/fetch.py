"""One HTTP GET for the refresh: a time-out, retries with back-off on rate limits,
and a one-line message for every way a service can fail.

The network is reached through a *transport*, a function
``transport(url, headers, timeout) -> Response``; the default one uses
``urllib``. Tests pass a transport that plays recorded answers, so everything
above the socket (status handling, retries, parsing) is the code that runs.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

ATTEMPTS = 4  # one try and three retries on HTTP 429 or 503
BACKOFF_SECONDS = 2.0  # waits of 2, 4 and 8 s unless the service sends Retry-After
MAX_WAIT_SECONDS = 60.0


class ServiceError(Exception):
    """A service could not give its figures; ``str()`` is one line for the user."""


class NoNetwork(ServiceError):
    """The service's host could not be reached at all."""


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    headers: dict = field(default_factory=dict)


Transport = Callable[[str, dict, float], Response]


def urllib_transport(url: str, headers: dict, timeout: float) -> Response:
    """GET ``url`` over the network; an HTTP error status is returned, not raised."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return Response(answer.status, answer.read(), dict(answer.headers))
    except urllib.error.HTTPError as error:
        return Response(error.code, error.read() or b"", dict(error.headers or {}))


def get(
    url: str,
    service: str,
    *,
    headers: dict | None = None,
    transport: Transport = urllib_transport,
    timeout: float = 30.0,
    sleep: Callable[[float], None] = time.sleep,
) -> bytes:
    """The body of a successful GET of ``url``.

    A rate limit (HTTP 429) or a busy service (HTTP 503) is retried up to
    ``ATTEMPTS`` times in all, waiting ``BACKOFF_SECONDS * 2**k`` seconds
    before retry k (or the service's Retry-After, at most ``MAX_WAIT_SECONDS``).

    Raises
    ------
    NoNetwork
        The host could not be reached (no network, name not found, refused).
    ServiceError
        A time-out, an error status, a rate limit that did not lift, or an
        empty answer; the message names the service and the host.
    """
    host = urlsplit(url).hostname or url
    for attempt in range(ATTEMPTS):
        try:
            response = transport(url, headers or {}, timeout)
        except TimeoutError:
            raise ServiceError(f"{service}: no answer from {host} within {timeout:g} s") from None
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                raise ServiceError(
                    f"{service}: no answer from {host} within {timeout:g} s"
                ) from None
            raise NoNetwork(f"{service}: cannot reach {host} ({error.reason})") from None
        except OSError as error:
            raise NoNetwork(f"{service}: cannot reach {host} ({error})") from None
        if response.status in (429, 503):
            if attempt == ATTEMPTS - 1:
                what = "rate limit" if response.status == 429 else "service busy"
                raise ServiceError(
                    f"{service}: {what} (HTTP {response.status}) at {host} after "
                    f"{ATTEMPTS} tries; try again later"
                )
            sleep(_wait(response, attempt))
            continue
        if response.status >= 400:
            raise ServiceError(f"{service}: {host} answered HTTP {response.status}")
        if not response.body.strip():
            raise ServiceError(f"{service}: {host} sent an empty answer")
        return response.body
    raise AssertionError("unreachable")


def _wait(response: Response, attempt: int) -> float:
    retry_after = {k.lower(): v for k, v in response.headers.items()}.get("retry-after", "")
    try:
        return min(float(retry_after), MAX_WAIT_SECONDS)
    except ValueError:
        return BACKOFF_SECONDS * 2**attempt
