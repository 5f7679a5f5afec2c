"""Per-channel lanes for the notification worker: channels post concurrently, each within
Slack's rate.

Slack allows about one message a second per channel, with short bursts. One worker posting
row after row made a busy channel (or one slow post) delay every other channel and capped
the worker near a few hundred posts a second. Here each channel has a lane: its posts go
out in order, one at a time, paced by a token bucket (`BURST` at once, then one per
`INTERVAL` seconds); different channels' lanes run side by side, at most `MAX_POSTS` posts
in flight in all. `busy()` names the channels whose lane is occupied, so the worker does not
claim rows it could not post yet and leaves room for the other channels.

A post whose turn has not come (waiting for its lane or its pace) has done nothing yet, so a
stop cancels it at once (`cancel_waiting`) instead of waiting for its turn; its `give_back`
runs so that its claimed row is free again for the next start.
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


@dataclass
class _Post:
    channel: str
    lane: _Lane
    give_back: Callable[[], None] | None
    started: bool = False  # its turn came: the post itself runs (or ran)


class Lanes:
    def __init__(self, *, max_posts: int = MAX_POSTS, on_done: Callable[[], object] | None = None):
        self.max_posts = max_posts
        self._lanes: dict[str, _Lane] = {}
        self._posts: dict[asyncio.Task[Any], _Post] = {}
        self._on_done = on_done

    @property
    def full(self) -> bool:
        return len(self._posts) >= self.max_posts

    @property
    def tasks(self) -> set[asyncio.Task[Any]]:
        return set(self._posts)

    def busy(self) -> set[str]:
        return {key for key, lane in self._lanes.items() if lane.users}

    def is_busy(self, channel: str) -> bool:
        lane = self._lanes.get(channel)
        return lane is not None and lane.users > 0

    def run(
        self,
        channel: str,
        post: Callable[[], Awaitable[Any]],
        *,
        give_back: Callable[[], None] | None = None,
    ) -> asyncio.Task[Any]:
        """Start `post` in `channel`'s lane: after the lane's earlier posts and its pace.
        `give_back` runs if the task is cancelled before `post` started."""
        lane = self._lanes.setdefault(channel, _Lane())
        lane.users += 1
        state = _Post(channel, lane, give_back)
        task = asyncio.get_running_loop().create_task(self._in_lane(state, post))
        self._posts[task] = state
        task.add_done_callback(self._finished)
        return task

    def cancel_waiting(self) -> int:
        """Cancel every post whose turn has not come; how many. Posts under way go on."""
        waiting = [task for task, state in self._posts.items() if not state.started]
        for task in waiting:
            task.cancel()
        return len(waiting)

    async def _in_lane(self, state: _Post, post: Callable[[], Awaitable[Any]]) -> Any:
        lane = state.lane
        async with lane.lock:
            delay = lane.wait_needed(time.monotonic())
            if delay:
                await asyncio.sleep(delay)
                lane.wait_needed(time.monotonic())
            lane.tokens -= 1
            state.started = True
            return await post()

    def _finished(self, task: asyncio.Task[Any]) -> None:
        # Here, not in the task: a task cancelled before its first step never runs its body.
        state = self._posts.pop(task)
        lane = state.lane
        lane.users -= 1
        if (
            not lane.users
            and lane.tokens >= BURST - 1e-9
            and self._lanes.get(state.channel) is lane
        ):
            del self._lanes[state.channel]  # idle and rested: forget it
        if task.cancelled() and not state.started and state.give_back is not None:
            state.give_back()
        if self._on_done is not None:
            self._on_done()
