"""Helpers of the booking-notification tests: a bot with a controllable worker, Cal.com
deliveries signed as Cal.com signs them, and what the outbox and Slack saw.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import httpx

from bot.config import Settings
from bot.models import Subscription
from bot.notify import events
from bot.notify.worker import Notifier
from bot.runtime import Runtime
from bot.store import notifications as tables
from bot.store.checkpoint import Checkpointer
from bot.web import create_app
from tests.emulators.calcom import CalcomEmulator
from tests.emulators.server import serve
from tests.emulators.slack import SlackEmulator
from tests.helpers import MATON_KEY, SIGNING_SECRET, Bot, Clock
from tests.slackdriver import SlackDriver, text_of

THU_10AM_NY = datetime.fromisoformat("2026-11-26T15:00:00+00:00")
BOOKINGS_V = "2024-08-13"


class FakeSleep:
    """The worker's sleep: moves the shared clock by the wait and returns at once; or, once
    `frozen`, never returns, so time moves only by `NotifyBot.tick`."""

    def __init__(self, clock: Clock):
        self.clock = clock
        self.waits: list[float] = []
        self.frozen = False

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        if self.frozen:
            await asyncio.Event().wait()  # the worker's idle ends on a wake instead
        self.clock.advance(seconds=seconds)
        await asyncio.sleep(0)


class Settled:
    """Every (row id, state) the worker reached, recorded from its thread; waited on here."""

    def __init__(self) -> None:
        self.seen: list[tuple[int, str]] = []
        self._cond = threading.Condition()

    def __call__(self, row_id: int, state: str) -> None:
        with self._cond:
            self.seen.append((row_id, state))
            self._cond.notify_all()

    def wait(self, count: int = 1, state: str | None = None, timeout: float = 5) -> None:
        def enough() -> bool:
            return sum(1 for _, s in self.seen if state in (None, s)) >= count

        with self._cond:
            if not self._cond.wait_for(enough, timeout):
                raise AssertionError(f"worker settled only {self.seen}")


@dataclass
class NotifyBot(Bot):
    settled: Settled = field(default_factory=Settled)
    sleep: FakeSleep | None = None
    notifier: Notifier | None = None
    checkpoints: Checkpointer | None = None

    def tick(self, seconds: float) -> None:
        """Move the clock by `seconds` and have the worker look for due rows again."""
        assert self.sleep is not None and self.server is not None and self.notifier is not None
        self.sleep.clock.advance(seconds=seconds)
        notifier = self.notifier

        async def wake() -> None:
            notifier.wake()

        self.server.call(wake)


@contextmanager
def running_bot(
    settings: Settings, clock: Clock, slack: SlackEmulator, *, fake_sleep: bool = True
) -> Iterator[NotifyBot]:
    """A bot on loopback whose worker sleeps on the fake clock (unless `fake_sleep` is
    False: it really waits); stopping it runs the lifespan's shutdown, as SIGTERM would."""
    rt = Runtime.create(settings, clock=clock)
    app = create_app(rt)
    settled, sleep = Settled(), FakeSleep(clock) if fake_sleep else None
    if sleep is not None:
        app.state.notifier.sleep = sleep
    app.state.notifier.observers.append(settled)
    server = serve(app)
    rt.settings = replace(rt.settings, public_url=server.url)
    driver = SlackDriver(server.url, SIGNING_SECRET, slack)
    try:
        yield NotifyBot(
            url=server.url,
            rt=rt,
            slack=driver,
            server=server,
            settled=settled,
            sleep=sleep,
            notifier=app.state.notifier,
            checkpoints=app.state.checkpoints,
        )
    finally:
        driver.close()
        server.stop()


def subscribe(bot: Bot, text: str, user: str = "U1") -> str:
    return text_of(bot.slack.reply(bot.slack.command(f"notify {text}", user=user)))


