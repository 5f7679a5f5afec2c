"""Notifications that stay right when things arrive in an awkward order: a reschedule's old
half before or after the reschedule, two `/cal notify` at once (one process or two), and
the App Home shown again after each change. Harness and helpers: tests/test_notify.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bot.config import Settings
from tests.conftest import Bot, Clock, link_user
from tests.emulators.calcom import CalcomEmulator
from tests.emulators.slack import SlackEmulator
from tests.slackdriver import text_of
from tests.test_notify import (
    NotifyBot,
    home_publishes,
    only_subscription,
    running_bot,
    subscribe,
)


@pytest.fixture
def bot(settings: Settings, clock: Clock, slack: SlackEmulator) -> Iterator[NotifyBot]:
    with running_bot(settings, clock, slack) as running:
        yield running


@pytest.fixture
def sam(bot: Bot, calcom: CalcomEmulator) -> Any:
    link_user(bot, calcom, "U1", "sam", name="Sam Jones")
    return calcom.account("sam")


@pytest.fixture
def sales(slack: SlackEmulator) -> str:
    slack.add_channel("C900", "sales", members={"U1", "U2"})
    return "C900"


# --- the App Home follows ------------------------------------------------------------------


def _home_text(slack: SlackEmulator, count: int) -> str:
    """U1's Home once the bot published it `count` times."""
    home_publishes(slack, count)
    return text_of(slack.home_tabs["U1"])


def test_subscribing_and_turning_off_show_on_the_home(
    bot: NotifyBot, calcom: CalcomEmulator, slack: SlackEmulator, sam: Any, sales: str
) -> None:
    subscribe(bot, f"<#{sales}|sales>")
    assert f"<#{sales}>: all your event types" in _home_text(slack, 1)
    subscribe(bot, "me")
    assert "your DMs: all your event types" in _home_text(slack, 2)
    bot.slack.reply(bot.slack.command(f"notify off <#{sales}|sales>"))
    home = _home_text(slack, 3)
    assert f"<#{sales}>" not in home and "your DMs" in home
    sub = only_subscription(bot)
    bot.slack.reply(bot.slack.click("notify_off", value=str(sub.id)))
    assert "None yet" in _home_text(slack, 4)
