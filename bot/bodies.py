"""Request bodies read with a cap, for every route that takes a body from the internet
(`POST /slack/events` in bot/web.py, the Cal.com webhook route in bot/notify/asgi.py).

A route reads its body before it can check who sent it, so whoever can reach the port
could otherwise make the server hold as much as they care to send. The cap is checked
twice: against Content-Length before a byte is read, then while counting what actually
arrives (a chunked body declares no length, and a declared one may lie), so no more
than one chunk past the cap is ever held and the rest is never read. A client that hangs
up before its body's end is `HungUp`, for the route to answer quietly: Starlette's own
ClientDisconnect reached uvicorn as an error with a traceback, for anyone to cause.

It reads ASGI messages itself rather than through a Starlette `Request`, so that the
webhook route, which runs without Starlette (bot/notify/asgi.py), shares it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]


class TooLarge(Exception):
    """The body is over the route's cap (and was not read to its end)."""


class HungUp(Exception):
    """The client closed the connection before the body's end: nobody reads the answer."""


async def read_limited(receive: Receive, declared: str | None, limit: int) -> bytes:
    """The body (`receive`'s `http.request` messages), refusing more than `limit` bytes
    without reading them all; `declared` is the request's Content-Length, if any."""
    if declared and declared.isdigit() and int(declared) > limit:
        raise TooLarge()
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":  # http.disconnect: the client left
            raise HungUp()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise TooLarge()
        chunks.append(chunk)
        if not message.get("more_body", False):
            return chunks[0] if len(chunks) == 1 else b"".join(chunks)
