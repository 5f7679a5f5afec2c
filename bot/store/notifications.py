"""The SQL of booking notifications: subscriptions and the outbox (schema in bot/store/schema.py).

Every function is one or two indexed statements on the shared connection (autocommit),
so each is its own transaction: a delivery lands in the outbox together with its dedupe
key or not at all, and a row is claimed by exactly one worker even when two processes
share the database file.
"""

from __future__ import annotations

import sqlite3
import sys
import time
import weakref
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from bot.models import Subscription

# --- subscriptions ------------------------------------------------------------------------


def _subscriptions(db: sqlite_utils.Database, where: str, args: list[Any]) -> list[Subscription]:
    # a plain select: sqlite-utils' rows_where first asks sqlite_master three times
    # (views, then tables), which tripled the webhook endpoint's statements
    cursor = db.execute(f"select * from subscriptions where {where} order by id", args)
    names = [column[0] for column in cursor.description]
    return [Subscription.from_row(dict(zip(names, row, strict=True))) for row in cursor]


def subscription_by_token(db: sqlite_utils.Database, token: str) -> Subscription | None:
    found = _subscriptions(db, "token = ?", [token])
    return found[0] if found else None


# The webhook endpoint reads its subscription on every delivery; the rows it needs (token,
# secret, owner) are kept here per database, emptied by every change this module makes, and
# re-read after SUBSCRIPTION_TTL seconds so another process's change is seen by then (a
# delivery stored meanwhile for a subscription removed elsewhere is skipped by the worker).
SUBSCRIPTION_TTL = 5.0
_by_token: weakref.WeakKeyDictionary[sqlite_utils.Database, dict[str, tuple[float, Subscription]]]
_by_token = weakref.WeakKeyDictionary()


def subscription_for_delivery(db: sqlite_utils.Database, token: str) -> Subscription | None:
    """`subscription_by_token` for the webhook endpoint, without a query on most calls.
    Only found subscriptions are kept: an unknown token is looked up each time."""
    cached = _by_token.setdefault(db, {})
    hit = cached.get(token)
    now = time.monotonic()
    if hit is not None and now - hit[0] < SUBSCRIPTION_TTL:
        return hit[1]
    sub = subscription_by_token(db, token)
    if sub is None:
        cached.pop(token, None)
    else:
        cached[token] = (now, sub)
    return sub


def _changed(db: sqlite_utils.Database) -> None:
    """A subscription changed here: the endpoint reads it afresh."""
    _by_token.pop(db, None)


def subscription_by_id(db: sqlite_utils.Database, sub_id: int) -> Subscription | None:
    found = _subscriptions(db, "id = ?", [sub_id])
    return found[0] if found else None


def subscriptions_of(db: sqlite_utils.Database, team_id: str, user_id: str) -> list[Subscription]:
    return _subscriptions(db, "team_id = ? and user_id = ?", [team_id, user_id])


def subscriptions_to(
    db: sqlite_utils.Database, team_id: str, user_id: str, channel_id: str | None
) -> list[Subscription]:
    """The owner's subscriptions posting to `channel_id` (None: their DM)."""
    return _subscriptions(
        db, "team_id = ? and user_id = ? and channel_id is ?", [team_id, user_id, channel_id]
    )


def insert_subscription(db: sqlite_utils.Database, **fields: Any) -> Subscription | None:
    """The new subscription; None when its owner has one to the same place and scope
    already (another process made it meanwhile: the unique index `subscriptions_place`)."""
    record = {**fields, "triggers": ",".join(fields["triggers"])}
    _changed(db)
    try:
        sub_id = db["subscriptions"].insert(record).last_pk
    except sqlite3.IntegrityError:
        return None
    found = subscription_by_id(db, int(sub_id))
    assert found is not None
    return found


def update_subscription(db: sqlite_utils.Database, sub_id: int, **fields: Any) -> None:
    if "triggers" in fields:
        fields["triggers"] = ",".join(fields["triggers"])
    _changed(db)
    db["subscriptions"].update(sub_id, fields)


