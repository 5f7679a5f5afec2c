"""Per-channel lanes for the notification worker: channels post concurrently, each within
Slack's rate.

Slack allows about one message a second per channel, with short bursts. One worker posting
row after row made a busy channel (or one slow post) delay every other channel and capped
the worker near a few hundred posts a second. Here each channel has a lane: its posts go
out in order, one at a time, paced by a token bucket (`BURST` at once, then one per
`INTERVAL` seconds); different channels' lanes run side by side, at most `MAX_POSTS` posts
in flight in all. `busy()` names the channels whose lane is occupied, so the worker does not
claim rows it could not post yet and leaves room for the other channels.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

MAX_POSTS = 16
INTERVAL = 1.0  # seconds between posts to one channel, once its burst is used
BURST = 3


@dataclass
class _Lane:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    tokens: float = BURST
    refilled: float = field(default_factory=time.monotonic)
    users: int = 0  # tasks holding or waiting for this lane

    def wait_needed(self, now: float) -> float:
        self.tokens = min(BURST, self.tokens + (now - self.refilled) / INTERVAL)
        self.refilled = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) * INTERVAL


class Lanes:
    def __init__(self, *, max_posts: int = MAX_POSTS, on_done: Callable[[], None] | None = None):
        self.max_posts = max_posts
        self._lanes: dict[str, _Lane] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._on_done = on_done

    @property
    def full(self) -> bool:
        return len(self._tasks) >= self.max_posts

    @property
    def tasks(self) -> set[asyncio.Task[Any]]:
        return set(self._tasks)

    def busy(self) -> set[str]:
        return {key for key, lane in self._lanes.items() if lane.users}

    def run(self, channel: str, post: Callable[[], Awaitable[Any]]) -> asyncio.Task[Any]:
        """Start `post` in `channel`'s lane: after the lane's earlier posts and its pace."""
        lane = self._lanes.setdefault(channel, _Lane())
        lane.users += 1
        task = asyncio.get_running_loop().create_task(self._in_lane(channel, lane, post))
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    async def _in_lane(self, channel: str, lane: _Lane, post: Callable[[], Awaitable[Any]]) -> Any:
        try:
            async with lane.lock:
                delay = lane.wait_needed(time.monotonic())
                if delay:
                    await asyncio.sleep(delay)
                    lane.wait_needed(time.monotonic())
                lane.tokens -= 1
                return await post()
        finally:
            lane.users -= 1
            if not lane.users and lane.tokens >= BURST - 1e-9:
                self._lanes.pop(channel, None)  # idle and rested: forget it

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if self._on_done is not None:
            self._on_done()
