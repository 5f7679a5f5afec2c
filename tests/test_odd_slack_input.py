"""Issue 9 §4: real but odd Slack input ends in a clear message, never "Something went
wrong"; a Slack guest is booked in their own zone."""

from __future__ import annotations

from typing import Any

from tests.conftest import Bot
from tests.emulators.calcom import CalcomEmulator
from tests.slackdriver import text_of
from tests.test_booking import press, slot_buttons


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
