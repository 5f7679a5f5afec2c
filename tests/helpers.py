"""What tests share besides fixtures: the pinned time, the settings of a bot talking to the
emulators, the running bot's handle, and linking a user. Fixtures are in conftest.py.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Settings, load_settings
from bot.models import Link
from bot.runtime import Runtime
from tests.emulators.calcom import CalcomEmulator
from tests.emulators.server import LoopbackServer
from tests.emulators.slack import SlackEmulator
from tests.slackdriver import SlackDriver

if TYPE_CHECKING:
    pass

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
