"""Issue 9 §4: real but odd Slack input ends in a clear message, never "Something went
wrong"; a Slack guest is booked in their own zone."""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.emulators.calcom import CalcomEmulator
from tests.helpers import Bot
from tests.picking import press, slot_buttons
from tests.slackdriver import text_of


def test_a_guest_named_by_mention_is_booked_in_their_own_zone(
    bot: Bot, calcom: CalcomEmulator, sam: Any
) -> None:
    """U3 (Bob, Honolulu) is the guest; the booker, Sam, is in New York."""
    picker = bot.slack.reply(bot.slack.command("book 30min tomorrow with <@U3|bob>"))
    confirmation = press(bot, slot_buttons(picker)[12])
    assert "Booked" in text_of(confirmation)
    [made] = calcom.bookings.values()
    [guest] = made["attendees"]
    assert (guest["email"], guest["timeZone"]) == ("bob@acme.test", "Pacific/Honolulu")


def test_a_mention_of_nobody_says_so(bot: Bot, sam: Any) -> None:
    reply = bot.slack.reply(bot.slack.command("book with <@U000NOPE|ghost> tomorrow"))
    text = text_of(reply)
    assert "can't find <@U000NOPE>" in text
    assert "Something went wrong" not in text


def test_a_309_digit_number_is_no_crash(bot: Bot, sam: Any) -> None:
    for huge in ("1" + "0" * 309, "9" * 309, "1" + "0" * 400 + "h"):
        for text in (huge, f"book {huge} tomorrow", f"book 30min {huge}"):
            reply = text_of(bot.slack.reply(bot.slack.command(text)))
            assert "Something went wrong" not in reply, text


def _interaction(bot: Bot, payload: Any) -> int:
    body = urlencode({"payload": json.dumps(payload)}).encode()
    return bot.slack.post(body, "application/x-www-form-urlencoded").status_code


ODD_PAYLOADS = [
    {"type": "block_actions", "user": "x", "actions": [{"action_id": "notify_confirm"}]},
    {"type": "block_actions", "user": {"id": "U1"}, "team": {"id": "T111"}, "actions": 5},
    {"type": "block_actions", "user": {"id": "U1"}, "actions": [{"value": "1"}]},
    {"type": "block_actions", "user": {"id": "U1"}, "actions": [None]},
    {"type": "block_actions", "user": {"id": "U1"}, "view": None, "actions": []},
    {
        "type": "view_submission",
        "user": {"id": "U1"},
        "view": {"callback_id": "guest_details", "state": 5},
    },
    {
        "type": "view_submission",
        "user": {"id": "U1"},
        "response_urls": 5,
        "view": {"callback_id": "x"},
    },
    {"type": "view_closed", "user": {"id": "U1"}, "view": "booking_modal"},
    {
        "type": "block_actions",
        "user": {"id": "U1"},
        "team": {"id": "T111"},
        "actions": [{"action_id": "notify_confirm", "value": "9" * 40}],
    },
    {
        "type": "block_actions",
        "user": {"id": "U1"},
        "team": {"id": "T111"},
        "actions": [{"action_id": "pick_slot:nope", "value": "x"}],
    },
    [1, 2],
]


@pytest.mark.parametrize("payload", ODD_PAYLOADS, ids=range(len(ODD_PAYLOADS)))
def test_a_signed_but_odd_payload_is_acked_quietly(
    bot: Bot, sam: Any, payload: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        assert _interaction(bot, payload) == 200
        bot.settle()
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
