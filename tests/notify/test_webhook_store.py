"""The webhook endpoint's store: deliveries that arrive together share one commit, yet each is
stored once and answered only once it is stored; the subscription it reads on every
delivery is cached, and a change made here is seen at once.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import math
import sqlite3
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.store import Store
from bot.store import notifications as tables
from bot.store.group_commit import OutboxWriter
from tests.emulators.calcom import CalcomEmulator
from tests.helpers import link_user
from tests.notifying import (
    NotifyBot,
    delivery,
    only_subscription,
    rows,
    signed_post,
    subscribe,
)


@pytest.fixture
def sub(bot: NotifyBot, calcom: CalcomEmulator) -> tables.Subscription:
    link_user(bot, calcom, "U1", "sam", name="Sam Jones")
    subscribe(bot, "me")
    return only_subscription(bot)


async def _send_all(url: str, bodies: list[bytes], secret: str) -> list[httpx.Response]:
    """Every body at once, each on its own connection: the server takes them in together."""

    async def one(body: bytes) -> httpx.Response:
        signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        async with httpx.AsyncClient() as client:
            return await client.post(
                url,
                content=body,
                headers={"Content-Type": "application/json", "X-Cal-Signature-256": signature},
            )

    return list(await asyncio.gather(*(one(body) for body in bodies)))


def test_deliveries_at_once_are_each_stored_once_and_twins_are_refused(
    bot: NotifyBot, sub: tables.Subscription
) -> None:
    uids = [f"burst-{n}" for n in range(20)]
    bodies = [delivery("BOOKING_CREATED", uid=uid) for uid in uids]
    # every delivery twice (Cal.com's retry racing its first try), all in flight together
    answers = asyncio.run(
        _send_all(f"{bot.url}/calcom/webhooks/{sub.token}", bodies + bodies, sub.secret)
    )

    assert all(a.status_code == 200 for a in answers)
    queued = [a.json()["queued"] for a in answers]
    assert [queued[n] + queued[n + len(uids)] for n in range(len(uids))] == [1] * len(uids)
    stored = rows(bot)
    assert sorted(r["booking_uid"] for r in stored) == sorted(uids)
    assert {r["status"] for r in stored} <= {"pending", "posting", "sent"}


def test_a_subscription_turned_off_refuses_its_next_delivery_at_once(
    bot: NotifyBot, sub: tables.Subscription
) -> None:
    first = delivery("BOOKING_CREATED", uid="before-off")
    assert signed_post(bot, sub.token, first, sub.secret).json()["queued"] is True  # cached now

    subscribe(bot, "off me")

    late = delivery("BOOKING_CREATED", uid="after-off")
    assert signed_post(bot, sub.token, late, sub.secret).status_code == 404
    assert [r["booking_uid"] for r in rows(bot)] == []  # its rows went with it


def test_a_delivery_not_stored_is_answered_503_and_stored_when_sent_again(
    bot: NotifyBot, sub: tables.Subscription
) -> None:
    body = delivery("BOOKING_CREATED", uid="retry-me")
    bot.rt.store.db.execute("pragma query_only = on")  # the database refuses writes
    try:
        refused = signed_post(bot, sub.token, body, sub.secret)
    finally:
        bot.rt.store.db.execute("pragma query_only = off")
    assert refused.status_code == 503
    assert rows(bot) == []

    assert signed_post(bot, sub.token, body, sub.secret).json() == {"ok": True, "queued": True}
    assert [r["booking_uid"] for r in rows(bot)] == ["retry-me"]


def _delivery(uid: str, key: str | None = None) -> tables.Delivery:
    return tables.Delivery(
        token="tok",
        team_id="T1",
        dedupe_key=key or uid,
        trigger_event="BOOKING_CREATED",
        booking_uid=uid,
        rescheduled_from=None,
        body="{}",
        received_at=1.0,
    )


async def _enqueue_together(writer: OutboxWriter, *deliveries: tables.Delivery) -> list[Any]:
    return list(
        await asyncio.gather(*(writer.enqueue(d) for d in deliveries), return_exceptions=True)
    )


def test_one_batch_is_one_transaction_and_a_failed_commit_fails_every_request(
    tmp_path: Path,
) -> None:
    store = Store(tmp_path / "calbot.db")
    store.migrate()
    writer = OutboxWriter(store.db, idle=math.inf)  # never idle: what comes together batches
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)

    ids = asyncio.run(_enqueue_together(writer, _delivery("a"), _delivery("b"), _delivery("a")))
    assert ids[0] is not None and ids[1] is not None and ids[2] is None  # the twin: refused
    assert [s for s in statements if s in ("BEGIN IMMEDIATE", "COMMIT")] == [
        "BEGIN IMMEDIATE",
        "COMMIT",
    ]

    store.db.execute("pragma query_only = on")
    failed = asyncio.run(_enqueue_together(writer, _delivery("c"), _delivery("d")))
    assert all(isinstance(f, sqlite3.Error) for f in failed)
    store.db.execute("pragma query_only = off")
    assert not store.db.conn.in_transaction
    stored = [r[0] for r in store.db.execute("select booking_uid from outbox order by id")]
    assert stored == ["a", "b"]
    assert asyncio.run(_enqueue_together(writer, _delivery("c")))[0] is not None


def test_a_lone_delivery_is_one_insert_in_autocommit(tmp_path: Path) -> None:
    store = Store(tmp_path / "calbot.db")
    store.migrate()
    writer = OutboxWriter(store.db)
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)

    first = asyncio.run(_enqueue_together(writer, _delivery("alone")))
    twin = asyncio.run(_enqueue_together(writer, _delivery("alone")))

    assert first[0] is not None and twin == [None]
    assert [s.split()[0].upper() for s in statements] == ["INSERT", "INSERT"]
    assert not store.db.conn.in_transaction
    # committed: another connection sees it
    other = sqlite3.connect(tmp_path / "calbot.db")
    assert other.execute("select booking_uid from outbox").fetchall() == [("alone",)]


def test_a_delivery_to_an_idle_writer_is_stored_without_waiting_for_the_loop(
    tmp_path: Path,
) -> None:
    """Paced deliveries (most of a day's) skip the loop turn a batch waits for: committed
    and answered in the request's first step (batches: the test above)."""
    store = Store(tmp_path / "calbot.db")
    store.migrate()
    writer = OutboxWriter(store.db, idle=-1.0)  # every delivery finds it idle

    alone = writer.enqueue(_delivery("alone"))
    with pytest.raises(StopIteration) as done:
        alone.send(None)  # finished at its first step: it never yielded to the loop
    assert done.value.value is not None and not store.db.conn.in_transaction
    other = sqlite3.connect(tmp_path / "calbot.db")  # committed: another connection sees it
    assert other.execute("select booking_uid from outbox").fetchall() == [("alone",)]


def test_a_burst_after_a_slow_lone_commit_still_shares_one(tmp_path: Path) -> None:
    """The first of a burst finds the writer idle and commits alone; its commit is slow
    (a large body, a busy disk), yet the rest of the burst, which waited for it, is not
    idle: they share one commit, as deliveries that arrive together do."""
    store = Store(tmp_path / "calbot.db")
    store.migrate()
    now = [0.0]
    sizes: list[int] = []

    class SlowDisk(OutboxWriter):
        def _commit(self, deliveries: list[tables.Delivery]) -> list[int | None]:
            sizes.append(len(deliveries))
            now[0] += 0.005  # five times IDLE
            return super()._commit(deliveries)

    writer = SlowDisk(store.db, clock=lambda: now[0])
    now[0] = 10.0  # long after anything: idle
    ids = asyncio.run(_enqueue_together(writer, *(_delivery(f"b{n}") for n in range(20))))

    assert None not in ids and len(set(ids)) == 20
    assert sizes == [1, 19]


def test_a_transaction_left_open_is_neither_joined_nor_rolled_back(tmp_path: Path) -> None:
    store = Store(tmp_path / "calbot.db")
    store.migrate()
    writer = OutboxWriter(store.db)
    store.db.execute("BEGIN")  # someone else's, left open: a bug, but not ours to undo
    store.db.execute("insert into routines (team_id, user_id, updated_at) values ('T', 'U', 0)")

    alone = asyncio.run(_enqueue_together(writer, _delivery("x")))
    together = asyncio.run(_enqueue_together(writer, _delivery("y"), _delivery("z")))

    assert all(isinstance(a, sqlite3.Error) for a in alone + together)  # 503: retried later
    assert store.db.conn.in_transaction  # theirs is still open, with their row
    assert store.db.execute("select count(*) from routines").fetchone() == (1,)
    store.db.execute("COMMIT")
    assert store.db.execute("select count(*) from outbox").fetchone() == (0,)
    assert asyncio.run(_enqueue_together(writer, _delivery("x")))[0] is not None


class _Refusing:
    """A connection whose COMMIT and ROLLBACK both fail (a disk that went away)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    @property
    def in_transaction(self) -> bool:
        return self.conn.in_transaction

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if sql in ("COMMIT", "ROLLBACK"):
            raise sqlite3.OperationalError(f"{sql} failed: disk I/O error")
        return self.conn.execute(sql, *args)


def test_a_failed_rollback_still_answers_every_request(tmp_path: Path) -> None:
    store = Store(tmp_path / "calbot.db")
    store.migrate()

    class Db:
        conn = _Refusing(store.db.conn)

    writer = OutboxWriter(Db(), idle=math.inf)  # type: ignore[arg-type]
    answers = asyncio.run(
        asyncio.wait_for(_enqueue_together(writer, _delivery("p"), _delivery("q")), timeout=5)
    )

    assert [str(a) for a in answers] == ["COMMIT failed: disk I/O error"] * 2


def test_the_checks_before_each_post_search_an_index_not_every_row(tmp_path: Path) -> None:
    """`superseded` runs before every post and `correct_earlier` after every reschedule,
    on the event loop, over a week of rows: each must search an index (the partial ones
    apply only to a query that repeats their condition word for word)."""
    import json

    from bot.notify import events, ordering

    store = Store(tmp_path / "calbot.db")
    store.migrate()
    event = events.normalise(json.loads(delivery("BOOKING_CREATED", uid="u1")))
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    assert ordering.superseded(store.db, "tok", 1, event) is None
    assert ordering._posted_cancellations(store.db, "tok", "u1") == []
    store.db.conn.set_trace_callback(None)

    assert len(statements) == 3  # moved away? ended? posted as cancelled?
    for sql in statements:
        plan = " ".join(row[3] for row in store.db.execute(f"explain query plan {sql}"))
        assert plan.startswith("SEARCH outbox USING") and "SCAN" not in plan, (sql, plan)


def _store_backlog(store: Store, token: str, count: int, first: int, now: float) -> None:
    for n in range(first, first + count):
        tables.enqueue(
            store.db,
            token=token,
            team_id="T1",
            dedupe_key=f"{token}-{n}",
            trigger_event="BOOKING_CREATED",
            booking_uid=f"b{n}",
            rescheduled_from=None,
            body="{}",
            now=now,
        )


def test_the_worker_claims_through_an_index_however_long_a_channel_s_backlog(
    tmp_path: Path,
) -> None:
    """A burst to one channel leaves thousands of rows to post at a second each; every
    claim (twice a post) must still be a few index searches, not a read of the backlog:
    the oldest due row of each subscription, the busy ones skipped, retries not yet due
    passed over, a dead claimer's row taken back."""
    store = Store(tmp_path / "calbot.db")
    store.migrate()
    now = 1_000_000.0
    _store_backlog(store, "busy", 2000, 0, now)
    _store_backlog(store, "quiet", 1, 2000, now)
    _store_backlog(store, "later", 1, 2001, now + 60)  # a retry's row: due in a minute
    _store_backlog(store, "busy", 1, 2002, now)
    store.db.execute("update outbox set status = 'sent' where id <= 1000")
    store.db.execute("update outbox set status = 'posting', lease_until = ? where id = 1001", [now])
    store.db.execute(
        "update outbox set status = 'posting', lease_until = ? where id = 1002", [now + 1]
    )

    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    taken = [tables.claim_next(store.db, now, now + 120, skip=["busy"])]
    taken += [tables.claim_next(store.db, now, now + 120) for _ in range(2)]
    taken += [tables.claim_next(store.db, now, now + 120, skip=["busy", "quiet"])]
    store.db.conn.set_trace_callback(None)

    assert [(r.token, r.id) if r else None for r in taken] == [
        ("quiet", 2001),
        ("busy", 1001),  # its claimer's lease ran out
        ("busy", 1003),  # 1002's claimer still has time
        None,  # "later" is not due yet
    ]
    for sql in statements:
        plan = [row[3] for row in store.db.execute(f"explain query plan {sql}")]
        assert not any(step.startswith("SCAN outbox") for step in plan), plan
        assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan
