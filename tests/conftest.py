"""Fixtures: the emulators and the bot, each a real HTTP server on loopback.

Time is pinned: the bot and the Cal.com emulator share `clock`, fixed at
Wednesday 25 Nov 2026 15:00 UTC (10:00 in New York) unless a test moves it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from bot.config import Settings, load_settings
from bot.models import Link
from bot.runtime import Runtime
from bot.web import create_app
from tests.emulators.calcom import CalcomEmulator
from tests.emulators.server import LoopbackServer, serve
from tests.emulators.slack import SlackEmulator
from tests.slackdriver import SlackDriver

if TYPE_CHECKING:
    from tests.viewdriver import ViewDriver

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
SIGNING_SECRET = "test-signing-secret-0123456789"
MATON_KEY = "test-maton-key-abcdef123456"
BOT_TOKEN = "xoxb-test-token"


class Clock:
    """A settable clock shared by the bot and the Cal.com emulator."""

    def __init__(self, now: datetime = NOW):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def calcom(clock: Clock) -> Iterator[CalcomEmulator]:
    emulator = CalcomEmulator(api_key=MATON_KEY, clock=clock)
    emulator.start()
    yield emulator
    emulator.stop()  # closes hanging "timeout" faults first, so shutdown never waits on them
    assert emulator.contract_violations == [], "requests outside Cal.com's documented API"
    assert emulator.internal_errors == []


@pytest.fixture
def slack() -> Iterator[SlackEmulator]:
    emulator = SlackEmulator(bot_token=BOT_TOKEN, team_id="T111")
    server = emulator.start()
    emulator.add_user(
        "U1", name="sam", real_name="Sam Jones", email="sam@acme.test", tz="America/New_York"
    )
    emulator.add_user(
        "U2", name="alice", real_name="Alice Wong", email="alice@acme.test", tz="Europe/London"
    )
    emulator.add_user(
        "U3", name="bob", real_name="Bob Ray", email="bob@acme.test", tz="Pacific/Honolulu"
    )
    yield emulator
    server.stop(wait=False)  # see LoopbackServer.stop


def make_settings(
    tmp_path: Path, calcom: CalcomEmulator, slack: SlackEmulator, **extra: str
) -> Settings:
    return load_settings(make_env(tmp_path, calcom, slack, **extra))


REPO = Path(__file__).resolve().parents[1]


def child_env(**env: str) -> dict[str, str]:
    """A subprocess's environment: PATH, `env`, and PYTHONPATH set to this checkout, since
    the venv's editable install may point at another checkout of the repository."""
    return {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(REPO), **env}


def make_env(
    tmp_path: Path, calcom: CalcomEmulator, slack: SlackEmulator, **extra: str
) -> dict[str, str]:
    """The environment of a bot talking to the emulators, as an operator would set it."""
    return {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.api_url,
        "MATON_API_KEY": MATON_KEY,
        "MATON_GATEWAY_URL": calcom.base_url or "",
        "MATON_CTRL_URL": calcom.base_url or "",
        "DATABASE_PATH": str(tmp_path / "calbot.db"),
        **extra,
    }


@pytest.fixture
def settings(tmp_path: Path, calcom: CalcomEmulator, slack: SlackEmulator) -> Settings:
    return make_settings(tmp_path, calcom, slack, PUBLIC_URL="http://127.0.0.1:1")


@dataclass
class Bot:
    """The running bot: its URL, its runtime (for inspecting the store), and a Slack driver."""

    url: str
    rt: Runtime
    slack: SlackDriver
    server: LoopbackServer | None = None

    def settle(self, timeout: float = 10) -> None:
        """Wait for the work every request so far handed off (events with no Slack reply)."""
        assert self.server is not None
        self.server.call(self.rt.drain, timeout=timeout)


def link_user(
    bot: Bot,
    calcom: CalcomEmulator,
    user_id: str,
    username: str,
    *,
    name: str | None = None,
    time_zone: str = "America/New_York",
    **account: object,
) -> Link:
    """A Slack user linked to a fresh Cal.com account, as `/cal connect` would leave it."""
    name = name or username.title()
    email = f"{username}@acme.test"
    calcom.add_account(username=username, name=name, email=email, time_zone=time_zone, **account)
    connection = calcom.add_connection(username)
    return bot.rt.store.save_link(
        Link(
            "T111",
            user_id,
            connection.connection_id,
            "ACTIVE",
            None,
            username,
            email,
            name,
            time_zone,
        )
    )


@pytest.fixture
def sam(bot: Bot, calcom: CalcomEmulator) -> Link:
    """U1 (Sam Jones, New York) linked to Cal.com account `sam` with the default types."""
    return link_user(bot, calcom, "U1", "sam", name="Sam Jones")


@pytest.fixture
def views(bot: Bot, slack: SlackEmulator) -> Iterator[ViewDriver]:
    """Drives modals and the Home as Slack does; at the end, Slack refused no view."""
    from tests.viewdriver import ViewDriver

    driver = ViewDriver(bot, slack)
    yield driver
    assert driver.refused() == []


@pytest.fixture
def bot(settings: Settings, clock: Clock, slack: SlackEmulator) -> Iterator[Bot]:
    rt = Runtime.create(settings, clock=clock)
    server = serve(create_app(rt))
    # Cal.com delivers webhooks to PUBLIC_URL: the bot's own loopback address.
    rt.settings = replace(rt.settings, public_url=server.url)
    driver = SlackDriver(server.url, SIGNING_SECRET, slack)
    yield Bot(server.url, rt, driver, server)
    driver.close()
    server.stop(wait=False)  # the Cal.com emulator's teardown, which waits, comes after