def book_via_api(calcom: CalcomEmulator, event_type_id: int, start: datetime, **who: str) -> dict:
    """A booking made through Cal.com's API by someone else (a Cal.com user "pat")."""
    if "pat" not in {a.username for a in calcom.accounts.values()}:
        calcom.add_account(username="pat", name="Pat Lee", email="pat@else.test")
    connection = calcom.add_connection("pat")
    attendee = {"name": "Jane Doe", "email": "jane@else.test", "timeZone": "Europe/Paris", **who}
    response = httpx.post(
        f"{calcom.base_url}/cal-com/v2/bookings",
        headers={
            "Authorization": f"Bearer {MATON_KEY}",
            "Maton-Connection": connection.connection_id,
            "cal-api-version": BOOKINGS_V,
        },
        json={"eventTypeId": event_type_id, "start": start.isoformat(), "attendee": attendee},
    )
    assert response.status_code == 201, response.text
    return response.json()["data"]


def as_host(calcom: CalcomEmulator, username: str, method: str, path: str, **body: Any) -> dict:
    """A call through the gateway with `username`'s own connection."""
    connection = calcom.add_connection(username)
    response = httpx.request(
        method,
        f"{calcom.base_url}/cal-com{path}",
        headers={
            "Authorization": f"Bearer {MATON_KEY}",
            "Maton-Connection": connection.connection_id,
            "cal-api-version": BOOKINGS_V,
        },
        json=body,
    )
    assert response.status_code < 300, response.text
    return response.json()["data"]


def posts_to(slack: SlackEmulator, channel: str, count: int = 1) -> list[dict[str, Any]]:
    """Wait for `count` successful posts to `channel`; the messages there."""
    slack.wait_for(
        "chat.postMessage", lambda c: c.ok and c.response["channel"] == channel, count=count
    )
    return slack.messages[channel]


def home_publishes(slack: SlackEmulator, count: int) -> None:
    """Wait until U1's Home was published `count` times, and no more."""
    slack.wait_for("views.publish", lambda c: c.args.get("user_id") == "U1", count=count)
    assert len([c for c in slack.calls_to("views.publish") if c.args["user_id"] == "U1"]) == count


def rows(bot: Bot) -> list[dict[str, Any]]:
    return list(bot.rt.store.db["outbox"].rows_where(order_by="id"))


def only_subscription(bot: Bot) -> Subscription:
    [sub] = tables.subscriptions_of(bot.rt.store.db, "T111", "U1")
    return sub


def signed_post(bot: Bot, token: str, body: bytes, secret: str | None) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Cal-Signature-256"] = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return httpx.post(f"{bot.url}/calcom/webhooks/{token}", content=body, headers=headers)


def delivery(trigger: str, **payload: Any) -> bytes:
    base = {
        "uid": "crafted-1",
        "title": "Intro call between Sam Jones and Jane Doe",
        "startTime": "2026-11-26T15:00:00Z",
        "endTime": "2026-11-26T15:30:00Z",
        "organizer": {
            "name": "Sam Jones",
            "email": "sam@acme.test",
            "timeZone": "America/New_York",
        },
        "attendees": [{"name": "Jane Doe", "email": "jane@else.test", "timeZone": "UTC"}],
        "length": 30,
    }
    envelope = {"triggerEvent": trigger, "createdAt": "2026-11-25T15:00:00.000Z"}
    return json.dumps({**envelope, "payload": {**base, **payload}}).encode()


# --- subscribing, and the first messages --------------------------------------------------


def enqueue_delivery(
    db: Any, sub: Subscription, body: bytes, now: float, team_id: str = "T111"
) -> int | None:
    """Store a delivery in the outbox as the endpoint would, without HTTP (a backlog left
    by an earlier process, or a row a test then claims itself)."""
    key = events.read_delivery(body)
    return tables.enqueue(
        db,
        token=sub.token,
        team_id=team_id,
        dedupe_key=key.dedupe(sub.token),
        trigger_event=key.trigger,
        booking_uid=key.booking_uid,
        rescheduled_from=key.rescheduled_from,
        body=body.decode(),
        now=now,
    )
