"""`POST /slack/events` refuses a body over REQUEST_BODY (bot/blocks/limits.py) with 413,
before verifying it and without reading the rest, whatever length it declares; the largest
payload Slack documents still goes through. Real signed requests, over loopback, to the app
served by uvicorn as in production."""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.blocks.limits import (
    FIELD_TEXT,
    LARGEST_PAYLOAD,
    MESSAGE_BLOCKS,
    MESSAGE_TEXT,
    REQUEST_BODY,
    SECTION_FIELDS,
    SECTION_TEXT,
)
from tests.emulators.slack import SlackEmulator
from tests.helpers import SIGNING_SECRET, Bot, raw_post
from tests.slackdriver import sign
from tests.viewdriver import ViewDriver

FORM = "application/x-www-form-urlencoded"
# ASCII punctuation that form encoding spends 3 bytes on and JSON does not escape: the
# worst text REQUEST_BODY is sized for (bot/blocks/limits.py)
PUNCTUATION = ",;:!?()[]{}#&+=/@$"


def _text(length: int) -> str:
    return (PUNCTUATION * (length // len(PUNCTUATION) + 1))[:length]


def _section() -> dict[str, Any]:
    """A section at Slack's maxima: its text and all its fields full."""
    return {
        "type": "section",
        "text": {"type": "mrkdwn", "text": _text(SECTION_TEXT)},
        "fields": [{"type": "mrkdwn", "text": _text(FIELD_TEXT)}] * SECTION_FIELDS,
    }


def largest_shortcut(views: ViewDriver) -> bytes:
    """A message shortcut on a message at every documented maximum, form-encoded as Slack
    sends it."""
    payload = views.message_action(
        "schedule_with_author",
        author="U2",
        text=_text(MESSAGE_TEXT),
        blocks=[_section()] * MESSAGE_BLOCKS,
    )
    return urlencode({"payload": json.dumps(payload)}).encode()


def over_the_cap(views: ViewDriver) -> bytes:
    """The largest shortcut with one more form field: one byte over the cap."""
    body = largest_shortcut(views) + b"&pad="
    return body + b"x" * (REQUEST_BODY + 1 - len(body))


def _refused_quietly(bot: Bot, slack: SlackEmulator, caplog: pytest.LogCaptureFixture) -> None:
    bot.settle()
    assert slack.calls == []  # nothing dispatched: no modal, no lookup, no reply
    [line] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert line.name == "calbot.web" and "body over" in line.getMessage()
    assert line.exc_info is None


def test_the_cap_holds_slacks_largest_payload_in_the_worst_ascii() -> None:
    assert LARGEST_PAYLOAD == 1_190_000  # characters (bot/blocks/limits.py)
    assert 3 * LARGEST_PAYLOAD < REQUEST_BODY


def test_the_largest_documented_payload_still_opens_the_modal(
    bot: Bot, slack: SlackEmulator, views: ViewDriver, sam: Any
) -> None:
    body = largest_shortcut(views)
    assert 3 * 1024 * 1024 < len(body) <= REQUEST_BODY  # the worst case, not a small one
    assert bot.slack.post(body, FORM).status_code == 200
    assert views.opened()["type"] == "modal"


def test_a_declared_oversized_body_is_refused_before_it_is_sent(
    bot: Bot, slack: SlackEmulator, views: ViewDriver, sam: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """Content-Length over the cap: 413 once the headers are in. The socket sends only the
    first kilobyte, so a bot waiting for the rest would never answer."""
    body = over_the_cap(views)
    assert len(body) == REQUEST_BODY + 1
    head = {"Content-Type": FORM, "Content-Length": str(len(body)), **sign(SIGNING_SECRET, body)}
    with caplog.at_level(logging.WARNING):
        status, answer = raw_post(bot, "/slack/events", head, [body[:1024]])
    assert (status, answer) == (413, {"error": "body too large"})
    _refused_quietly(bot, slack, caplog)


def test_a_chunked_oversized_body_is_refused_while_it_is_read(
    bot: Bot, slack: SlackEmulator, views: ViewDriver, sam: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """No length declared: the bytes are counted as they come, and the one past the cap is
    answered 413 without waiting for the body's end (never sent here)."""
    body = over_the_cap(views)
    head = {"Content-Type": FORM, "Transfer-Encoding": "chunked", **sign(SIGNING_SECRET, body)}
    step = 64 * 1024
    chunks = [body[i : i + step] for i in range(0, len(body), step)]
    framed = [b"%x\r\n%s\r\n" % (len(chunk), chunk) for chunk in chunks]
    with caplog.at_level(logging.WARNING):
        status, answer = raw_post(bot, "/slack/events", head, framed)  # no closing 0-length chunk
    assert (status, answer) == (413, {"error": "body too large"})
    _refused_quietly(bot, slack, caplog)
