"""A small time-to-live cache with an injected clock.

Used for answers that change rarely and cost a network round trip: a Slack user's
profile and zone, a linked user's Cal.com profile and event types (5 minutes,
dropped when the bot itself changes them).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class TTLCache(Generic[V]):
    def __init__(
        self, ttl: float, *, clock: Callable[[], float] = time.monotonic, max_size: int = 10_000
    ):
        self.ttl = ttl
        self.clock = clock
        self.max_size = max_size
        self._items: dict[Hashable, tuple[float, V]] = {}

    def get(self, key: Hashable) -> V | None:
        item = self._items.get(key)
        if item is None:
            return None
        expires, value = item
        if expires <= self.clock():
            del self._items[key]
            return None
        return value

    def put(self, key: Hashable, value: V) -> V:
        if len(self._items) >= self.max_size:
            self._evict()
        self._items[key] = (self.clock() + self.ttl, value)
        return value

    def drop(self, key: Hashable) -> None:
        self._items.pop(key, None)

    def drop_where(self, predicate: Callable[[Hashable], bool]) -> None:
        for key in [k for k in self._items if predicate(k)]:
            del self._items[key]

    async def get_or_load(self, key: Hashable, load: Callable[[], Awaitable[V]]) -> V:
        cached = self.get(key)
        if cached is not None:
            return cached
        return self.put(key, await load())

    def _evict(self) -> None:
        now = self.clock()
        for key in [k for k, (exp, _) in self._items.items() if exp <= now]:
            del self._items[key]
        while len(self._items) >= self.max_size:
            self._items.pop(next(iter(self._items)))
