"""Finding free times and booking them, on your calendar or a teammate's.

Whoever the host is, every gateway call goes through the host's connection: a
teammate's free times and the booking on their event type. Who the attendee is gets
decided by the caller (you, when booking with a teammate; your guest otherwise).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.blocks import limits
from bot.calcom.errors import CalcomError, Conflict, Invalid
from bot.calcom.models import Attendee, Booking, EventType
from bot.models import Link
from bot.runtime import Runtime
from bot.services.accounts import require_link
from bot.services.errors import SlotTaken, TeammateNotLinked
from bot.when import Exact, Window

log = logging.getLogger("calbot.booking")

LOOKAHEAD = timedelta(days=14)  # how far past the asked window we look for the next free day
WEEK = timedelta(days=7)


async def host_link(rt: Runtime, team_id: str, caller_id: str, host_id: str | None) -> Link:
    """The link whose calendar we book on: yours, or a mentioned teammate's."""
    if host_id is None or host_id == caller_id:
        return await require_link(rt, team_id, caller_id)
    link = rt.store.get_link(team_id, host_id)
    if link is None or not link.active:
        raise TeammateNotLinked(host_id)
    return link


@dataclass(frozen=True)
class Slots:
    """Free start times by local day, in the viewer's zone."""

    days: dict[date, list[datetime]]
    tz: str

    def on(self, day: date) -> list[datetime]:
        return self.days.get(day, [])

    def first_day_from(self, day: date) -> date | None:
        return next((d for d in sorted(self.days) if d >= day and self.days[d]), None)


async def free_slots(
    rt: Runtime, host: Link, event_type: EventType, start: datetime, end: datetime, tz: str
) -> Slots:
    """Free times in [start, end), grouped by the viewer's local day."""
    by_day = await rt.calcom.slots(
        host.connection_id, event_type_id=event_type.id, start=start, end=end, time_zone=tz
    )
    zone = ZoneInfo(tz)
    days: dict[date, list[datetime]] = {}
    for times in by_day.values():
        for when in times:
            local = when.astimezone(zone)
            if start <= local < end:
                days.setdefault(local.date(), []).append(local)
    return Slots({d: sorted(ts) for d, ts in sorted(days.items())}, tz)


Fetch = Callable[[datetime, datetime], Awaitable[Slots]]


@dataclass(frozen=True)
class Page:
    """The days one picker message shows, and where Earlier/Later lead."""

    days: dict[date, list[datetime]]
    earlier: date | None
    later: date | None


def page_from(
    slots: Slots, first: date, *, not_before: date, limit: int = limits.PICKER_SLOTS
) -> Page:
    """Whole days from `first` on, up to `limit` buttons (a crowded first day is cut) and
    PICKER_DAYS days (bot/blocks/limits.py)."""
    shown: dict[date, list[datetime]] = {}
    count = 0
    days = sorted(d for d in slots.days if d >= first and slots.days[d])
    for day in days[: limits.PICKER_DAYS]:
        times = slots.days[day]
        if shown and count + len(times) > limit:
            break
        shown[day] = times[: limit - count]
        count += len(shown[day])
        if count >= limit:
            break
    last = max(shown) if shown else first
    later = slots.first_day_from(last + timedelta(days=1))
    earlier = first - timedelta(days=1) if first > not_before else None
    return Page(shown, earlier, later)


def day_window(day: date, now: datetime, tz: str, label: str = "that day") -> Window:
    """One local day, from now on if it is today."""
    start = datetime.combine(day, time(), ZoneInfo(tz))
    return Window(max(start, now.astimezone(ZoneInfo(tz))), start + timedelta(days=1), label)


def page_window(day: date, *, earlier: bool, now: datetime, tz: str) -> Window:
    """The week Earlier/Later lead to: on from `day`, or the week before it (not the past)."""
    zone = ZoneInfo(tz)
    today = now.astimezone(zone).date()
    if earlier:
        day = max(today, day - WEEK + timedelta(days=1))
    start = max(now.astimezone(zone), datetime.combine(day, time(), zone))
    return Window(start, start + WEEK, "then")


