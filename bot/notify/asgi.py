"""`/calcom/webhooks/{token}` served in bare ASGI, ahead of Starlette's routing.

Why not a Starlette route like the others: this is the route Cal.com's delivery bursts
hit, and it is held to 0.8× the deliveries a second of a floor that does only the HMAC
check and one INSERT (issue 15, bench/burst.py). Starlette's way through (its exception
middleware, the router's matching of every route, a Request and its header parsing, a
JSONResponse rendering its JSON) cost about as much as reading, verifying and storing the
delivery. Here the path is matched by its prefix, the two headers needed are picked from
the scope, the body is read with the same capped reader as Slack's route
(bot/bodies.py), and the answer is bytes rendered once (bot/notify/endpoint.py).

What Starlette and bot.logs.RequestRefMiddleware gave the route, it keeps: a request
reference on every line, one access line (quiet for a 200), 405 for another method, and
for anything the endpoint raises a 500 with one error line and no traceback. Every other
path goes on to Starlette untouched.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import MutableMapping
from typing import Any

from bot import logs
from bot.bodies import read_limited
from bot.notify.endpoint import Answer, Endpoint, answer

log = logging.getLogger("calbot.notify")

PREFIX = "/calcom/webhooks/"
FAILED = answer(500, error="internal error")
NOT_ALLOWED: Answer = (405, b"Method Not Allowed")


class WebhookRoute:
    """ASGI middleware: `PREFIX` + one path segment answered by `endpoint`, the rest by
    the app inside."""

    def __init__(self, app: logs.ASGIApp, endpoint: Endpoint):
        self.app = app
        self.endpoint = endpoint

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        path = scope["path"] if scope["type"] == "http" else ""
        token = path[len(PREFIX) :] if path.startswith(PREFIX) else ""
        if not token or "/" in token:  # Starlette's `{token}`: one segment, not empty
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), FAILED[0]  # the line's status if cut short
        with logs.request_ref():
            try:
                status, body = await self._answer(scope, receive, token)
                headers = [(b"content-length", str(len(body)).encode())]
                if status == NOT_ALLOWED[0]:
                    headers += [
                        (b"allow", b"POST"),
                        (b"content-type", b"text/plain; charset=utf-8"),
                    ]
                else:
                    headers.append((b"content-type", b"application/json"))
                await send({"type": "http.response.start", "status": status, "headers": headers})
                await send({"type": "http.response.body", "body": body})
            finally:  # a request cancelled meanwhile (a stop's deadline) is logged too
                logs.log_access(scope["method"], path, status, started)

    async def _answer(self, scope: MutableMapping[str, Any], receive: Any, token: str) -> Answer:
        if scope["method"] != "POST":
            return NOT_ALLOWED
        signature = declared = None
        for name, value in scope["headers"]:  # the first of each, as Starlette's would
            if name == b"x-cal-signature-256" and signature is None:
                signature = value.decode("latin-1")
            elif name == b"content-length" and declared is None:
                declared = value.decode("latin-1")
        try:
            return await self.endpoint(
                token, signature, functools.partial(read_limited, receive, declared)
            )
        except Exception as error:  # a fault of ours: Cal.com retries a 5xx later
            log.error("webhook delivery not answered: %s", type(error).__name__)
            return FAILED
