"""SQLite storage through sqlite-utils: one module per table group, over one `Store`.

`links` (account links), `intents` (what picker buttons mean), `notifications`
(subscriptions and the outbox), `installations` (slack_sdk's stores), and the schema
(`schema.migrations`). Used by the services and the notify worker only (README, "How it
is built"). Plain functions over the `Store`, which owns one connection. Queries are
single indexed lookups (~10 µs), so they run on the event loop; WAL mode lets a second
process (`calbot links`, a second web worker) read while the server writes.
"""

from __future__ import annotations

import random
import sqlite3
import time
from pathlib import Path

import sqlite_utils

from bot.models import Link
from bot.store import links as link_rows
from bot.store import routines as routine_rows
from bot.store.schema import migrations

__all__ = ["Store", "migrations"]


def _enable_wal(conn: sqlite3.Connection, patience: float = 10.0) -> None:
    """Switch the file to WAL, retrying while another process does the same.

    Two processes opening a new file at once can deadlock on the switch (each holds the
    lock the other needs); SQLite then answers "database is locked" at once instead of
    waiting on the busy timeout. Found by tests/test_operations.py.
    """
    deadline = time.monotonic() + patience
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01 + random.random() * 0.04)  # jitter: not in step with the other


class Store:
    """The database handle, one per process; `migrate()` is safe when two start at once."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        conn = sqlite3.connect(self.path, check_same_thread=False, timeout=10, isolation_level=None)
        conn.execute("PRAGMA busy_timeout = 10000")
        if self.path != ":memory:":
            _enable_wal(conn)
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        self.db = sqlite_utils.Database(conn)

    def migrate(self) -> None:
        """Apply pending migrations under one write lock.

        BEGIN IMMEDIATE serialises two processes migrating the same file at start-up
        (two web dynos): the second waits on the busy timeout, then finds nothing pending.
        sqlite-utils nests each migration in a savepoint inside this transaction.
        """
        self.db.execute("BEGIN IMMEDIATE")
        try:
            migrations.apply(self.db)
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def pending_migrations(self) -> list[str]:
        return [m.name for m in migrations.pending(self.db)]

    def ping(self) -> bool:
        return self.db.execute("select 1").fetchone() == (1,)

    def close(self) -> None:
        self.db.conn.close()

    # --- links: `bot/store/links.py` owns the table; these read as the handle's own ---

    def get_link(self, team_id: str, user_id: str) -> Link | None:
        return link_rows.get(self.db, team_id, user_id)

    def save_link(self, link: Link) -> Link:
        return link_rows.save(self.db, link)

    def delete_link(self, team_id: str, user_id: str) -> None:
        link_rows.delete(self.db, team_id, user_id)

    def links(self, team_id: str | None = None) -> list[Link]:
        return link_rows.all_links(self.db, team_id)

    def purge_team(self, team_id: str) -> dict[str, int]:
        """Delete every row of ours keyed by `team_id`; the number deleted, by table.

        Any table with a `team_id` column counts, so tables added later are covered
        without touching this. slack_sdk's tables (`slack_*`, `oauth_states`) are left to
        its installation store.
        """
        deleted: dict[str, int] = {}
        for table in self.db.tables:
            if table.name.startswith(("slack_", "oauth_", "_")):
                continue
            if "team_id" in table.columns_dict:
                cursor = self.db.execute(f"delete from [{table.name}] where team_id = ?", [team_id])
                deleted[table.name] = cursor.rowcount
        routine_rows.forget_cached(self.db)  # the webhook route's copy of the opt-ins
        return deleted
