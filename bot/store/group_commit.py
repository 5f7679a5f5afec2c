"""Webhook deliveries that arrive together are committed together (group commit).

Each delivery must be in the outbox before Cal.com gets its 200, and a commit (a WAL append
of every page the INSERT touched: the row, its dedupe key, the due index) costs more than
the INSERT itself. So the endpoint awaits `OutboxWriter.enqueue`, which adds the row to a
batch; the batch is written by one callback on the next turn of the event loop, in one
transaction, so every request the loop took in at once shares one commit. Nothing is
answered before its commit: durability (WAL, synchronous=NORMAL) and the dedupe of Cal.com's
retries (the unique key, one INSERT per row: a duplicate fails alone, the others stay) are
the same as with one commit per delivery. Whatever the commit raises reaches every request
of its batch (answered 503, which Cal.com retries), a failed rollback included.

A delivery that finds the writer idle (no batch open, and none enqueued or committed in
the last `IDLE` seconds) is committed at once, one INSERT in autocommit, without the loop
turn: measured in the served process at 100 deliveries a second, that turn cost a lone
delivery ~40 µs at the median and up to 0.3 ms at p90, waiting behind whatever else the
loop had ready (the worker's post). So the first delivery of a burst is committed alone
and the rest of it together; the idle time is counted from the end of the last commit,
so a slow commit (a large body, a busy disk) never makes the rest of a burst look idle.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Callable

import sqlite_utils

from bot.store.notifications import Delivery, insert_delivery

log = logging.getLogger("calbot.store")

IDLE = 0.001  # seconds without a delivery after which the next is committed at once


class OutboxWriter:
    """The outbox's INSERTs, committed a batch at a time; one per database connection."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        idle: float = IDLE,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.db = db
        self.idle = idle  # math.inf: always batch (tests of batches)
        self.clock = clock
        self._batch: list[tuple[Delivery, asyncio.Future[int | None]]] = []
        self._last = float("-inf")  # `clock()` at the last enqueue, or a commit's end

    async def enqueue(self, delivery: Delivery) -> int | None:
        """Its new row id once committed; None when its dedupe key is there already
        (Cal.com retried). Raises what the commit raised (the caller answers 5xx)."""
        now = self.clock()
        idle, self._last = not self._batch and now - self._last > self.idle, now
        if idle:  # no turn of the loop to wait for: nobody else is coming to share it
            return self._store([delivery])[0]
        loop = asyncio.get_running_loop()
        stored: asyncio.Future[int | None] = loop.create_future()
        if not self._batch:
            loop.call_soon(self._write)
        self._batch.append((delivery, stored))
        # a request cancelled meanwhile cancels only its future: its row is still written
        return await stored

    def _write(self) -> None:
        batch, self._batch = self._batch, []
        try:
            ids = self._store([delivery for delivery, _ in batch])
        except Exception as error:  # logged by _store
            for _, stored in batch:
                if not stored.done():
                    stored.set_exception(error)
            return
        for (_, stored), row_id in zip(batch, ids, strict=True):
            if not stored.done():
                stored.set_result(row_id)

    def _store(self, deliveries: list[Delivery]) -> list[int | None]:
        """`_commit`, with one error line when it fails (disk full, locked past the busy
        timeout...); the error is raised on, for every request of the batch."""
        try:
            return self._commit(deliveries)
        except Exception as error:
            log.error(
                "outbox: %d deliveries not stored (%s)", len(deliveries), type(error).__name__
            )
            raise
        finally:  # idle is counted from here: the rest of a burst waited for this commit
            self._last = self.clock()

    def _commit(self, deliveries: list[Delivery]) -> list[int | None]:
        """The rows, committed. A lone one (deliveries paced apart) is one INSERT in
        autocommit, its own transaction: a third of the statements of BEGIN/INSERT/COMMIT.
        Only a transaction begun here is rolled back: never one the connection was in."""
        conn = self.db.conn
        if len(deliveries) == 1 and not conn.in_transaction:
            return [insert_delivery(conn, deliveries[0])]
        conn.execute("BEGIN IMMEDIATE")  # raises when a transaction is open already
        try:
            ids = [insert_delivery(conn, delivery) for delivery in deliveries]
            conn.execute("COMMIT")
        except BaseException:
            try:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
            except sqlite3.Error as error:  # the first error is the one the callers get
                log.error("outbox: rollback failed too (%s)", type(error).__name__)
            raise
        return ids
