"""What tests share besides fixtures: the pinned time, the settings of a bot talking to the
emulators, the running bot's handle, and linking a user. Fixtures are in conftest.py.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

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


def raw_post(
    bot: Bot, path: str, head: dict[str, str], parts: list[bytes]
) -> tuple[int, dict[str, Any]]:
    """POST to `path` over a plain socket, sending `parts` and nothing after them
    (no end to a body longer than they are): the status and JSON the bot answers with."""
    url = urlsplit(bot.url)
    lines = [f"POST {path} HTTP/1.1", f"Host: {url.netloc}"]
    lines += [f"{name}: {value}" for name, value in head.items()]
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        for part in parts:
            sock.sendall(part)
        answer = b""
        while b"\r\n\r\n" not in answer or not _complete(answer):
            received = sock.recv(65536)
            if not received:
                break
            answer += received
    status_line, _, rest = answer.partition(b"\r\n")
    return int(status_line.split()[1]), json.loads(rest.partition(b"\r\n\r\n")[2])


def _complete(answer: bytes) -> bool:
    head, _, body = answer.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(body) >= int(value)
    return False