def delete_subscription(db: sqlite_utils.Database, sub: Subscription) -> None:
    """The subscription and its outbox rows: deliveries to its token are unknown from now."""
    _changed(db)
    db.execute("delete from outbox where token = ?", [sub.token])
    db.execute("delete from subscriptions where id = ?", [sub.id])


def mark_broken(db: sqlite_utils.Database, sub_id: int, error: str) -> bool:
    """Record that Slack refuses the target; True only the first time (tell the owner once)."""
    _changed(db)
    cursor = db.execute(
        "update subscriptions set broken = ? where id = ? and broken is null", [error, sub_id]
    )
    return cursor.rowcount == 1


def mark_working(db: sqlite_utils.Database, sub_id: int) -> None:
    _changed(db)
    db.execute(
        "update subscriptions set broken = null where id = ? and broken is not null", [sub_id]
    )


# --- outbox -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutboxRow:
    id: int
    token: str
    team_id: str
    dedupe_key: str
    trigger_event: str
    booking_uid: str | None
    rescheduled_from: str | None
    body: str
    status: str
    attempts: int
    received_at: float
    next_attempt_at: float
    lease_until: float | None = None
    last_error: str | None = None
    channel: str | None = None
    message_ts: str | None = None
    sent_at: float | None = None


_COLUMNS = ", ".join(OutboxRow.__dataclass_fields__)


@dataclass(frozen=True)
class Delivery:
    """A received delivery as the outbox stores it (it is due at once: next_attempt_at is
    received_at)."""

    token: str
    team_id: str
    dedupe_key: str
    trigger_event: str
    booking_uid: str | None
    rescheduled_from: str | None
    body: str
    received_at: float


_INSERT = (
    "insert into outbox (token, team_id, dedupe_key, trigger_event, booking_uid, "
    "rescheduled_from, body, status, received_at, next_attempt_at) "
    "values (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)"
)


def insert_delivery(conn: sqlite3.Connection, d: Delivery) -> int | None:
    """One plain INSERT (sqlite3 keeps it prepared); the row id, or None when the dedupe
    key is there already (Cal.com retried). In a transaction, only this statement is undone."""
    try:
        cursor = conn.execute(
            _INSERT,
            (
                *(d.token, d.team_id, d.dedupe_key, d.trigger_event, d.booking_uid),
                *(d.rescheduled_from, d.body, d.received_at, d.received_at),
            ),
        )
    except sqlite3.IntegrityError:
        return None
    return cursor.lastrowid


def enqueue(
    db: sqlite_utils.Database,
    *,
    token: str,
    team_id: str,
    dedupe_key: str,
    trigger_event: str,
    booking_uid: str | None,
    rescheduled_from: str | None,
    body: str,
    now: float,
) -> int | None:
    """Store a delivery in its own transaction (the endpoint batches: bot/store/group_commit.py);
    its row id, or None when its dedupe key is there already (Cal.com retried)."""
    delivery = Delivery(
        token, team_id, dedupe_key, trigger_event, booking_uid, rescheduled_from, body, now
    )
    return insert_delivery(db.conn, delivery)


# The rows still to post: outbox_live's condition (migration m010), word for word, for a
# query to use that index; and which of them can be claimed now (`:now`).
_LIVE = "status in ('pending', 'posting')"
_CLAIMABLE = (
    "((status = 'pending' and next_attempt_at <= :now) "
    "or (status = 'posting' and lease_until <= :now))"
)


