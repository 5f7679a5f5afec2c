"""`/cal agenda [today|tomorrow|week]`: your bookings in that window, in your Slack zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.emulators.calcom import CalcomEmulator
from tests.helpers import Bot
from tests.slackdriver import action_ids, text_of

NY = ZoneInfo("America/New_York")  # Sam's Slack zone; the clock says Wed 25 Nov, 10:00 there


def booked(calcom: CalcomEmulator, when: datetime, name: str, username: str = "sam") -> str:
    made = calcom.book_as_guest(
        event_type_id=calcom.account(username).event_type("30min")["id"],
        start=when,
        name=name,
        email=f"{name.split()[0].lower()}@example.com",
    )
    return made["uid"]


def agenda(bot: Bot, text: str = "") -> dict:
    return bot.slack.reply(bot.slack.command(f"agenda {text}".strip()))


def test_today_tomorrow_and_the_week_hold_exactly_their_bookings(
    bot: Bot, calcom: CalcomEmulator, sam
) -> None:
    morning = booked(calcom, datetime(2026, 11, 25, 11, 0, tzinfo=NY), "Ann Today")
    booked(calcom, datetime(2026, 11, 25, 16, 0, tzinfo=NY), "Ben Today")
    booked(calcom, datetime(2026, 11, 26, 9, 0, tzinfo=NY), "Cat Tomorrow")
    booked(calcom, datetime(2026, 12, 1, 9, 0, tzinfo=NY), "Dan Tuesday")
    booked(calcom, datetime(2026, 12, 2, 9, 0, tzinfo=NY), "Eve Later")

    today = agenda(bot)
    words = text_of(today)
    assert "Ann Today" in words and "Ben Today" in words and "Tomorrow" not in words
    assert "Wed 25 Nov" in words and "2 bookings" in words
    assert f"<!date^{int(datetime(2026, 11, 25, 11, 0, tzinfo=NY).timestamp())}^" in words
    ids = action_ids(today)
    assert ids.count("join_meeting") == 2 and ids.count("cancel_booking") == 2
    assert ids.count("reschedule_booking") == 2
    rows = [b for b in today["blocks"] if b.get("block_id", "").endswith(morning)]
    assert rows, "each booking's buttons carry its uid"

    tomorrow = text_of(agenda(bot, "tomorrow"))
    assert "Cat Tomorrow" in tomorrow and "Ann" not in tomorrow and "Thu 26 Nov" in tomorrow

    week = text_of(agenda(bot, "week"))
    for name in ("Ann Today", "Ben Today", "Cat Tomorrow", "Dan Tuesday"):
        assert name in week
    assert "Eve Later" not in week  # 7 days: Wed 25 Nov to Tue 1 Dec


def test_an_empty_day_says_so_and_shows_the_next_booking(
    bot: Bot, calcom: CalcomEmulator, sam
) -> None:
    booked(calcom, datetime(2026, 12, 3, 14, 0, tzinfo=NY), "Fay Next")
    words = text_of(agenda(bot, "tomorrow"))
    assert "Nothing booked tomorrow" in words
    assert "Your next booking" in words and "Fay Next" in words


def test_nothing_at_all(bot: Bot, calcom: CalcomEmulator, sam) -> None:
    words = text_of(agenda(bot))
    assert "Nothing booked today" in words and "No upcoming bookings" in words


def test_the_day_is_the_callers_slack_day(bot: Bot, calcom: CalcomEmulator, slack) -> None:
    """Kim's Slack zone is Auckland, where it is already Thursday 04:00."""
    from tests.helpers import link_user

    slack.add_user(
        "U4", name="kim", real_name="Kim Lee", email="kim@acme.test", tz="Pacific/Auckland"
    )
    link_user(bot, calcom, "U4", "kim")  # her Cal.com hours are New York's
    booked(calcom, datetime(2026, 11, 25, 11, 0, tzinfo=NY), "Her Thursday", "kim")
    booked(calcom, datetime(2026, 11, 26, 11, 0, tzinfo=NY), "Her Friday", "kim")
    words = text_of(bot.slack.reply(bot.slack.command("agenda", user="U4")))
    assert "Thu 26 Nov" in words and "Her Thursday" in words and "Her Friday" not in words


def test_bad_window_and_unlinked_caller(bot: Bot, calcom: CalcomEmulator) -> None:
    assert "today, tomorrow or week" in text_of(agenda(bot, "fortnight"))
    assert "/cal connect" in text_of(agenda(bot))
