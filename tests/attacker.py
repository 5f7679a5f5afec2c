"""An address an attacker controls: a loopback server that records every request it gets.

Tests put its URL where a hostile body can name one (response_url, private_metadata) and
assert calbot never calls it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.emulators.server import serve


class Attacker:
    def __init__(self) -> None:
        self.requests: list[tuple[str, str, bytes]] = []  # (method, path, body)
        self._lock = threading.Lock()
        self.url = ""

    async def _record(self, request: Request) -> Response:
        body = await request.body()
        with self._lock:
            self.requests.append((request.method, request.url.path, body))
        return JSONResponse({"ok": True})

    def app(self) -> Starlette:
        methods = ["GET", "POST", "PUT", "DELETE"]
        return Starlette(
            routes=[
                Route("/{path:path}", self._record, methods=methods),
            ]
        )


@contextmanager
def attacker_server() -> Iterator[Attacker]:
    attacker = Attacker()
    server = serve(attacker.app(), lifespan="off")
    attacker.url = server.url
    try:
        yield attacker
    finally:
        server.stop(wait=False)
