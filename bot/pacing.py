"""Pacing calls to one rate limit: at most `rate` calls start in any `per` seconds.

Maton allows 10 requests a second for a key (README, *Finding a time with teammates*), and
the workspace has one key, so every fan-out of gateway reads (`/cal find` reads each
participant's slots) goes through the runtime's one Pacer instead of firing all at once
and drawing 429s.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


class Pacer:
    def __init__(
        self,
        rate: int = 10,
        per: float = 1.0,
        *,
        now: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ):
        self.rate = rate
        self.per = per
        self._now = now
        self._sleep = sleep
        self._starts: deque[float] = deque()
        self._lock = asyncio.Lock()

    async def wait_turn(self) -> None:
        """Return once a call may start without exceeding the rate; record its start."""
        async with self._lock:  # turns are handed out in arrival order
            while True:
                now = self._now()
                while self._starts and self._starts[0] <= now - self.per:
                    self._starts.popleft()
                if len(self._starts) < self.rate:
                    self._starts.append(now)
                    return
                await self._sleep(self._starts[0] + self.per - now)

    async def run(self, work: Callable[[], Awaitable[T]]) -> T:
        await self.wait_turn()
        return await work()
