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


# --- the pure parts: planning, words, blocks ---------------------------------------------


def test_the_next_agenda_skips_weekends_handled_days_and_dst_gaps() -> None:
    from datetime import UTC

    from bot.services.routines import next_agenda_at

    fri_evening = datetime(2026, 11, 27, 18, 0, tzinfo=NY)
    assert next_agenda_at(fri_evening, "America/New_York", 510) == datetime(
        2026, 11, 30, 8, 30, tzinfo=NY
    )
    thu_early = datetime(2026, 11, 26, 7, 0, tzinfo=NY)
    assert next_agenda_at(thu_early, "America/New_York", 510, "2026-11-26").day == 27
    # Cairo springs forward at midnight on Friday 24 Apr 2026: 0:30 never shows on a clock
    # that day; the agenda comes at 1:30 summer time, an hour into the day, not a day late
    cairo = ZoneInfo("Africa/Cairo")
    gap = next_agenda_at(datetime(2026, 4, 23, 12, 0, tzinfo=cairo), "Africa/Cairo", 30)
    assert gap.astimezone(UTC) == datetime(2026, 4, 23, 22, 30, tzinfo=UTC)
    assert gap.astimezone(UTC).astimezone(cairo).hour == 1
    assert next_agenda_at(thu_early, "Not/AZone", 510).tzinfo.key == "UTC"


def test_a_reminder_says_how_soon_or_how_late() -> None:
    from bot.blocks.agenda import starts_in

    start = datetime(2026, 11, 26, 11, 0, tzinfo=NY)
    assert starts_in(start, datetime(2026, 11, 26, 10, 55, tzinfo=NY)) == "Starting in 5 minutes"
    assert starts_in(start, datetime(2026, 11, 26, 10, 59, tzinfo=NY)) == "Starting in 1 minute"
    assert starts_in(start, start) == "Starting now"
    assert starts_in(start, datetime(2026, 11, 26, 11, 3, tzinfo=NY)) == "Started 3 minutes ago"


def test_a_crowded_agenda_stays_within_slacks_limits() -> None:
    from bot.blocks.agenda import SHOWN, agenda_message, daily_agenda, reminder
    from bot.calcom.models import Booking
    from bot.models import DayAgenda
    from tests.emulators.blockkit import validate_blocks

    def booking(n: int) -> Booking:
        start = datetime(2026, 11, 26, 8, 0, tzinfo=NY).timestamp() + 600 * n
        return Booking.from_api(
            {
                "id": n,
                "uid": f"uid-{n}",
                "title": "T" * 300,
                "status": "accepted",
                "start": datetime.fromtimestamp(start, NY).isoformat(),
                "end": datetime.fromtimestamp(start + 600, NY).isoformat(),
                "meetingUrl": "https://meet.example/x",
                "attendees": [{"name": "A" * 80, "email": "a@x.test"}] * 30,
            }
        )

    day = datetime(2026, 11, 26, tzinfo=NY)
    crowded = DayAgenda("week", day, day.replace(day=27), tuple(booking(n) for n in range(60)))
    for payload in (agenda_message(crowded), daily_agenda(crowded)):
        assert len(payload["blocks"]) <= 50
        assert validate_blocks(payload["blocks"], "message") == []
    assert "…and 36 more" in str(agenda_message(crowded)) and SHOWN == 24
    alarm = reminder(
        title="T" * 3000, start=day, now=day, join_url="https://x.test", location=None, uid="u"
    )
    assert validate_blocks(alarm["blocks"], "message") == []


async def _turns(pacer, channels: list[str]) -> list[float]:
    return [await pacer.turn(channel) for channel in channels]


def test_posts_are_paced_per_channel_and_overall() -> None:
    import asyncio

    from bot.routines.pacing import Pacer

    now = [0.0]

    async def advance(seconds: float) -> None:
        now[0] += seconds

    pacer = Pacer(per_channel=1.0, per_second=4.0, clock=lambda: now[0], sleep=advance)
    waits = asyncio.run(_turns(pacer, ["D1", "D1", "D2", "D3", "D4", "D5"]))
    assert waits[0] == 0 and now[0] >= 1.0  # D1 twice: a second apart
    assert all(w >= 0 for w in waits)