def claim_next(
    db: sqlite_utils.Database, now: float, lease_until: float, skip: Collection[str] = ()
) -> OutboxRow | None:
    """Take the oldest due row, or one whose claimer died (lease over), in one statement;
    rows of the subscription tokens in `skip` (their channel is busy) are left for later.

    Each subscription with rows to post is visited through outbox_live (token, id), and
    its first claimable row read: a few index searches a subscription, however long the
    backlog, plus one step for each row not yet due ahead of it (retries backing off,
    cancellations held). The oldest due row across all of them, ordered by id, read every
    row to post, then sorted them: 0.5 ms on the event loop at 4,000 rows, twice a post
    (the second look skipping the channel just taken), and a delivery burst to one busy
    channel leaves a backlog that long."""
    skipped = {f"skip{i}": token for i, token in enumerate(skip)}
    others = f"and live.token not in ({', '.join(':' + k for k in skipped)}) " if skip else ""
    row = db.execute(
        f"with recursive live(token) as ("
        f"select min(token) from outbox where {_LIVE} "
        f"union all select (select min(token) from outbox where {_LIVE} and token > live.token) "
        f"from live where live.token is not null) "
        f"update outbox set status = 'posting', lease_until = :lease, attempts = attempts + 1 "
        f"where id = (select min((select id from outbox where token = live.token and {_LIVE} "
        f"and {_CLAIMABLE} order by id limit 1)) from live where live.token is not null {others}) "
        f"returning {_COLUMNS}",
        {"now": now, "lease": lease_until, **skipped},
    ).fetchall()  # exhausting the cursor ends the statement, and with it the write lock
    return OutboxRow(*row[0]) if row else None


def earliest_due(db: sqlite_utils.Database) -> float | None:
    """When the next row falls due (a retry, or a claim whose lease runs out)."""
    row = db.execute(
        "select min(case status when 'pending' then next_attempt_at else lease_until end) "
        f"from outbox where {_LIVE}"
    ).fetchone()
    return row[0] if row else None


def outbox_row(db: sqlite_utils.Database, row_id: int) -> OutboxRow | None:
    row = db.execute(f"select {_COLUMNS} from outbox where id = ?", [row_id]).fetchone()
    return OutboxRow(*row) if row else None


def mark_sent(db: sqlite_utils.Database, row_id: int, channel: str, ts: str, now: float) -> None:
    db.execute(
        "update outbox set status = 'sent', channel = ?, message_ts = ?, sent_at = ?, "
        "lease_until = null, last_error = null where id = ?",
        [channel, ts, now, row_id],
    )


def retry_at(db: sqlite_utils.Database, row_id: int, when: float, error: str) -> None:
    db.execute(
        "update outbox set status = 'pending', next_attempt_at = ?, lease_until = null, "
        "last_error = ? where id = ?",
        [when, error, row_id],
    )


def release(db: sqlite_utils.Database, row_id: int, until: float | None = None) -> None:
    """Give a claimed row back with its attempt undone: untouched (shutdown interrupted
    it), or due again at `until` (held on purpose, which is no failed attempt)."""
    db.execute(
        "update outbox set status = 'pending', lease_until = null, attempts = attempts - 1, "
        "next_attempt_at = coalesce(?, next_attempt_at) where id = ? and status = 'posting'",
        [until, row_id],
    )


def finish(db: sqlite_utils.Database, row_id: int, status: str, note: str | None = None) -> None:
    """A row that will not be posted: failed for good, or skipped on purpose."""
    db.execute(
        "update outbox set status = ?, last_error = ?, lease_until = null where id = ?",
        [status, note, row_id],
    )


def reschedule_seen(db: sqlite_utils.Database, token: str, booking_uid: str) -> bool:
    """Whether this subscription received a reschedule replacing `booking_uid`."""
    row = db.execute(
        "select 1 from outbox where token = ? and rescheduled_from = ? limit 1",
        [token, booking_uid],
    ).fetchone()
    return row is not None


def prune(db: sqlite_utils.Database, before: float) -> int:
    """Forget finished rows received before `before` (long after Cal.com stops retrying).

    No index on received_at (every webhook's INSERT would pay for it): ids grow with it, so
    the old rows are a range of ids, found by reading ids in order up to the first one
    received since `before`.
    """
    first_kept = db.execute(
        "select id from outbox where received_at >= ? order by id limit 1", [before]
    ).fetchone()
    cursor = db.execute(
        "delete from outbox where id < ? and received_at < ? "
        "and status not in ('pending', 'posting')",
        [first_kept[0] if first_kept else sys.maxsize, before],
    )
    return cursor.rowcount
