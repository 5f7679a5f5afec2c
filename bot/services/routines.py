"""Opting in to the daily agenda and to reminders, and keeping reminders true to bookings.

What is stored (bot/store/routines.py): a routine per user, and jobs. `agenda`: one row a
user, due at the next weekday H:MM in their Slack zone. `sync`: one row a user with
reminders on, due every `SYNC_EVERY`, which reads their next bookings and plans one
`remind` row per booking (`due_at` = start − N minutes). Cal.com's webhook deliveries move
or drop reminder rows as they arrive (`booking_delivered`), through a webhook each user
with reminders on gets (bot/services/reminder_hooks.py); the reminder job checks its
booking once more before posting. The jobs themselves run in bot/routines/.

`/cal disconnect` pauses a user's routines (jobs and webhook go, their choices stay);
connecting again resumes them: nobody turned them off.
"""

from __future__ import annotations

import asyncio
import json
import logging
import zlib
from datetime import UTC, datetime, time, timedelta

from bot.calcom.models import Booking
from bot.models import BookingEvent, Link, Routine
from bot.notify import events
from bot.runtime import Runtime
from bot.services import accounts, reminder_hooks
from bot.services.agenda import zone
from bot.store import routines as rows

log = logging.getLogger("calbot.routines")

SYNC_EVERY = timedelta(hours=1)
# a sync reads bookings starting within N minutes + this: longer than SYNC_EVERY, so each
# booking has its reminder planned at least one sync before the reminder is due
SYNC_MARGIN = timedelta(hours=3)
CATCH_UP = timedelta(hours=12)  # meetings under way this long are still read by a sync
DEFAULT_AGENDA_MINUTE = 8 * 60 + 30  # the App Home's "Turn on"


def next_agenda_at(
    after: datetime, tz: str | None, minute: int, skip_day: str | None = None
) -> datetime:
    """The first weekday H:MM in `tz` strictly after `after`, other than the local day
    `skip_day` (ISO date: already handled). A time a DST change skips maps past the gap."""
    z = zone(tz)
    first = after.astimezone(z).date()
    for offset in range(10):
        day = first + timedelta(days=offset)
        if day.weekday() >= 5 or day.isoformat() == skip_day:
            continue
        at = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=z)
        if at.astimezone(UTC) > after:
            return at
    raise AssertionError("a weekday comes within ten days")


def _spread(team_id: str, user_id: str, every: timedelta) -> float:
    """A stable offset within `every` per user, so syncs spread evenly over the period."""
    return zlib.crc32(f"{team_id}:{user_id}".encode()) % int(every.total_seconds())


# --- opting in ----------------------------------------------------------------------------


def routine_of(rt: Runtime, team_id: str, user_id: str) -> Routine | None:
    return rows.routine(rt.store.db, team_id, user_id)


def plan_agenda(rt: Runtime, routine: Routine) -> datetime | None:
    """(Re)plan the user's agenda job from their routine; when it runs next, or None (off)."""
    db = rt.store.db
    if routine.agenda_minute is None:
        rows.drop_jobs(db, routine.team_id, routine.user_id, "agenda")
        return None
    job = rows.job(db, routine.team_id, routine.user_id, "agenda")
    at = next_agenda_at(
        rt.clock(), routine.time_zone, routine.agenda_minute, job.last_day if job else None
    )
    rows.plan(db, routine.team_id, routine.user_id, "agenda", at.timestamp())
    return at


async def set_daily(
    rt: Runtime, team_id: str, user_id: str, minute: int | None, tz: str
) -> Routine:
    """`/cal agenda daily H:MM | off` (and the App Home toggle)."""
    if minute is not None:
        await accounts.require_link(rt, team_id, user_id)
    now = rt.clock().timestamp()
    routine = rows.save_routine(
        rt.store.db, team_id, user_id, now, agenda_minute=minute, time_zone=tz
    )
    plan_agenda(rt, routine)
    return routine


async def set_remind(
    rt: Runtime, team_id: str, user_id: str, minutes: int | None, tz: str
) -> tuple[Routine, int, bool]:
    """`/cal remind N | off`; with reminders on, the bookings they cover now (read at once,
    so the answer can say so and a booking minutes away is not missed), and whether Cal.com
    tells calbot of changes as they happen (False: the hourly sync finds them)."""
    db = rt.store.db
    now = rt.clock()
    if minutes is None:
        routine = rows.save_routine(db, team_id, user_id, now.timestamp(), remind_minutes=None)
        rows.drop_jobs(db, team_id, user_id, "sync", "remind")
        await reminder_hooks.remove(
            rt, accounts.active_link_or_none(rt, team_id, user_id), team_id, user_id
        )
        return routine, 0, False
    link = await accounts.require_link(rt, team_id, user_id)
    routine = rows.save_routine(
        db, team_id, user_id, now.timestamp(), remind_minutes=minutes, time_zone=tz
    )
    rows.drop_jobs(db, team_id, user_id, "remind")  # planned again for the new lead time
    planned, live = await asyncio.gather(
        sync_reminders(rt, link.connection_id, routine, catch_up=False),
        reminder_hooks.ensure(rt, link),
    )
    rows.plan(db, team_id, user_id, "sync", next_sync_at(rt, team_id, user_id))
    return routine, planned, live


async def pause(rt: Runtime, link: Link) -> None:
    """`/cal disconnect`: no more agenda, syncs or reminders, and no webhook (deleted while
    the connection can still reach Cal.com). The routine itself stays: the user's choice."""
    rows.drop_jobs(rt.store.db, link.team_id, link.user_id, "agenda", "sync", "remind")
    await reminder_hooks.remove(rt, link, link.team_id, link.user_id)


