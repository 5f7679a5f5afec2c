"""Fixtures: the emulators and the bot, each a real HTTP server on loopback.

Time is pinned: the bot and the Cal.com emulator share `clock`, fixed at
Wednesday 25 Nov 2026 15:00 UTC (10:00 in New York) unless a test moves it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from bot.config import Settings
from bot.models import Link
from bot.runtime import Runtime
from bot.web import create_app
from tests.emulators.calcom import CalcomEmulator
from tests.emulators.server import serve
from tests.emulators.slack import SlackEmulator
from tests.helpers import (
    BOT_TOKEN,
    MATON_KEY,
    SIGNING_SECRET,
    Bot,
    Clock,
    link_user,
    make_settings,
)
from tests.installing import oauth_bot  # noqa: F401 (a fixture: a bot in OAuth mode)
from tests.slackdriver import SlackDriver

if TYPE_CHECKING:
    from tests.viewdriver import ViewDriver


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


@pytest.fixture
def settings(tmp_path: Path, calcom: CalcomEmulator, slack: SlackEmulator) -> Settings:
    return make_settings(tmp_path, calcom, slack, PUBLIC_URL="http://127.0.0.1:1")


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
