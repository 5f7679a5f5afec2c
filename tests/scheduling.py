"""Helpers of the scheduler tests: a bot whose scheduler runs only when told (the clock is
the test's), Slack users linked in bulk, and the DMs calbot posted."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from bot.config import Settings
from bot.routines.worker import Scheduler
from bot.runtime import Runtime
from bot.store import routines as rows
from bot.web import create_app
from tests.emulators.server import serve
from tests.emulators.slack import SlackEmulator
from tests.helpers import SIGNING_SECRET, Bot, Clock
from tests.slackdriver import SlackDriver, text_of


async def _never(seconds: float) -> None:
    await asyncio.Event().wait()  # the scheduler sleeps until the test runs it


@dataclass
class ScheduledBot(Bot):
    scheduler: Scheduler | None = None

    def run_due(self) -> int:
        """Run every job due at the clock's time, in the bot's own loop; how many ran."""
        assert self.server is not None and self.scheduler is not None
        return self.server.call(self.scheduler.run_due, timeout=20)

    def job(self, kind: str, user: str = "U1", ref: str = "") -> rows.Job | None:
        return rows.job(self.rt.store.db, "T111", user, kind, ref)


@contextmanager
def scheduled_bot(settings: Settings, clock: Clock, slack: SlackEmulator) -> Iterator[ScheduledBot]:
    rt = Runtime.create(settings, clock=clock)
    app = create_app(rt)
    scheduler: Scheduler = app.state.scheduler
    scheduler.sleep = _never
    scheduler.idle_poll = 3600.0  # only `run_due` runs jobs here
    server = serve(app)
    rt.settings = replace(rt.settings, public_url=server.url)
    driver = SlackDriver(server.url, SIGNING_SECRET, slack)
    try:
        yield ScheduledBot(server.url, rt, driver, server, scheduler)
    finally:
        driver.close()
        server.stop()


def dms(slack: SlackEmulator, user: str = "U1") -> list[str]:
    """The text of every message calbot posted in its DM with `user`."""
    return [text_of(m) for m in slack.messages.get(f"D{user[1:]}", [])]


def user_change(bot: Bot, user: dict[str, Any]) -> None:
    """Slack's `user_change` event, signed, with the user object as Slack sends it."""
    body = {
        "token": "legacy-unused",
        "team_id": "T111",
        "api_app_id": "A111",
        "event": {"type": "user_change", "user": user, "event_ts": f"{time.time():.6f}"},
        "type": "event_callback",
        "event_id": f"Ev{time.monotonic_ns()}",
        "event_time": int(time.time()),
        "authorizations": [
            {"team_id": "T111", "user_id": "UB111", "is_bot": True, "is_enterprise_install": False}
        ],
    }
    response = bot.slack.post(json.dumps(body).encode(), "application/json")
    assert response.status_code == 200, response.text
