"""The SQL of your day in Slack: `routines` (each user's opt-ins) and `jobs` (scheduled work:
a daily agenda, a bookings sync, a reminder), schema in bot/store/schema.py.

Jobs are claimed like the outbox (bot/store/notifications.py): one UPDATE takes a batch of
due rows, marks them running with a claim token, and moves their `due_at` to the end of
the claim, so a claimer that dies leaves rows that fall due again by themselves. Finishing
or re-arming a row checks the claim token, so a claimer whose lease lapsed cannot undo
the work of the one that took over. Due rows come from the partial index `jobs_due`.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from bot.models import Routine

LIVE = "status in ('pending', 'running')"  # the partial index's condition, word for word

# --- routines -----------------------------------------------------------------------------


def routine(db: sqlite_utils.Database, team_id: str, user_id: str) -> Routine | None:
    row = db.execute(
        "select team_id, user_id, agenda_minute, remind_minutes, time_zone from routines "
        "where team_id = ? and user_id = ?",
        [team_id, user_id],
    ).fetchone()
    return Routine(*row) if row else None


# Every webhook delivery asks whether its user wants reminders (bot/services/routines.py,
# `booking_delivered`), and most do not: one SELECT a delivery was a tenth of the webhook
# route's time. The answers (None included) are kept per database for ROUTINE_TTL seconds,
# emptied by every change made here, so another process's change is seen by then (and the
# hourly sync plans what a delivery in between missed).
ROUTINE_TTL = 5.0
_for_delivery: weakref.WeakKeyDictionary[
    sqlite_utils.Database, dict[tuple[str, str], tuple[float, Routine | None]]
] = weakref.WeakKeyDictionary()


def routine_for_delivery(db: sqlite_utils.Database, team_id: str, user_id: str) -> Routine | None:
    """`routine` for the webhook route, without a query on most calls."""
    cached = _for_delivery.setdefault(db, {})
    hit = cached.get((team_id, user_id))
    now = time.monotonic()
    if hit is not None and now - hit[0] < ROUTINE_TTL:
        return hit[1]
    found = routine(db, team_id, user_id)
    cached[(team_id, user_id)] = (now, found)
    return found


def forget_cached(db: sqlite_utils.Database) -> None:
    """Routines changed (here, or a workspace's rows went): deliveries read them afresh."""
    _for_delivery.pop(db, None)


def save_routine(
    db: sqlite_utils.Database, team_id: str, user_id: str, now: float, **fields: Any
) -> Routine:
    """Set some of agenda_minute, remind_minutes, time_zone; the rest stay as they were."""
    allowed = {"agenda_minute", "remind_minutes", "time_zone"}
    assert set(fields) <= allowed, fields
    db.execute(
        "insert into routines (team_id, user_id, updated_at) values (?, ?, ?) "
        "on conflict (team_id, user_id) do nothing",
        [team_id, user_id, now],
    )
    if fields:
        sets = ", ".join(f"{name} = ?" for name in fields)
        db.execute(
            f"update routines set {sets}, updated_at = ? where team_id = ? and user_id = ?",
            [*fields.values(), now, team_id, user_id],
        )
    forget_cached(db)
    found = routine(db, team_id, user_id)
    assert found is not None
    return found


# --- jobs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    id: int
    team_id: str
    user_id: str
    kind: str
    ref: str
    due_at: float
    status: str
    claim: str | None
    attempts: int
    start_at: float | None
    last_day: str | None
    detail: str | None
    note: str | None


_COLUMNS = ", ".join(Job.__dataclass_fields__)


def plan(
    db: sqlite_utils.Database,
    team_id: str,
    user_id: str,
    kind: str,
    due_at: float,
    *,
    ref: str = "",
) -> None:
    """Make the job pending at `due_at`, unless it is running now (its claimer re-arms it
    when done, from the routine as it then is)."""
    db.execute(
        "insert into jobs (team_id, user_id, kind, ref, due_at, status) "
        "values (?, ?, ?, ?, ?, 'pending') "
        "on conflict (team_id, user_id, kind, ref) do update set "
        "due_at = excluded.due_at, status = 'pending', note = null where status != 'running'",
        [team_id, user_id, kind, ref, due_at],
    )


def plan_reminder(
    db: sqlite_utils.Database,
    team_id: str,
    user_id: str,
    uid: str,
    *,
    due_at: float,
    start_at: float,
    detail: str,
) -> None:
    """A reminder for booking `uid`. One already sent stays sent unless the booking moved;
    a pending one follows the new time and details."""
    db.execute(
        "insert into jobs (team_id, user_id, kind, ref, due_at, status, start_at, detail) "
        "values (?, ?, 'remind', ?, ?, 'pending', ?, ?) "
        "on conflict (team_id, user_id, kind, ref) do update set due_at = excluded.due_at, "
        "start_at = excluded.start_at, detail = excluded.detail, status = 'pending', note = null "
        "where status = 'pending' or (status != 'running' and start_at != excluded.start_at)",
        [team_id, user_id, uid, due_at, start_at, detail],
    )


def drop_reminder(db: sqlite_utils.Database, team_id: str, user_id: str, uid: str) -> int:
    """Forget the pending reminder of a booking that was cancelled or moved away."""
    return db.execute(
        "delete from jobs where team_id = ? and user_id = ? and kind = 'remind' and ref = ? "
        "and status = 'pending'",
        [team_id, user_id, uid],
    ).rowcount


def drop_reminders_except(
    db: sqlite_utils.Database,
    team_id: str,
    user_id: str,
    keep: Iterable[str],
    start_from: float,
    start_to: float,
) -> int:
    """Pending reminders of bookings starting in [from, to) that a fresh read no longer
    lists (cancelled, or moved to a new uid)."""
    kept = list(keep)
    marks = ", ".join("?" for _ in kept) or "''"
    return db.execute(
        "delete from jobs where team_id = ? and user_id = ? and kind = 'remind' "
        f"and status = 'pending' and start_at >= ? and start_at < ? and ref not in ({marks})",
        [team_id, user_id, start_from, start_to, *kept],
    ).rowcount


def drop_jobs(db: sqlite_utils.Database, team_id: str, user_id: str, *kinds: str) -> int:
    """Stop the pending jobs of these kinds. A running one finds its routine off and ends;
    finished reminders stay (until pruned), so turning reminders off and on, or changing
    the lead time, never sends one twice."""
    marks = ", ".join("?" for _ in kinds)
    return db.execute(
        f"delete from jobs where team_id = ? and user_id = ? and kind in ({marks}) "
        "and status = 'pending'",
        [team_id, user_id, *kinds],
    ).rowcount


def claim_due(
    db: sqlite_utils.Database, now: float, lease_until: float, claim: str, limit: int
) -> list[Job]:
    """Take up to `limit` due rows (or rows whose claimer died), soonest first, in one
    statement: two processes never take the same row."""
    rows = db.execute(
        "update jobs set status = 'running', claim = ?, due_at = ?, attempts = attempts + 1 "
        f"where id in (select id from jobs where {LIVE} and due_at <= ? order by due_at limit ?) "
        f"returning {_COLUMNS}",
        [claim, lease_until, now, limit],
    ).fetchall()  # exhausting the cursor ends the statement, and with it the write lock
    return sorted((Job(*r) for r in rows), key=lambda j: j.start_at or 0)


def earliest_due(db: sqlite_utils.Database) -> float | None:
    row = db.execute(f"select min(due_at) from jobs where {LIVE}").fetchone()
    return row[0] if row else None


def rearm(
    db: sqlite_utils.Database,
    job: Job,
    due_at: float,
    *,
    last_day: str | None = None,
    note: str | None = None,
    failed: bool = False,
) -> bool:
    """The claimed job runs again at `due_at` (the next day, the next sync, a retry: then
    `failed` keeps the attempt counted). False when the claim was lost meanwhile."""
    return (
        db.execute(
            "update jobs set status = 'pending', claim = null, due_at = ?, "
            "last_day = coalesce(?, last_day), note = ?, "
            "attempts = case when ? then attempts else 0 end "
            "where id = ? and claim = ? and status = 'running'",
            [due_at, last_day, note, failed, job.id, job.claim],
        ).rowcount
        == 1
    )


def finish(db: sqlite_utils.Database, job: Job, status: str, note: str | None = None) -> bool:
    """done (sent) or skipped (nothing to do, for good)."""
    return (
        db.execute(
            "update jobs set status = ?, claim = null, note = ? "
            "where id = ? and claim = ? and status = 'running'",
            [status, note, job.id, job.claim],
        ).rowcount
        == 1
    )


def release(db: sqlite_utils.Database, job: Job, due_at: float) -> None:
    """Give a claimed row back untouched (shutdown interrupted it), due at `due_at`."""
    db.execute(
        "update jobs set status = 'pending', claim = null, due_at = ?, attempts = attempts - 1 "
        "where id = ? and claim = ? and status = 'running'",
        [due_at, job.id, job.claim],
    )


def move_reminder(
    db: sqlite_utils.Database, job: Job, *, due_at: float, start_at: float, detail: str
) -> bool:
    """A claimed reminder whose booking moved: pending again at its new time."""
    return (
        db.execute(
            "update jobs set status = 'pending', claim = null, due_at = ?, start_at = ?, "
            "detail = ?, attempts = 0 where id = ? and claim = ? and status = 'running'",
            [due_at, start_at, detail, job.id, job.claim],
        ).rowcount
        == 1
    )


def job(
    db: sqlite_utils.Database, team_id: str, user_id: str, kind: str, ref: str = ""
) -> Job | None:
    row = db.execute(
        f"select {_COLUMNS} from jobs where team_id = ? and user_id = ? and kind = ? and ref = ?",
        [team_id, user_id, kind, ref],
    ).fetchone()
    return Job(*row) if row else None


def prune(db: sqlite_utils.Database, before: float) -> int:
    """Forget finished reminders whose time is long past."""
    return db.execute(
        "delete from jobs where status in ('done', 'skipped') and due_at < ?", [before]
    ).rowcount


# --- reminder webhooks --------------------------------------------------------------------


@dataclass(frozen=True)
class Hook:
    """The Cal.com webhook that tells calbot about one user's bookings, for reminders."""

    team_id: str
    user_id: str
    token: str
    webhook_id: str
    secret: str = field(repr=False)  # never in a log line


_HOOK_COLUMNS = "team_id, user_id, token, webhook_id, secret"


def hook(db: sqlite_utils.Database, team_id: str, user_id: str) -> Hook | None:
    row = db.execute(
        f"select {_HOOK_COLUMNS} from reminder_hooks where team_id = ? and user_id = ?",
        [team_id, user_id],
    ).fetchone()
    return Hook(*row) if row else None


def hook_by_token(db: sqlite_utils.Database, token: str) -> Hook | None:
    row = db.execute(
        f"select {_HOOK_COLUMNS} from reminder_hooks where token = ?", [token]
    ).fetchone()
    return Hook(*row) if row else None


def save_hook(db: sqlite_utils.Database, new: Hook, now: float) -> bool:
    """Store the user's webhook; False when they have one already (made meanwhile by
    another process: theirs stays, and the caller deletes its own at Cal.com)."""
    return (
        db.execute(
            "insert into reminder_hooks (team_id, user_id, token, webhook_id, secret, created_at) "
            "values (?, ?, ?, ?, ?, ?) on conflict do nothing",
            [new.team_id, new.user_id, new.token, new.webhook_id, new.secret, now],
        ).rowcount
        == 1
    )


def set_hook_webhook(db: sqlite_utils.Database, old: Hook, webhook_id: str) -> None:
    """The user's webhook was made again at Cal.com (deleted there): same token and secret."""
    db.execute(
        "update reminder_hooks set webhook_id = ? where team_id = ? and user_id = ?",
        [webhook_id, old.team_id, old.user_id],
    )


def delete_hook(db: sqlite_utils.Database, old: Hook) -> None:
    db.execute(
        "delete from reminder_hooks where team_id = ? and user_id = ? and token = ?",
        [old.team_id, old.user_id, old.token],
    )
