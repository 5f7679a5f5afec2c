"""Your day: the bookings in a window (`/cal agenda`), read through your own connection.

The daily agenda DM and the reminders (bot/routines/) read the same windows, so reads are
cached for a minute per connection and window: a tick that posts an agenda and plans
reminders for one person calls Cal.com once.
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.calcom.models import Booking
from bot.models import DayAgenda, Link
from bot.runtime import Runtime
from bot.services.accounts import require_link

MAX_BOOKINGS = 100  # one page; an agenda shows fewer (bot/blocks/agenda.py)
WINDOW_DAYS = {"today": 1, "tomorrow": 1, "week": 7}


def zone(tz: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(tz or "UTC")
    except (KeyError, ValueError):  # an unknown or malformed zone name
        return ZoneInfo("UTC")


def day_bounds(day: date, tz: str | None, days: int = 1) -> tuple[datetime, datetime]:
    """Local midnight of `day` to local midnight `days` later (23 or 25 hours on DST days)."""
    z = zone(tz)
    start = datetime.combine(day, time(0), tzinfo=z)
    return start, datetime.combine(day + timedelta(days=days), time(0), tzinfo=z)


def window(now: datetime, tz: str | None, which: str) -> tuple[datetime, datetime]:
    today = now.astimezone(zone(tz)).date()
    first = today + timedelta(days=1) if which == "tomorrow" else today
    return day_bounds(first, tz, WINDOW_DAYS.get(which, 1))


async def bookings_between(
    rt: Runtime, link: Link, start: datetime, end: datetime
) -> tuple[Booking, ...]:
    """Bookings starting at or after `start` and ending by `end`, not cancelled, soonest first."""

    async def load() -> tuple[Booking, ...]:
        found = await rt.calcom.bookings(
            link.connection_id,
            status=("upcoming", "past"),
            take=MAX_BOOKINGS,
            sort_start="asc",
            after_start=start,
            before_end=end,
        )
        live = (b for b in found.items if not b.is_cancelled)
        return tuple(sorted(live, key=lambda b: b.start))

    key = (link.connection_id, start.timestamp(), end.timestamp())
    return await rt.day_bookings.get_or_load(key, load)


async def next_after(rt: Runtime, link: Link, after: datetime) -> Booking | None:
    found = await rt.calcom.bookings(
        link.connection_id, status="upcoming", take=1, sort_start="asc", after_start=after
    )
    return next((b for b in found.items if not b.is_cancelled), None)


async def agenda_of(
    rt: Runtime, link: Link, tz: str | None, which: str, *, with_next: bool = True
) -> DayAgenda:
    """The window's bookings. `with_next`: the next one after it is read at the same time
    (an empty window shows it, and asking later would cost a second round trip); the
    daily DM, skipped when the day is empty, does without."""
    start, end = window(rt.clock(), tz, which)
    if not with_next:
        return DayAgenda(which, start, end, await bookings_between(rt, link, start, end))
    found, following = await asyncio.gather(
        bookings_between(rt, link, start, end), next_after(rt, link, end)
    )
    return DayAgenda(which, start, end, found, None if found else following)


async def agenda(rt: Runtime, team_id: str, user_id: str, tz: str | None, which: str) -> DayAgenda:
    """`/cal agenda [today|tomorrow|week]` for the caller, in their Slack zone `tz`."""
    link = await require_link(rt, team_id, user_id)
    return await agenda_of(rt, link, tz, which)
