"""Request bodies read with a cap, for every route that takes a body from the internet
(`POST /slack/events` in bot/web.py, the Cal.com webhook route in bot/notify/).

A route reads its body before it can check who sent it, so whoever can reach the port
could otherwise make the server hold as much as they care to send. The cap is checked
twice: against Content-Length before a byte is read, then while counting what actually
arrives (a chunked body declares no length, and a declared one may lie), so no more
than one chunk past the cap is ever held and the rest is never read. A client that hangs
up before its body's end is `HungUp`, for the route to answer quietly: Starlette's own
ClientDisconnect reached uvicorn as an error with a traceback, for anyone to cause.
"""

from __future__ import annotations

from starlette.requests import ClientDisconnect, Request


class TooLarge(Exception):
    """The body is over the route's cap (and was not read to its end)."""


class HungUp(Exception):
    """The client closed the connection before the body's end: nobody reads the answer."""


async def read_limited(request: Request, limit: int) -> bytes:
    """The body, refusing more than `limit` bytes without reading them all."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise TooLarge()
    chunks, size = [], 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise TooLarge()
            chunks.append(chunk)
    except ClientDisconnect:
        raise HungUp() from None
    return b"".join(chunks)