async def resume(rt: Runtime, link: Link) -> None:
    """The user connected (again): what they had turned on runs again, the agenda at its
    next time, reminders from a sync at once (planned now, run by the next tick)."""
    routine = rows.routine(rt.store.db, link.team_id, link.user_id)
    if routine is None:
        return
    plan_agenda(rt, routine)
    if routine.remind_minutes is not None:
        rows.plan(rt.store.db, link.team_id, link.user_id, "sync", rt.clock().timestamp())
        await reminder_hooks.ensure(rt, link)
    log.info("routines of %s/%s resumed", link.team_id, link.user_id)


def zone_changed(rt: Runtime, team_id: str, user_id: str, tz: str) -> bool:
    """The user's Slack zone changed (`user_change`): their agenda follows at once.
    True when they have a routine whose zone this changed."""
    routine = rows.routine(rt.store.db, team_id, user_id)
    if routine is None or routine.time_zone == tz or zone(tz).key != tz:
        return False
    routine = rows.save_routine(rt.store.db, team_id, user_id, rt.clock().timestamp(), time_zone=tz)
    plan_agenda(rt, routine)
    return True


def next_sync_at(rt: Runtime, team_id: str, user_id: str) -> float:
    """The next sync, at the user's own offset in the period (spread over users)."""
    now = rt.clock().timestamp()
    period = SYNC_EVERY.total_seconds()
    offset = _spread(team_id, user_id, SYNC_EVERY)
    at = (now // period) * period + offset
    return at if at > now + 60 else at + period


# --- reminders follow the bookings --------------------------------------------------------


def reminder_detail(
    *, title: str, start: datetime, end: datetime, join_url: str | None, location: str | None
) -> str:
    return json.dumps(
        {
            "title": title,
            "start": start.timestamp(),
            "end": end.timestamp(),
            "join_url": join_url,
            "location": location,
        }
    )


def plan_booking(rt: Runtime, routine: Routine, booking: Booking) -> None:
    """Plan (or move) the reminder of one live booking."""
    assert routine.remind_minutes is not None
    due = booking.start - timedelta(minutes=routine.remind_minutes)
    rows.plan_reminder(
        rt.store.db,
        routine.team_id,
        routine.user_id,
        booking.uid,
        due_at=due.timestamp(),
        start_at=booking.start.timestamp(),
        detail=reminder_detail(
            title=booking.title,
            start=booking.start,
            end=booking.end,
            join_url=booking.meeting_url,
            location=booking.location,
        ),
    )


async def sync_reminders(
    rt: Runtime, connection_id: str, routine: Routine, *, catch_up: bool = True
) -> int:
    """Read the bookings starting before the sync horizon; plan a reminder for each and
    drop the pending ones whose booking is gone. The number of bookings covered.

    `catch_up`: include meetings already under way (Cal.com's "upcoming" is every booking
    not yet ended), so one whose reminder fell in downtime still gets it, late; turning
    reminders on does not, or it would remind of the meeting you are in.
    """
    assert routine.remind_minutes is not None
    now = rt.clock()
    since = now - CATCH_UP if catch_up else now
    horizon = now + timedelta(minutes=routine.remind_minutes) + SYNC_MARGIN
    found = await rt.calcom.bookings(
        connection_id, status="upcoming", take=100, sort_start="asc", after_start=since
    )
    live = [b for b in found.items if not b.is_cancelled and since <= b.start < horizon]
    for booking in live:
        plan_booking(rt, routine, booking)
    if found.has_more and len(found.items) == len(live):
        horizon = max(b.start for b in live)  # only what the page covers is known
    rows.drop_reminders_except(
        rt.store.db,
        routine.team_id,
        routine.user_id,
        [b.uid for b in live],
        since.timestamp(),
        horizon.timestamp(),
    )
    return len(live)


def booking_delivered(rt: Runtime, team_id: str, user_id: str, body: bytes) -> None:
    """A Cal.com delivery about one of the user's bookings (bot/notify/endpoint.py): a
    cancellation drops its reminder, a reschedule moves it to the new booking, a new
    booking gets one. Nothing for users without reminders; never raises (the delivery
    is stored already, and the next sync corrects anything missed here)."""
    routine = rows.routine_for_delivery(rt.store.db, team_id, user_id)
    if routine is None or routine.remind_minutes is None:
        return
    try:
        event = events.normalise(events.read_stored(body))
        moved_from = events.read_delivery(body).rescheduled_from
        _follow(rt, routine, event, moved_from)
    except Exception as error:  # a delivery we cannot read for this: the sync will do
        log.warning("reminders: delivery not applied (%s)", type(error).__name__)


def _follow(rt: Runtime, routine: Routine, event: BookingEvent, moved_from: str | None) -> None:
    assert routine.remind_minutes is not None
    db, team_id, user_id = rt.store.db, routine.team_id, routine.user_id
    if moved_from:
        rows.drop_reminder(db, team_id, user_id, moved_from)
    if event.kind in ("cancelled", "moved", "reschedule_asked", "rejected"):
        rows.drop_reminder(db, team_id, user_id, event.uid)
        return
    if event.kind not in ("created", "rescheduled", "requested") or not event.start:
        return
    end = event.end or event.start + timedelta(minutes=event.length or 0)
    if end <= rt.clock():
        return
    due = event.start - timedelta(minutes=routine.remind_minutes)
    rows.plan_reminder(
        db,
        team_id,
        user_id,
        event.uid,
        due_at=due.timestamp(),
        start_at=event.start.timestamp(),
        detail=reminder_detail(
            title=event.title,
            start=event.start,
            end=end,
            join_url=event.join_url,
            location=event.location,
        ),
    )
    log.info("reminder for %s planned from a %s delivery", event.uid, event.kind)
