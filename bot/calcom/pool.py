"""The process's one pooled HTTP client for Maton, with a cap below the pool and self-repair.

Two failures seen under a burst (issue 15) shape it:

- Thousands of requests queued inside httpcore's pool cost CPU on every scheduling pass
  (`_assign_requests_to_connections` scans every connection for every queued request).
  So at most `max_in_flight` requests (below the pool's `max_connections`) are handed to
  httpx at once; the rest wait here, on a plain semaphore, where waiting costs nothing.
- A request cancelled while httpcore had just made a new connection for it leaves that
  connection in the pool forever, CONNECTING (encode/httpcore#1093, still open in
  httpcore 1.0.9). Enough of them and every later request times out against a healthy
  gateway until the process restarts. Every `CHECK_EVERY` requests the pool is looked at:
  a connection that is neither idle, closed nor serving one of our requests in flight is
  orphaned; when `LEAK_LIMIT` of them have piled up (or a request waits for the pool,
  which the cap says cannot happen), a fresh client replaces the wedged one. The old one
  is closed once its requests still in flight have ended.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import httpx

log = logging.getLogger("calbot.calcom")

MAX_CONNECTIONS = 50
MAX_IN_FLIGHT = 40  # below MAX_CONNECTIONS: nothing ever waits inside httpcore's pool
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 15.0
LEAK_LIMIT = 5  # orphaned connections tolerated before the client is replaced
CHECK_EVERY = 16  # requests between two looks at the pool (a look scans every connection)


class GatewayPool:
    """`request()` like an `httpx.AsyncClient`'s, through the current healthy client."""

    def __init__(
        self,
        factory: Callable[[], httpx.AsyncClient],
        *,
        max_in_flight: int = MAX_IN_FLIGHT,
        pool_timeout: float = 5.0,
        leak_limit: int = LEAK_LIMIT,
        check_every: int = CHECK_EVERY,
    ):
        self._factory = factory
        self._client = factory()
        self._slots = asyncio.Semaphore(max_in_flight)
        self._in_flight: dict[httpx.AsyncClient, int] = {self._client: 0}
        self._retired: set[httpx.AsyncClient] = set()
        self._closers: set[asyncio.Task[None]] = set()
        self.pool_timeout = pool_timeout
        self.leak_limit = leak_limit
        self.check_every = check_every
        self._until_check = 0
        self.replaced = 0  # how many times a wedged client was replaced

    @property
    def client(self) -> httpx.AsyncClient:
        return self._client

    @property
    def timeout(self) -> httpx.Timeout:
        return self._client.timeout

    @property
    def in_flight(self) -> int:
        return sum(self._in_flight.values())

    def orphans(self, client: httpx.AsyncClient | None = None) -> int:
        """Connections busy with no request of ours behind them (see the module doc)."""
        client = client or self._client
        pool = getattr(getattr(client, "_transport", None), "_pool", None)
        connections = getattr(pool, "connections", None)
        if connections is None:
            return 0
        busy = sum(1 for c in connections if not c.is_idle() and not c.is_closed())
        return max(0, busy - self._in_flight.get(client, 0))

    async def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        timeout = kwargs.get("timeout")
        wait = self.pool_timeout
        if isinstance(timeout, httpx.Timeout) and timeout.pool is not None:
            wait = timeout.pool
        try:
            async with asyncio.timeout(wait):
                await self._slots.acquire()
        except TimeoutError:
            raise httpx.PoolTimeout("no free gateway slot in time") from None
        try:
            self._until_check -= 1
            if self._until_check <= 0:
                self._until_check = self.check_every
                if self.orphans() >= self.leak_limit:
                    self._replace(f"{self.orphans()} orphaned connections")
            client = self._client
            self._in_flight[client] += 1
            try:
                return await client.request(method, url, **kwargs)
            except httpx.PoolTimeout:
                # the cap keeps our requests out of httpcore's queue: a wait there means
                # slots have leaked
                self._replace("a request waited for the pool")
                raise
            finally:
                self._in_flight[client] -= 1
                if client in self._retired and self._in_flight[client] == 0:
                    self._close_later(client)
        finally:
            self._slots.release()

    async def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("GET", url, **kwargs)

    async def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("POST", url, **kwargs)

    def _replace(self, reason: str) -> None:
        old = self._client
        if old in self._retired:
            return
        log.warning("gateway connection pool wedged (%s): replacing it", reason)
        self.replaced += 1
        self._client = self._factory()
        self._in_flight[self._client] = 0
        self._retired.add(old)
        if self._in_flight.get(old, 0) == 0:
            self._close_later(old)

    def _close_later(self, client: httpx.AsyncClient) -> None:
        self._retired.discard(client)
        self._in_flight.pop(client, None)
        task = asyncio.get_running_loop().create_task(client.aclose())
        self._closers.add(task)
        task.add_done_callback(self._closers.discard)

    async def aclose(self) -> None:
        clients = [self._client, *self._retired]
        self._retired.clear()
        for client in clients:
            await client.aclose()
        if self._closers:
            await asyncio.wait(set(self._closers))

    async def __aenter__(self) -> GatewayPool:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


def make_http_client(
    *, connect: float = CONNECT_TIMEOUT, read: float = READ_TIMEOUT
) -> GatewayPool:
    """The process's one pooled HTTP client for Maton (gateway and control plane).

    Connect 5 s, read 15 s; at most `MAX_IN_FLIGHT` requests at once, below the pool's
    size, and a wedged pool replaced. Build it once per process and
    close it on shutdown.
    """

    def client() -> httpx.AsyncClient:
        return httpx.AsyncClient(
            timeout=httpx.Timeout(read, connect=connect, write=read, pool=connect),
            limits=httpx.Limits(
                max_connections=MAX_CONNECTIONS, max_keepalive_connections=20, keepalive_expiry=30
            ),
            headers={"User-Agent": "calbot/0.1"},
            follow_redirects=False,
        )

    return GatewayPool(client, max_in_flight=MAX_IN_FLIGHT, pool_timeout=connect)
