"""The pacer keeps gateway fan-outs within Maton's 10 requests a second for a key."""

from __future__ import annotations

import asyncio

from bot.pacing import Pacer


def test_no_more_than_the_rate_start_in_any_window() -> None:
    now = [0.0]
    starts: list[float] = []

    async def sleep(seconds: float) -> None:
        now[0] += seconds  # a fake clock: waiting moves time, nothing really sleeps

    async def call() -> None:
        starts.append(now[0])

    async def main() -> None:
        pacer = Pacer(10, 1.0, now=lambda: now[0], sleep=sleep)
        await asyncio.gather(*(pacer.run(call) for _ in range(25)))

    asyncio.run(main())
    assert len(starts) == 25
    assert starts[:10] == [0.0] * 10  # the first ten at once: a /cal find of 8 never waits
    for first in starts:
        assert sum(first <= s < first + 1.0 for s in starts) <= 10
    assert max(starts) == 2.0  # and no slower than the limit requires
