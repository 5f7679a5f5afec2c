"""The database schema: migrations as a list, applied in order by `Store.migrate()`.

Each table group has one module that reads and writes it (README, "How it is built"):
links (`links.py`), intents (`intents.py`), subscriptions and the outbox
(`notifications.py`), Slack installations (`installations.py`).
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils import Migrations

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
    (bot/store/notifications.py)."""
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
    from bot.store.installations import oauth_tables_ddl

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


@migrations()
def m006_routines_and_jobs(db: sqlite_utils.Database) -> None:
    """Your day in Slack: each user's opt-ins (daily agenda, reminders), and the scheduled
    jobs that carry them out, claimed like the outbox (bot/store/routines.py)."""
    db.execute(
        """create table routines (
            team_id text not null,
            user_id text not null,
            agenda_minute integer,             -- minute of the day, weekdays; null: off
            remind_minutes integer,            -- minutes before each booking; null: off
            time_zone text not null default 'UTC',  -- the user's Slack zone, last seen
            updated_at real not null,
            primary key (team_id, user_id)
        )"""
    )
    db.execute(
        """create table jobs (
            id integer primary key,
            team_id text not null,
            user_id text not null,
            kind text not null,                -- agenda, sync (reads bookings), remind
            ref text not null default '',      -- remind: the booking uid
            due_at real not null,              -- when it runs; while running, when its claim lapses
            status text not null,              -- pending, running, done, skipped
            claim text,                        -- the claimer's token while running
            attempts integer not null default 0,
            start_at real,                     -- remind: the booking's start
            last_day text,                     -- agenda: the user's local day last handled
            detail text,                       -- remind: the booking, as JSON
            note text,
            unique (team_id, user_id, kind, ref)
        )"""
    )
    # a tick reads only the due rows: a range on due_at within the live ones
    db.execute("create index jobs_due on jobs (due_at) where status in ('pending', 'running')")
    # a pasted booking link (cal.com/<username>/<type>) finds its owner by this
    db.execute("create index links_username on links (team_id, username)")


@migrations()
def m007_reminder_hooks(db: sqlite_utils.Database) -> None:
    """One Cal.com webhook per user with reminders on, so a booking made or moved within
    the hour gets its reminder on time (bot/services/reminder_hooks.py). Apart from the
    notify subscriptions: its deliveries only move reminders and post nothing."""
    db.execute(
        """create table reminder_hooks (
            team_id text not null,
            user_id text not null,
            token text not null unique,        -- the subscriberUrl's last segment
            webhook_id text not null,
            secret text not null,
            created_at real not null,
            primary key (team_id, user_id)
        )"""
    )


@migrations()
def m008_outbox_lighter_indexes(db: sqlite_utils.Database) -> None:
    """Every index is one more page a webhook's INSERT writes, and that INSERT is the cost of
    the endpoint (bench/burst.py). Reschedules are rare: index only rows that are one. The
    weekly prune finds old rows by id (ids grow with received_at), not by an index."""
    db.execute("drop index if exists outbox_received")
    db.execute("drop index if exists outbox_reschedules")
    db.execute(
        "create index outbox_reschedules on outbox (token, rescheduled_from) "
        "where rescheduled_from is not null"
    )


@migrations()
def m009_outbox_endings_index(db: sqlite_utils.Database) -> None:
    """Before each post the worker asks whether the booking was cancelled or declined since
    (bot/notify/ordering.py); without an index that scanned every row of the subscription
    on the event loop (170 µs at 3,000 rows, and a week of rows is kept). Index only the
    rows that are an ending, so a new booking's INSERT writes no more pages than before."""
    db.execute(
        "create index outbox_endings on outbox (token, booking_uid) "
        "where trigger_event in ('BOOKING_CANCELLED', 'BOOKING_REJECTED')"
    )


@migrations()
def m010_outbox_live_index(db: sqlite_utils.Database) -> None:
    """The worker claims a subscription's first row to post (bot/store/notifications.py,
    `claim_next`). Indexed by (status, next_attempt_at), the oldest due row of all meant
    reading every pending row and sorting them: O(backlog) on the event loop, twice a
    post. Index instead the rows still to post by subscription, in id order; a row leaves
    the index once sent, so it holds the backlog only, and an INSERT still writes one
    index page for it, as before."""
    db.execute("drop index if exists outbox_due")
    db.execute(
        "create index outbox_live on outbox (token, id) where status in ('pending', 'posting')"
    )
