"""SQLite storage through sqlite-utils: account links, intents, subscriptions and the outbox.

Plain functions over a `Store` that owns one connection. Queries are single indexed
lookups (~10 µs), so they run on the event loop; WAL mode lets a second process
(`calbot links`, a second web worker) read while the server writes.
"""

from __future__ import annotations

import random
import sqlite3
import time
from dataclasses import fields
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils
from sqlite_utils import Migrations

from bot.models import Link

migrations = Migrations("calbot")


@migrations()
def m001_links(db: sqlite_utils.Database) -> None:
    db["links"].create(
        {
            "team_id": str,
            "user_id": str,
            "connection_id": str,
            "status": str,  # PENDING until the user finishes OAuth at Maton, then ACTIVE
            "calcom_user_id": int,
            "username": str,
            "email": str,
            "name": str,
            "time_zone": str,
            "created_at": str,
            "updated_at": str,
        },
        pk=("team_id", "user_id"),
        not_null={"team_id", "user_id", "connection_id", "status"},
    )
    db["links"].create_index(["connection_id"], unique=True)


@migrations()
def m002_intents(db: sqlite_utils.Database) -> None:
    """What a slot picker's buttons mean, kept server-side: buttons carry only the intent id."""
    db["intents"].create(
        {"id": str, "team_id": str, "user_id": str, "payload": str, "created_at": str},
        pk="id",
        not_null={"team_id", "user_id", "payload", "created_at"},
    )
    db["intents"].create_index(["created_at"])


@migrations()
def m003_notify_subscriptions_outbox(db: sqlite_utils.Database) -> None:
    """Booking notifications: one row a subscription (its own Cal.com webhook, token and
    secret), and the outbox of received deliveries the worker posts to Slack exactly once
    (bot/notify/tables.py)."""
    db.execute(
        """create table subscriptions (
            id integer primary key,
            token text not null unique,        -- the unguessable part of the subscriber URL
            team_id text not null,
            user_id text not null,             -- the owner: whose bookings, whose webhook
            channel_id text,                   -- null: the owner's DM
            event_type_id integer,             -- null: all the owner's event types
            event_type_title text,
            triggers text not null,            -- comma-separated: created,rescheduled,...
            webhook_id text not null,
            secret text not null,
            broken text,                       -- the Slack error that stops posting, if any
            created_at text not null
        )"""
    )
    db.execute("create index subscriptions_owner on subscriptions (team_id, user_id)")
    db.execute(
        """create table outbox (
            id integer primary key,
            token text not null,
            team_id text not null,
            dedupe_key text not null unique,   -- subscription, trigger, booking uid, start
            trigger_event text not null,
            booking_uid text,
            rescheduled_from text,             -- the booking a reschedule replaces
            body text not null,
            status text not null,              -- pending, posting, sent, failed, skipped
            attempts integer not null default 0,
            received_at real not null,
            next_attempt_at real not null,
            lease_until real,
            last_error text,
            channel text,
            message_ts text,
            sent_at real
        )"""
    )
    db.execute("create index outbox_due on outbox (status, next_attempt_at)")
    db.execute("create index outbox_reschedules on outbox (token, rescheduled_from)")
    db.execute("create index outbox_received on outbox (received_at)")


@migrations()
def m004_slack_oauth_stores(db: sqlite_utils.Database) -> None:
    """slack_sdk's installation and OAuth state tables (multi-workspace mode), made here.

    Under the migration lock, so two processes starting at once cannot both create them.
    Made in every mode: switching to OAuth later needs no manual step.
    """
    from bot.installations import oauth_tables_ddl

    for statement in oauth_tables_ddl():
        db.execute(statement)


@migrations()
def m005_subscriptions_one_per_place(db: sqlite_utils.Database) -> None:
    """One subscription per owner, place (channel or DM) and scope (event type or all), so
    two `/cal notify #sales` at once, even from two processes, cannot make two.

    Duplicates made before this are dropped, the oldest kept (their Cal.com webhooks stay
    behind, and what those deliver is answered 404: an unknown token).
    """
    place = "team_id, user_id, ifnull(channel_id, ''), ifnull(event_type_id, 0)"
    extra = (
        "select id from subscriptions where id not in "
        f"(select min(id) from subscriptions group by {place})"
    )
    db.execute(
        f"delete from outbox where token in (select token from subscriptions where id in ({extra}))"
    )
    db.execute(f"delete from subscriptions where id in ({extra})")
    db.execute(f"create unique index subscriptions_place on subscriptions ({place})")


_LINK_FIELDS = {f.name for f in fields(Link)}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


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

    # --- links -------------------------------------------------------------------------

    def get_link(self, team_id: str, user_id: str) -> Link | None:
        rows = list(self.db["links"].rows_where("team_id = ? and user_id = ?", [team_id, user_id]))
        return Link(**rows[0]) if rows else None

    def save_link(self, link: Link) -> Link:
        now = _now()
        record = {k: v for k, v in link.__dict__.items() if k in _LINK_FIELDS}
        record["created_at"] = record.get("created_at") or now
        record["updated_at"] = now
        self.db["links"].upsert(record, pk=("team_id", "user_id"))
        return Link(**record)

    def delete_link(self, team_id: str, user_id: str) -> None:
        self.db.execute("delete from links where team_id = ? and user_id = ?", [team_id, user_id])

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
        return deleted

    def links(self, team_id: str | None = None) -> list[Link]:
        where, args = ("team_id = ?", [team_id]) if team_id else (None, None)
        return [
            Link(**row)
            for row in self.db["links"].rows_where(where, args, order_by="team_id, user_id")
        ]
