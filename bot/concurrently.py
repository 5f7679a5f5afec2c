"""Independent gateway calls side by side, failing exactly as they would one after another.

`asyncio.gather` alone is not enough where calls used to run in sequence: its first error
to *arrive* wins (a fast Slack refusal could hide the Cal.com error a user was always
shown), and the other calls keep running unwatched after it raises. `in_order` starts
every call at once, then takes their outcomes in the order given: the first call's error
wins, as it did in sequence; once one fails, the calls after it are cancelled and awaited
(none left running, no exception left unretrieved), and the same holds if the caller is
cancelled (the action's time budget ran out).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, TypeVar, overload

A = TypeVar("A")
B = TypeVar("B")
C = TypeVar("C")


@overload
async def in_order(a: Awaitable[A], b: Awaitable[B], /) -> tuple[A, B]: ...


@overload
async def in_order(a: Awaitable[A], b: Awaitable[B], c: Awaitable[C], /) -> tuple[A, B, C]: ...


@overload
async def in_order(*calls: Awaitable[A]) -> tuple[A, ...]: ...


async def in_order(*calls: Awaitable[Any]) -> tuple[Any, ...]:
    """The calls' results, in order; run concurrently, each in its own task."""
    tasks = [asyncio.ensure_future(call) for call in calls]
    try:
        return tuple([await task for task in tasks])
    finally:
        for task in tasks:
            task.cancel()  # a no-op on a task that has finished
        await asyncio.gather(*tasks, return_exceptions=True)
