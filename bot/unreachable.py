"""Why a service did not answer, said in words an operator can act on.

aiohttp (slack_sdk) and httpx (the gateway) each wrap the operating system's error their own
way; `calbot doctor` reads the chain and names the cause (a name that does not resolve, a
refused connection, a timeout, TLS) instead of printing a library's exception repr.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from urllib.parse import urlparse

import httpx


def causes(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and what it wraps (aiohttp keeps the OS error aside, httpx chains it)."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo += [getattr(current, "os_error", None), current.__cause__, current.__context__]


def why_unreachable(url: str, exc: BaseException, timeout: float = 5.0) -> str:
    """Why nothing answered at `url`, in words, with what to check: not a library's repr."""
    host = urlparse(url).hostname or url
    chain = list(causes(exc))
    if any(isinstance(c, socket.gaierror) for c in chain):
        return (
            f"the name {host} does not resolve: check the URL's spelling, and this server's "
            "DNS and outbound network"
        )
    if any(isinstance(c, ssl.SSLError) for c in chain):
        return f"the TLS handshake with {host} failed: check the server's CA certificates"
    if any(isinstance(c, TimeoutError | httpx.TimeoutException) for c in chain):
        return (
            f"{host} did not answer within {timeout:g} s: check this server's outbound "
            "network, firewall and proxy"
        )
    if any(isinstance(c, ConnectionRefusedError) for c in chain):
        return f"{host} refused the connection: check the URL's host and port"
    return (
        f"no connection to {host} ({type(exc).__name__}): check the URL, and this server's "
        "outbound network, firewall and proxy"
    )
