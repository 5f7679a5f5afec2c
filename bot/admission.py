"""Admission control for work handed off after the ack: bounded, and fair between people.

A burst must never turn into an unbounded pile of tasks fighting for the event loop and
the gateway pool (issue 15: 2,000 queued gateway calls left no CPU for the acks). So:

- at most `max_pending` handed-off jobs exist at once (running or waiting), and at most
  `per_user` of them belong to one person (a team and user): past either, `admit` says no
  at ack time and the listener answers "busy" at once instead of queueing;
- at most `max_running` of them run at the same time; the others wait for a slot, and the
  slots are handed out round robin between people, so one person's burst cannot starve
  everyone else's single click.

Decisions are synchronous (no await between the check and the count), so they are exact
on one event loop.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict, deque
from dataclasses import dataclass

Key = tuple[str, ...]

MAX_PENDING = 256
PER_USER = 4
MAX_RUNNING = 32


@dataclass
class Ticket:
    """One admitted job: holds its person's place until `Admission.done`."""

    key: Key
    running: bool = False
    finished: bool = False


class Admission:
    def __init__(
        self,
        *,
        max_pending: int = MAX_PENDING,
        per_user: int = PER_USER,
        max_running: int = MAX_RUNNING,
    ):
        self.max_pending = max_pending
        self.per_user = per_user
        self.max_running = max_running
        self.refused = 0  # how many jobs were turned away (for the health check and logs)
        self._pending = 0
        self._running = 0
        self._per_key: dict[Key, int] = {}
        # people with jobs waiting for a slot, in the order they get the next one
        self._waiting: OrderedDict[Key, deque[tuple[Ticket, asyncio.Future[None]]]] = OrderedDict()

    @property
    def pending(self) -> int:
        return self._pending

    def admit(self, key: Key) -> Ticket | None:
        """A ticket for one more job of `key`, or None when the queue or their share is full."""
        if self._pending >= self.max_pending or self._per_key.get(key, 0) >= self.per_user:
            self.refused += 1
            return None
        self._pending += 1
        self._per_key[key] = self._per_key.get(key, 0) + 1
        return Ticket(key)

    async def start(self, ticket: Ticket) -> None:
        """Wait for a running slot; people waiting are served in turn."""
        if self._running < self.max_running and not self._waiting:
            self._running += 1
            ticket.running = True
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(ticket.key, deque()).append((ticket, future))
        try:
            await future
        except asyncio.CancelledError:
            if ticket.running:  # the slot was handed over just as we were cancelled
                self._release_slot()
                ticket.running = False
            else:
                self._forget(ticket.key, future)
            raise

    def done(self, ticket: Ticket) -> None:
        """The job ended (however): free its slot and its place."""
        if ticket.finished:
            return
        ticket.finished = True
        if ticket.running:
            ticket.running = False
            self._release_slot()
        self._pending -= 1
        left = self._per_key[ticket.key] - 1
        if left:
            self._per_key[ticket.key] = left
        else:
            del self._per_key[ticket.key]

    def _release_slot(self) -> None:
        self._running -= 1
        while self._waiting and self._running < self.max_running:
            key, queue = next(iter(self._waiting.items()))
            ticket, future = queue.popleft()
            if queue:
                self._waiting.move_to_end(key)  # round robin: this person goes last
            else:
                del self._waiting[key]
            if future.done():
                continue
            self._running += 1
            ticket.running = True
            future.set_result(None)

    def _forget(self, key: Key, future: asyncio.Future[None]) -> None:
        queue = self._waiting.get(key)
        if queue is None:
            return
        for item in list(queue):
            if item[1] is future:
                queue.remove(item)
        if not queue:
            del self._waiting[key]
