"""Webhook deliveries that arrive together are committed together (group commit).

Each delivery must be in the outbox before Cal.com gets its 200, and a commit (a WAL append
of every page the INSERT touched: the row, its dedupe key, the due index) costs more than
the INSERT itself. So the endpoint awaits `OutboxWriter.enqueue`, which adds the row to a
batch; the batch is written by one callback on the next turn of the event loop, in one
transaction, so every request the loop took in at once shares one commit. Nothing is
answered before its commit: durability (WAL, synchronous=NORMAL) and the dedupe of Cal.com's
retries (the unique key, one INSERT per row: a duplicate fails alone, the others stay) are
the same as with one commit per delivery. A lone delivery waits one loop turn, no timer.
"""

from __future__ import annotations

import asyncio
import logging

import sqlite_utils

from bot.store.notifications import Delivery, insert_delivery

log = logging.getLogger("calbot.store")


class OutboxWriter:
    """The outbox's INSERTs, committed a batch at a time; one per database connection."""

    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        self._batch: list[tuple[Delivery, asyncio.Future[int | None]]] = []

    async def enqueue(self, delivery: Delivery) -> int | None:
        """Its new row id once committed; None when its dedupe key is there already
        (Cal.com retried). Raises what the commit raised (the caller answers 5xx)."""
        loop = asyncio.get_running_loop()
        stored: asyncio.Future[int | None] = loop.create_future()
        if not self._batch:
            loop.call_soon(self._write)
        self._batch.append((delivery, stored))
        # a request cancelled meanwhile cancels only its future: its row is still written
        return await stored

    def _write(self) -> None:
        batch, self._batch = self._batch, []
        conn = self.db.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            ids = [insert_delivery(conn, delivery) for delivery, _ in batch]
            conn.execute("COMMIT")
        except Exception as error:  # disk full, locked past the busy timeout...
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            log.error("outbox: %d deliveries not stored (%s)", len(batch), type(error).__name__)
            for _, stored in batch:
                if not stored.done():
                    stored.set_exception(error)
            return
        for (_, stored), row_id in zip(batch, ids, strict=True):
            if not stored.done():
                stored.set_result(row_id)
