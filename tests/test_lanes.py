"""The worker's per-channel lanes (bot/notify/lanes.py): channels post side by side, one
channel's posts go out in order, and a busy channel is named so its rows wait unclaimed."""

from __future__ import annotations

import asyncio

from bot.notify.lanes import Lanes


async def test_a_stuck_channel_does_not_hold_up_another() -> None:
    lanes = Lanes(max_posts=4)
    release = asyncio.Event()
    posted: list[str] = []

    async def stuck() -> None:
        await release.wait()
        posted.append("A1")

    async def quick(name: str) -> None:
        posted.append(name)

    a1 = lanes.run("T:CA", stuck)
    a2 = lanes.run("T:CA", lambda: quick("A2"))
    b1 = lanes.run("T:CB", lambda: quick("B1"))
    await asyncio.wait_for(b1, 1)  # B posted while A's first post hangs
    assert posted == ["B1"]
    assert lanes.busy() == {"T:CA"}
    assert not a2.done()  # A's second waits for A's first: one channel stays in order

    release.set()
    await asyncio.gather(a1, a2)
    assert posted == ["B1", "A1", "A2"]
    assert lanes.busy() == set()


async def test_lanes_are_bounded_in_all() -> None:
    lanes = Lanes(max_posts=2)
    release = asyncio.Event()
    tasks = [lanes.run(f"T:C{n}", release.wait) for n in range(2)]
    assert lanes.full
    release.set()
    await asyncio.gather(*tasks)
    assert not lanes.full


async def test_a_stop_cancels_the_posts_waiting_their_turn_and_gives_them_back() -> None:
    lanes = Lanes(max_posts=8)
    release = asyncio.Event()
    posted: list[str] = []
    given_back: list[str] = []

    began = asyncio.Event()

    async def slow(name: str) -> None:
        began.set()
        await release.wait()
        posted.append(name)

    def run(channel: str, name: str) -> asyncio.Task[None]:
        return lanes.run(channel, lambda: slow(name), give_back=lambda: given_back.append(name))

    a1 = run("T:CA", "A1")
    await began.wait()  # A1's turn has come: its post is under way
    a2, b1 = run("T:CA", "A2"), run("T:CB", "B1")  # A2 waits for A1; B1 not yet begun
    assert lanes.cancel_waiting() == 2
    release.set()
    await asyncio.wait({a1, a2, b1})
    assert a2.cancelled() and b1.cancelled() and not a1.cancelled()
    assert posted == ["A1"] and sorted(given_back) == ["A2", "B1"]
    assert lanes.tasks == set() and lanes.busy() == set()
