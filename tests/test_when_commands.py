"""Time phrases through the real app: what a user sees for odd, zoned and huge input.

Signed `/cal` requests go to the ASGI app; Cal.com and Slack are the loopback emulators.
The clock is Wed 25 Nov 2026 10:00 in New York; working hours Mon–Fri 09–17.
"""

from __future__ import annotations

from tests.helpers import Bot
from tests.slackdriver import text_of

HUGE = "1" + "0" * 308  # 309 digits: past what a float holds


def test_a_huge_number_alone_gets_a_clear_answer(bot: Bot) -> None:
    reply = bot.slack.reply(bot.slack.command(HUGE))
    text = text_of(reply)
    assert "isn't a command" in text or "don't know" in text.lower() or "/cal help" in text
    assert HUGE not in text  # never echoed whole


def test_a_huge_number_as_the_time_is_refused_kindly(bot: Bot, sam) -> None:
    reply = bot.slack.reply(bot.slack.command(f"book 30min {HUGE}"))
    text = text_of(reply)
    assert "too big a number" in text
    assert HUGE not in text


def test_a_huge_number_as_the_type_is_no_length(bot: Bot, sam) -> None:
    reply = bot.slack.reply(bot.slack.command(f"slots {HUGE} tomorrow"))
    assert "Internal" not in text_of(reply)
    assert "went wrong" not in text_of(reply).lower()


def test_a_named_zone_is_honoured_in_the_picker(bot: Bot, sam) -> None:
    """11am PST is 2pm in New York: that is the time offered, not 11am New York time."""
    reply = bot.slack.reply(bot.slack.command("book 30min tomorrow 11am PST"))
    text = text_of(reply)
    assert "Thu 26 Nov, 2:00 PM is free" in text
    assert "11:00 AM" not in text


def test_an_unknown_word_is_named(bot: Bot, sam) -> None:
    reply = bot.slack.reply(bot.slack.command("book 30min tomorrow 3pm sharpish"))
    text = text_of(reply)
    assert "“sharpish”" in text
    assert "`tomorrow`" in text
