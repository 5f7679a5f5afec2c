"""A client that hangs up before its body's end gets no traceback into the log: anyone can
do it to `POST /slack/events` (the body is read before its signature can be checked), and
anyone holding a webhook URL to the Cal.com routes. Starlette raises ClientDisconnect from
the body's stream; it reached uvicorn as "Exception in ASGI application" with a traceback,
answered 500. Raw sockets over loopback to the app as served."""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bot.config import Settings
from tests.emulators.calcom import CalcomEmulator
from tests.emulators.slack import SlackEmulator
from tests.helpers import Clock, link_user
from tests.notifying import only_subscription, running_bot, subscribe


class Lines(logging.Handler):
    """Every record, and a wait for one."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self._cond = threading.Condition()

    def emit(self, record: logging.LogRecord) -> None:
        with self._cond:
            self.records.append(record)
            self._cond.notify_all()

    def wait_for_access(self, path: str, since: int) -> logging.LogRecord:
        """The access line of `path` among the records from index `since` on."""

        def found() -> list[logging.LogRecord]:
            later = self.records[since:]
            return [r for r in later if r.name == "calbot.http" and path in r.getMessage()]

        with self._cond:
            assert self._cond.wait_for(found, timeout=10), [r.getMessage() for r in self.records]
            return found()[0]


@pytest.fixture
def lines() -> Iterator[Lines]:
    handler = Lines()
    loggers = [logging.getLogger(), logging.getLogger("uvicorn"), logging.getLogger("calbot")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    yield handler
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


def _hang_up_mid_body(url: str, path: str) -> None:
    """POST `path` announcing 1,000 bytes, send one, and close the connection."""
    where = urlsplit(url)
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {where.netloc}\r\n"
        "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"
    )
    with socket.create_connection((where.hostname, where.port), timeout=10) as sock:
        sock.sendall(head.encode())


def test_hanging_up_mid_body_leaves_no_traceback(
    settings: Settings,
    clock: Clock,
    slack: SlackEmulator,
    calcom: CalcomEmulator,
    tmp_path: Path,
    lines: Lines,
) -> None:
    with running_bot(settings, clock, slack) as bot:
        link_user(bot, calcom, "U1", "sam", name="Sam Jones")
        subscribe(bot, "me")
        sub = only_subscription(bot)
        for path, logged in (
            ("/slack/events", "/slack/events"),
            (f"/calcom/webhooks/{sub.token}", "/calcom/webhooks/"),
        ):
            since = len(lines.records)
            _hang_up_mid_body(bot.url, path)
            access = lines.wait_for_access(logged, since)
            assert " 500 " not in access.getMessage()
        noisy = [r for r in lines.records if r.exc_info or r.levelno >= logging.ERROR]
        assert noisy == [], [f"{r.name}: {r.getMessage()}" for r in noisy]
