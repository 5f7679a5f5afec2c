"""Fixtures of the notification tests: a bot whose worker sleeps on the test clock, Sam
linked to Cal.com, and a #sales channel (helpers in tests/notifying.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bot.config import Settings
from tests.emulators.calcom import CalcomEmulator
from tests.emulators.slack import SlackEmulator
from tests.helpers import Clock, link_user
from tests.notifying import NotifyBot, running_bot


@pytest.fixture
def bot(settings: Settings, clock: Clock, slack: SlackEmulator) -> Iterator[NotifyBot]:
    with running_bot(settings, clock, slack) as running:
        yield running


@pytest.fixture
def sam(bot: NotifyBot, calcom: CalcomEmulator) -> Any:
    """U1 (Sam Jones) linked; the Cal.com account, whose types the tests book."""
    link_user(bot, calcom, "U1", "sam", name="Sam Jones")
    return calcom.account("sam")


@pytest.fixture
def sales(slack: SlackEmulator) -> str:
    slack.add_channel("C900", "sales", members={"U1", "U2"})
    return "C900"