@dataclass(frozen=True)
class Offer:
    """What to show for a phrase: one free exact time, or a page of free times."""

    exact: datetime | None  # free, and asked for exactly: one click books it
    page: Page | None
    missed: str | None = None  # the exact time asked for, when it isn't free
    label: str = ""  # the window's label, for "No free times <label>"


async def offer(
    rt: Runtime,
    host: Link,
    event_type: EventType,
    when: Window | Exact,
    tz: str,
    *,
    one_click: bool = True,
    fetch: Fetch | None = None,
) -> Offer:
    """Free times for `when` in one gateway call, which also looks LOOKAHEAD further so an
    empty day can name the next free one. `fetch` reads the free times another way (the
    common times of several people, bot/services/common.py)."""
    now = rt.clock()
    window = day_window(when.start.date(), now, tz, when.label) if isinstance(when, Exact) else when
    if fetch is None:
        fetched = await free_slots(rt, host, event_type, window.start, window.end + LOOKAHEAD, tz)
    else:
        fetched = await fetch(window.start, window.end + LOOKAHEAD)
    if isinstance(when, Exact) and one_click and when.start in fetched.on(when.start.date()):
        return Offer(exact=when.start, page=None)
    in_window = Slots(
        {d: [t for t in ts if window.start <= t < window.end] for d, ts in fetched.days.items()},
        tz,
    )
    first = window.start.date()
    page = page_from(in_window, first, not_before=now.astimezone(ZoneInfo(tz)).date())
    later = page.later or fetched.first_day_from(max(page.days, default=first) + timedelta(days=1))
    shown = {d: ts for d, ts in page.days.items() if ts}
    missed = when.label if isinstance(when, Exact) else None
    return Offer(None, Page(shown, page.earlier, later), missed, window.label)


async def book(
    rt: Runtime,
    host: Link,
    event_type: EventType,
    start: datetime,
    attendee: Attendee,
    *,
    guests: tuple[str, ...] = (),
    notes: str | None = None,
    held: str | None = None,
) -> Booking:
    """Hold the slot (unless `held` names our hold already), then book it.

    The hold makes a double click, or two people on one slot, fail cleanly at the
    reservation instead of as a confusing booking error. A slot gone in the meantime
    raises SlotTaken.
    """
    conn = host.connection_id
    reservation = held or await hold(rt, host, event_type, start)
    try:
        booking = await rt.calcom.create_booking(
            conn,
            event_type_id=event_type.id,
            start=start,
            attendee=attendee,
            guests=guests,
            notes=notes,
        )
    except CalcomError as error:
        # Free the slot for a retry, unless the booking may have gone through after all.
        if not getattr(error, "maybe_applied", False):
            await release(rt, host, reservation)
        if isinstance(error, Invalid | Conflict) and _slot_gone(error):
            raise SlotTaken() from None
        raise
    log.info("booked %s on event type %s", booking.uid, event_type.id)
    return booking


async def reschedule(rt: Runtime, link: Link, uid: str, start: datetime) -> Booking:
    try:
        return await rt.calcom.reschedule_booking(link.connection_id, uid, start=start)
    except (Invalid, Conflict) as error:
        if _slot_gone(error):
            raise SlotTaken() from None
        raise


def _slot_gone(error: CalcomError) -> bool:
    text = str(getattr(error, "message", "") or error).lower()
    return isinstance(error, Conflict) or any(
        word in text for word in ("reserved", "available", "already", "booked", "slot")
    )


async def hold(rt: Runtime, host: Link, event_type: EventType, start: datetime) -> str:
    """Reserve the slot for a few minutes; its reservation uid. SlotTaken when it's gone."""
    try:
        reservation = await rt.calcom.reserve_slot(
            host.connection_id, event_type_id=event_type.id, start=start
        )
    except (Invalid, Conflict) as error:
        log.info("slot hold refused: %s", type(error).__name__)
        raise SlotTaken() from None
    return reservation.uid


async def release(rt: Runtime, host: Link, reservation_uid: str) -> None:
    """Let a held slot go; failures are harmless (holds expire by themselves)."""
    with contextlib.suppress(CalcomError):
        await rt.calcom.release_reservation(host.connection_id, reservation_uid)
