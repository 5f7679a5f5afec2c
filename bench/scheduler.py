"""The scheduler with 10,000 users holding daily agendas and reminders: are due rows found by
the index, what does one tick cost, and are posts spread within Slack's limits?

A fresh database gets 10,000 linked users in 12 time zones, each with a daily agenda at
8:30 local, reminders (5 or 10 minutes), four upcoming bookings planned as reminder rows
and four reminders already sent (history the index must skip): about 100,000 job rows.
Then, at 8:30 in New York (the agendas of a twelfth of the users fall due, with the
reminders of that minute):

1. the claim's query plan (EXPLAIN QUERY PLAN), and the rows it reads, counted with
   SQLite's progress handler (virtual machine steps) against the same query forced to
   scan the table (`NOT INDEXED`);
2. the real `Scheduler` runs every due job, batch by batch, with Cal.com and Slack
   replaced by in-process fakes (no network: this is calbot's own cost) and the pacer on
   a virtual clock: each tick's wall time and rows, and the posts' spread per channel
   (Slack: about one a second a channel) and overall.

Run: .venv/bin/python bench/scheduler.py [--users 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bot.calcom.models import Booking, BookingPage
from bot.config import load_settings
from bot.routines.pacing import PER_SECOND, Pacer
from bot.routines.worker import BATCH, Scheduler
from bot.runtime import Runtime
from bot.services.routines import next_agenda_at
from bot.store import Store

ZONES = [
    "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
    "Europe/London", "Europe/Berlin", "Europe/Helsinki", "Asia/Kolkata", "Asia/Tokyo",
    "Australia/Sydney", "America/Sao_Paulo", "Pacific/Honolulu",
]  # fmt: skip
NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 26, 8, 30, tzinfo=NY)  # a Thursday: agendas are planned from here
TICK = datetime(2026, 11, 26, 9, 0, tzinfo=NY)  # the tick measured: agendas and reminders due
CLAIM = (
    "select id from jobs {hint} where status in ('pending', 'running') and due_at <= ? "
    "order by due_at limit ?"
)


def build(db_path: str, users: int) -> Store:
    store = Store(db_path)
    store.migrate()
    db = store.db.conn
    start = NOW - timedelta(minutes=1)
    links, routines, jobs = [], [], []
    for n in range(users):
        user, tz = f"U{n:06d}", ZONES[n % len(ZONES)]
        links.append(("T1", user, f"conn-{n}", "ACTIVE", f"user{n}", tz))
        remind = 5 if n % 2 else 10
        routines.append(("T1", user, 8 * 60 + 30, remind, tz, 0.0))
        agenda_at = next_agenda_at(start, tz, 8 * 60 + 30)
        jobs.append(("T1", user, "agenda", "", agenda_at.timestamp(), "pending", None, None))
        jobs.append(
            ("T1", user, "sync", "", start.timestamp() + 3600 + n % 3600, "pending", None, None)
        )
        for k in range(4):  # upcoming bookings, every 3 hours from 9:00 local-ish
            begins = NOW + timedelta(minutes=30 + 180 * k + (n * 7) % 180)
            detail = json.dumps(
                {
                    "title": f"Call {k}",
                    "start": begins.timestamp(),
                    "end": begins.timestamp() + 1800,
                }
            )
            due = begins.timestamp() - remind * 60
            jobs.append(
                ("T1", user, "remind", f"b{n}-{k}", due, "pending", begins.timestamp(), detail)
            )
            jobs.append(
                (
                    "T1",
                    user,
                    "remind",
                    f"old{n}-{k}",
                    due - 86400 * 3,
                    "done",
                    begins.timestamp() - 86400 * 3,
                    detail,
                )
            )
    db.execute("begin")
    db.executemany(
        "insert into links (team_id, user_id, connection_id, status, username, time_zone) "
        "values (?, ?, ?, ?, ?, ?)",
        links,
    )
    db.executemany(
        "insert into routines (team_id, user_id, agenda_minute, remind_minutes, time_zone, "
        "updated_at) values (?, ?, ?, ?, ?, ?)",
        routines,
    )
    db.executemany(
        "insert into jobs (team_id, user_id, kind, ref, due_at, status, start_at, detail) "
        "values (?, ?, ?, ?, ?, ?, ?, ?)",
        jobs,
    )
    db.execute("commit")
    db.execute("analyze")
    return store


def vm_steps(store: Store, sql: str, args: list[object]) -> tuple[int, int, float]:
    """(virtual machine steps, rows returned, seconds) of one query."""
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0

    conn = store.db.conn
    conn.set_progress_handler(count, 1)
    began = time.perf_counter()
    rows = conn.execute(sql, args).fetchall()
    took = time.perf_counter() - began
    conn.set_progress_handler(None, 1)
    return steps, len(rows), took


class FakeCalcom:
    """Cal.com's answers for any connection: two bookings on the day (no network)."""

    def __init__(self) -> None:
        self.calls = 0

    def _booking(self, uid: str, start: datetime) -> Booking:
        return Booking.from_api({
            "id": 1, "uid": uid, "title": "Intro call", "status": "accepted",
            "start": start.isoformat(), "end": (start + timedelta(minutes=30)).isoformat(),
            "meetingUrl": "https://meet.example/x", "attendees": [{"name": "Jane", "email": "j@x"}],
        })  # fmt: skip

    async def bookings(self, conn: str, **query: object) -> BookingPage:
        self.calls += 1
        after = query.get("after_start") or NOW
        assert isinstance(after, datetime)
        items = tuple(
            self._booking(f"{conn}-{k}", after + timedelta(hours=1 + 3 * k)) for k in range(2)
        )
        return BookingPage(items=items, total=2, has_more=False, take=100, skip=0)

    async def booking(self, conn: str, uid: str) -> Booking:
        self.calls += 1
        n, k = uid[1:].split("-")
        begins = NOW + timedelta(minutes=30 + 180 * int(k) + (int(n) * 7) % 180)
        return self._booking(uid, begins)


