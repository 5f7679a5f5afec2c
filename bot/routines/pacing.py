"""Posts spread within Slack's limits for chat.postMessage: about one message a second a
channel (short bursts tolerated) and a workspace-wide limit Slack does not publish.

A DM is a channel, so a person's agenda and a reminder at the same minute are posted a
second apart; posts to different people go out at up to `per_second`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

PER_CHANNEL = 1.0  # seconds between two posts to one channel
PER_SECOND = 20.0  # posts a second, all channels together (1,200 a minute)


class Pacer:
    def __init__(
        self,
        *,
        per_channel: float = PER_CHANNEL,
        per_second: float = PER_SECOND,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ):
        self.per_channel = per_channel
        self.gap = 1.0 / per_second
        self.clock = clock
        self.sleep = sleep
        self._next_any = 0.0
        self._next_in: dict[str, float] = {}

    async def turn(self, channel: str) -> float:
        """Wait for this channel's turn; the seconds waited. Slots are taken before
        sleeping, so concurrent callers queue up instead of all waking at once."""
        now = self.clock()
        at = max(now, self._next_any, self._next_in.get(channel, 0.0))
        self._next_any = at + self.gap
        self._next_in[channel] = at + self.per_channel
        if len(self._next_in) > 50_000:  # forget channels whose turn is long past
            self._next_in = {c: t for c, t in self._next_in.items() if t > now}
        if at > now:
            await self.sleep(at - now)
        return at - now
