"""The delivery worker: posts outbox rows to Slack, each once, and keeps trying until it can.

One task per process, started and stopped by the web app's lifespan. It claims the oldest
due row in one UPDATE (with a lease, so a second process or a restart after a crash takes
over a row whose claimer died), renders it, and posts it with `rt.slack_client(team)`
(one HTTP session per workspace). Posts to different channels run side by side, each
channel in order and at Slack's pace of about one a second (`bot/notify/lanes.py`), so a
busy channel never holds up the others:

- posted → `sent`, with the message's channel and ts (Confirm/Decline edit it later);
- Slack 429 → due again after `Retry-After`; 5xx, network errors, timeouts → due again
  after a backoff (5 s doubling to 15 min), for up to 24 h after receipt;
- `channel_not_found`, `not_in_channel`, `is_archived` → `failed`, and the owner gets one
  DM (the subscription is marked broken until a post there works again);
- not asked for by the subscription, or the old half of a reschedule → `skipped`;
- a plain cancellation (nothing marks it as a reschedule) → `held` for `CANCEL_GRACE`
  seconds after receipt, as a pending row due later: Cal.com may send the reschedule that
  explains it just after it, and then it is skipped instead of read as "Cancelled".

Every state lives in SQLite, so a restart continues where the last process stopped. The
one window where a message could be posted twice is a crash after Slack accepted the post
and before the row was marked sent (Slack has no idempotency key); a graceful stop waits
for the posts in flight instead, and gives back at once the claimed rows still waiting for
their channel's turn (due again at the next start, the attempt not counted), so it takes
about one post's time, not the pace of a backlog. Waits between retries use the injected
`sleep` and the runtime's clock, so tests do not wait for real; a new row wakes the worker
at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError

from bot import logs
from bot.blocks import notifications
from bot.models import Subscription
from bot.notify import events, lookup, once, ordering
from bot.notify.lanes import Lanes
from bot.runtime import Runtime
from bot.store import notifications as tables
from bot.store.notifications import OutboxRow

log = logging.getLogger("calbot.notify")

Sleep = Callable[[float], Awaitable[Any]]
Observer = Callable[[int, str], None]  # (outbox row id, the state it reached, or "held")

RETRY_WINDOW = 24 * 3600.0
FIRST_BACKOFF = 5.0
MAX_BACKOFF = 15 * 60.0
LEASE = 120.0  # a claimed row is taken over when its claimer has not finished by then
IDLE_POLL = 30.0  # real seconds: a safety net only, new rows wake the worker
KEEP_FINISHED = 7 * 24 * 3600.0  # dedupe keys outlive Cal.com's retries by far
PRUNE_EVERY = 3600.0
DISPATCH_GAP = 0.02  # real seconds between two looks for due rows, at most one look per gap
CANCEL_GRACE = 10.0  # how long a plain cancellation waits for a reschedule to explain it
BROKEN = frozenset({"channel_not_found", "not_in_channel", "is_archived"})
TRANSIENT = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)


@dataclass(frozen=True)
class Outcome:
    """How one post went: `ts` set when posted; else `retry` or not, and why."""

    ts: str | None = None
    channel: str | None = None
    retry: bool = False
    delay: float | None = None  # Slack's Retry-After, when it gave one
    error: str | None = None


def backoff(attempts: int) -> float:
    return min(MAX_BACKOFF, FIRST_BACKOFF * 2 ** max(0, attempts - 1))


def classify(error: SlackApiError) -> Outcome:
    response = error.response
    data = response.data if isinstance(response.data, dict) else {}  # a proxy's HTML 502...
    code = str(data.get("error") or f"http_{response.status_code}")
    if response.status_code == 429:
        after = next(
            (v for k, v in (response.headers or {}).items() if k.lower() == "retry-after"), None
        )
        delay = float(after) if after and str(after).strip().isdigit() else FIRST_BACKOFF
        return Outcome(retry=True, delay=delay, error="ratelimited")
    if response.status_code >= 500 or code in TRANSIENT:
        return Outcome(retry=True, error=code)
    return Outcome(error=code)


class Notifier:
    def __init__(self, rt: Runtime, *, sleep: Sleep = asyncio.sleep):
        self.rt = rt
        self.sleep = sleep
        self.observers: list[Observer] = []  # told each time a row is handled (tests, metrics)
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._pruned_at = 0.0
        # channels post side by side, each at Slack's pace; a finished post looks again
        self.lanes = Lanes(on_done=self.wake)
        self._dispatched = 0.0  # time.monotonic() of the last look for due rows
        self._lane_of: dict[str, str] = {}  # subscription token -> its channel's lane

    # --- lifecycle ----------------------------------------------------------------------

    def start(self) -> None:
        self._stopping = False
        self._task = asyncio.get_running_loop().create_task(self._run(), name="notifier")

    def wake(self, token: str | None = None) -> bool:
        """A row was stored (for subscription `token`): look now instead of at the next poll.

        Not when that subscription's channel is busy: its rows go out in order, and the end
        of its post in flight wakes the worker anyway. A look is a scan of the due rows, and
        a delivery storm to one channel made one per delivery: with 3,000 rows waiting
        their turn, 0.3 ms each, as much CPU as taking the deliveries in. True when it will
        look."""
        if token is not None and (lane := self._lane_of.get(token)) and self.lanes.is_busy(lane):
            return False
        self._wake.set()
        return True

    async def stop(self, timeout: float = 10) -> None:
        """Finish the posts in flight (up to `timeout`), then stop; waits are cut short.

        Posts whose turn has not come (their channel's lane is busy or pacing) are given
        back at once: they have sent nothing, and waiting for them would hold the stop for
        as long as the backlog's pace (a second a post), then leave their rows claimed.
        """
        self._stopping = True  # nothing is claimed from here on
        self._wake.set()
        if given_back := self.lanes.cancel_waiting():
            log.info("notifier stopping: %d posts given back before their turn", given_back)
        task, self._task = self._task, None
        if task is None:
            return
        started = asyncio.get_running_loop().time()
        done, _ = await asyncio.wait({task}, timeout=timeout)
        if not done:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        posts = self.lanes.tasks
        if posts:
            left = max(0.0, timeout - (asyncio.get_running_loop().time() - started))
            _, pending = await asyncio.wait(posts, timeout=left)
            for post in pending:
                post.cancel()  # its row is released (by _handle), for the next start
            if pending:
                await asyncio.wait(pending, timeout=1)

    async def _run(self) -> None:
        while not self._stopping:
            self._wake.clear()  # before looking, so a row stored meanwhile is not missed
            try:
                self._dispatch_due()
            except Exception:
                log.exception("notifier: a step failed")
            if not self._stopping:
                await self._idle()

    def _dispatch_due(self) -> None:
        """Claim due rows and start each in its channel's lane (bot/notify/lanes.py), while
        there is room; rows for channels whose lane is busy stay unclaimed for now."""
        db = self.rt.store.db
        while not self.lanes.full:
            now = self._now()
            busy = self.lanes.busy()
            skip = [token for token, lane in self._lane_of.items() if lane in busy]
            row = tables.claim_next(db, now, now + LEASE, skip)
            if row is None:
                self._prune(now)
                return
            sub = tables.subscription_by_token(db, row.token)
            target = sub.target if sub is not None else f"row-{row.id}"
            lane = f"{row.team_id}:{target}"
            if sub is not None:
                self._lane_of[row.token] = lane
            self.lanes.run(
                lane,
                lambda row=row: self._handle(row),
                give_back=lambda row=row: self._give_back(row),
            )

    async def _idle(self) -> None:
        """Until woken, or the next retry falls due (by the injected sleep)."""
        waits = [asyncio.ensure_future(self._wake.wait())]
        # While posts are in flight, each one's end wakes us (and their own rows' leases are
        # not due): sleeping towards a lease would only spin, or move a test's clock.
        due = None if self.lanes.tasks else tables.earliest_due(self.rt.store.db)
        if due is not None:
            waits.append(asyncio.ensure_future(self.sleep(max(0.0, due - self._now()))))
        try:
            await asyncio.wait(waits, timeout=IDLE_POLL, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for wait in waits:
                wait.cancel()
        # A burst of deliveries wakes us once per row: look at most every DISPATCH_GAP
        # seconds (real time), so one pass claims what many wakes announced.
        gap = self._dispatched + DISPATCH_GAP - time.monotonic()
        if gap > 0 and not self._stopping:
            await asyncio.sleep(gap)
        self._dispatched = time.monotonic()

    def _now(self) -> float:
        return self.rt.clock().timestamp()

    # --- one row ------------------------------------------------------------------------

    async def step(self) -> bool:
        """Deliver the next due row, here and now; False when none is due."""
        db = self.rt.store.db
        now = self._now()
        row = tables.claim_next(db, now, now + LEASE)
        if row is None:
            self._prune(now)
            return False
        await self._handle(row)
        return True

    async def _handle(self, row: OutboxRow) -> None:
        """Deliver one claimed row and tell the observers; a cancelled post releases it."""
        db = self.rt.store.db
        try:
            with logs.request_ref(f"outbox-{row.id}"):
                state = await self._deliver(row)
        except asyncio.CancelledError:
            tables.release(db, row.id)
            raise
        except Exception as error:  # a bug must not retry forever
            log.exception("notifier: row %s failed", row.id)
            tables.finish(db, row.id, "failed", f"bug: {type(error).__name__}")
            state = "failed"
        for observe in self.observers:
            observe(row.id, state)

    def _give_back(self, row: OutboxRow) -> None:
        """A claimed row whose post never started (a stop cancelled it while it waited for
        its channel): due again at once, its attempt not counted."""
        tables.release(self.rt.store.db, row.id)

    async def _deliver(self, row: OutboxRow) -> str:
        """Post one claimed row; the state it is left in (sent, pending, failed, skipped, held)."""
        db = self.rt.store.db
        sub = tables.subscription_by_token(db, row.token)
        if sub is None:
            tables.finish(db, row.id, "skipped", "subscription removed")
            return "skipped"
        event = events.normalise(events.read_stored(row.body))
        if not events.wanted(event, sub.triggers):
            tables.finish(db, row.id, "skipped", f"{event.kind} not subscribed")
            return "skipped"
        if event.kind == "cancelled":
            if tables.reschedule_seen(db, sub.token, event.uid):
                tables.finish(db, row.id, "skipped", "the old half of a reschedule")
                return "skipped"
            if self._now() < row.received_at + CANCEL_GRACE:
                tables.release(db, row.id, until=row.received_at + CANCEL_GRACE)
                return "held"
        if stale := ordering.superseded(db, sub.token, row.id, event):  # a later fact won
            tables.finish(db, row.id, "skipped", stale)
            return "skipped"
        event = await lookup.complete(self.rt, sub, event)  # a no-show names no booking
        if posted := await once.earlier_post(self.rt, sub, row):  # Slack took it before a crash
            tables.mark_sent(db, row.id, posted[0], posted[1], self._now())
            return "sent"
        payload = notifications.booking_message(event, ref=row.id, host_user_id=sub.user_id)
        outcome = await self._post(
            sub.team_id, sub.target, {**payload, "metadata": once.marker(row)}
        )
        now = self._now()
        if outcome.ts:
            tables.mark_sent(db, row.id, outcome.channel or sub.target, outcome.ts, now)
            if sub.broken:
                tables.mark_working(db, sub.id)
            log.info("row %s posted (%s %s)", row.id, event.kind, event.uid)
            await ordering.correct_earlier(self.rt, sub, event, row.rescheduled_from)
            return "sent"
        if outcome.retry and now - row.received_at < RETRY_WINDOW:
            delay = outcome.delay if outcome.delay is not None else backoff(row.attempts)
            tables.retry_at(db, row.id, now + delay, outcome.error or "retry")
            log.info("row %s: %s, again in %.0f s", row.id, outcome.error, delay)
            return "pending"
        tables.finish(db, row.id, "failed", outcome.error)
        log.warning("row %s not posted: %s", row.id, outcome.error)
        if outcome.error in BROKEN:
            await self._tell_owner(sub, outcome.error)
        return "failed"

    async def _post(self, team_id: str, channel: str, payload: dict[str, Any]) -> Outcome:
        try:
            client = self.rt.slack_client(team_id)
        except LookupError as error:  # the workspace uninstalled calbot
            return Outcome(error=type(error).__name__)
        try:
            response = await client.chat_postMessage(channel=channel, **payload)
        except SlackApiError as error:
            return classify(error)
        except Exception as error:  # network, timeouts, an unreadable answer
            return Outcome(retry=True, error=type(error).__name__)
        return Outcome(ts=response["ts"], channel=response.get("channel"))

    async def _tell_owner(self, sub: Subscription, error: str) -> None:
        """One DM per breakage: the subscription stays broken until a post works again."""
        if not tables.mark_broken(self.rt.store.db, sub.id, error) or sub.channel_id is None:
            return
        outcome = await self._post(
            sub.team_id, sub.user_id, notifications.delivery_broken(sub, error)
        )
        if not outcome.ts:
            log.warning("could not tell %s about subscription %s: %s", sub.user_id, sub.id, error)

    def _prune(self, now: float) -> None:
        if now - self._pruned_at >= PRUNE_EVERY:
            self._pruned_at = now
            tables.prune(self.rt.store.db, now - KEEP_FINISHED)