class FakeSlack:
    def __init__(self, clock: list[float]) -> None:
        self.clock = clock
        self.posts: list[tuple[float, str]] = []

    async def users_info(self, user: str) -> dict[str, object]:
        return {"user": {"id": user, "tz": ZONES[int(user[1:]) % len(ZONES)]}}

    async def chat_postMessage(self, channel: str, **payload: object) -> dict[str, object]:
        self.posts.append((self.clock[0], channel))
        return {"ok": True, "channel": channel, "ts": "1.0"}


async def run_ticks(store: Store, db_path: str) -> None:
    settings = load_settings({
        "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": "s" * 32,
        "MATON_API_KEY": "bench", "DATABASE_PATH": db_path,
    })  # fmt: skip
    import httpx

    virtual = [0.0]

    async def advance(seconds: float) -> None:
        virtual[0] = max(virtual[0], virtual[0] + seconds)

    fake_calcom, slack = FakeCalcom(), FakeSlack(virtual)
    rt = Runtime(
        settings, store, httpx.AsyncClient(), fake_calcom, None, clock=lambda: TICK.astimezone(UTC)
    )  # type: ignore[arg-type]
    rt.slack_client = lambda team_id: slack  # type: ignore[method-assign]
    pacer = Pacer(clock=lambda: virtual[0], sleep=advance)
    scheduler = Scheduler(rt, pacer=pacer)
    states: Counter[str] = Counter()
    scheduler.observers.append(lambda job, state: states.update([f"{job.kind}:{state}"]))
    ticks = []
    while True:
        began = time.perf_counter()
        claimed = await scheduler.tick()
        if not claimed:
            break
        ticks.append((claimed, time.perf_counter() - began))
    await rt.http.aclose()
    total = sum(t for _, t in ticks)
    print(f"\n2. ticks at 9:00 New York: {len(ticks)} tick(s), {sum(c for c, _ in ticks)} jobs")
    for n, (claimed, took) in enumerate(ticks[:5]):
        each = took / claimed * 1000
        print(f"   tick {n + 1}: {claimed} jobs in {took * 1000:.0f} ms ({each:.2f} ms a job)")
    print(f"   all: {total:.2f} s wall; Cal.com calls {fake_calcom.calls}; outcomes {dict(states)}")
    per_channel_second = Counter((int(at), ch) for at, ch in slack.posts)
    times = sorted(round(at * 1000) for at, _ in slack.posts)  # milliseconds
    window_max, lo = 0, 0
    for hi, at in enumerate(times):  # the most posts in any one second
        while times[lo] <= at - 1000:
            lo += 1
        window_max = max(window_max, hi - lo + 1)
    gaps: dict[str, list[float]] = {}
    for at, channel in slack.posts:
        gaps.setdefault(channel, []).append(at)
    closest = min((b - a for ts in gaps.values() for a, b in itertools.pairwise(ts)), default=None)
    span = max((at for at, _ in slack.posts), default=0.0)
    print(
        f"   posts {len(slack.posts)} over {span:.0f} s (virtual): at most "
        f"{window_max} in any second overall (limit set {PER_SECOND:g}), "
        f"{max(per_channel_second.values(), default=0)} a second in one channel, closest two "
        f"in one channel {closest or 0:.1f} s apart"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db_path = os.path.join(tmp, "bench.db")
        began = time.perf_counter()
        store = build(db_path, args.users)
        total = store.db.execute("select count(*) from jobs").fetchone()[0]
        now = TICK.timestamp()
        due = store.db.execute(
            "select count(*) from jobs where status in ('pending', 'running') and due_at <= ?",
            [now],
        ).fetchone()[0]
        built = time.perf_counter() - began
        print(
            f"{args.users} users, {total} job rows ({due} due at 9:00 NY), built in {built:.1f} s"
        )
        plan = store.db.execute(
            "explain query plan " + CLAIM.format(hint=""), [now, BATCH]
        ).fetchall()
        print("\n1. the claim's plan:", " / ".join(str(row[-1]) for row in plan))
        for hint, label in (("", "index jobs_due"), ("not indexed", "forced full scan")):
            steps, rows, took = vm_steps(store, CLAIM.format(hint=hint), [now, BATCH])
            ms = took * 1000
            print(f"   {label:16}: {rows} rows for one batch, {steps:>9,} VM steps, {ms:.2f} ms")
        steps, _, took = vm_steps(
            store, "select min(due_at) from jobs where status in ('pending', 'running')", []
        )
        print(f"   earliest due (the idle wait): {steps} VM steps, {took * 1000:.3f} ms")
        asyncio.run(run_ticks(store, db_path))
        store.close()


if __name__ == "__main__":
    main()
