"""One time budget per user action: from the click to a final answer, retries included.

`bot.slack.context` opens a budget when a request is handed off; everything that waits on
its behalf (the gateway transport's tries and back-offs, a wait for a free gateway slot,
Slack's 429 retries) asks `remaining()` and never waits past it. The budget lives in a
context variable, so a task spawned inside inherits it and work outside a user action
(notifications) has none and keeps its own, longer retries.

`note_change()` records that a request which may change something (a POST, PATCH or
DELETE) was sent: when time runs out after that, the user is told it may have gone through.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

# From the click to the final answer (issue 11: at most 10 s, gateway retries included).
ACTION_BUDGET = 10.0


@dataclass
class Budget:
    deadline: float  # time.monotonic()
    change_sent: bool = False  # a request that may change something left for the server

    def remaining(self) -> float:
        return max(0.0, self.deadline - time.monotonic())


_BUDGET: ContextVar[Budget | None] = ContextVar("calbot_budget", default=None)


def current() -> Budget | None:
    """The budget of the action being handled; None in background work."""
    return _BUDGET.get()


def remaining(default: float | None = None) -> float | None:
    """Seconds left in the current action's budget, or `default` outside one."""
    budget = _BUDGET.get()
    return default if budget is None else budget.remaining()


def note_change() -> None:
    budget = _BUDGET.get()
    if budget is not None:
        budget.change_sent = True


@contextlib.contextmanager
def opened(seconds: float, *, started: float | None = None) -> Iterator[Budget]:
    """A budget of `seconds` from `started` (a time.monotonic(); default now)."""
    budget = Budget((time.monotonic() if started is None else started) + seconds)
    token = _BUDGET.set(budget)
    try:
        yield budget
    finally:
        _BUDGET.reset(token)
