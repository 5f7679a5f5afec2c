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

from bot.calcom.errors import CalcomError, Conflict, Invalid
from bot.calcom.models import Attendee, Booking, EventType
from bot.models import Link
from bot.runtime import Runtime
from bot.services.accounts import require_link
from bot.services.errors import SlotTaken, TeammateNotLinked
from bot.services.paging import REACH, Cursor, Page, page_at
from bot.when import Exact, Window

log = logging.getLogger("calbot.booking")

LOOKAHEAD = timedelta(days=14)  # how far past the asked window we look for the next free day


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


def _host_fetch(rt: Runtime, host: Link, event_type: EventType, tz: str) -> Fetch:
    """The host's own free times: one gateway call for the range asked."""

    async def fetch(start: datetime, end: datetime) -> Slots:
        return await free_slots(rt, host, event_type, start, end, tz)

    return fetch


def day_window(day: date, now: datetime, tz: str, label: str = "that day") -> Window:
    """One local day, from now on if it is today."""
    start = datetime.combine(day, time(), ZoneInfo(tz))
    return Window(max(start, now.astimezone(ZoneInfo(tz))), start + timedelta(days=1), label)


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
    empty window can name the next free day and Later can lead past the window. `fetch`
    reads the free times another way (the common times of several people,
    bot/services/common.py)."""
    now = rt.clock()
    window = day_window(when.start.date(), now, tz, when.label) if isinstance(when, Exact) else when
    fetch = fetch or _host_fetch(rt, host, event_type, tz)
    fetched = await fetch(window.start, window.end + LOOKAHEAD)
    free = isinstance(when, Exact) and when.start in fetched.on(when.start.date())
    if free and one_click:
        return Offer(exact=when.start, page=None)
    times = [t for day in sorted(fetched.days) for t in fetched.days[day]]
    cursor = Cursor(window.start, window.end, window.start)
    if not any(t < window.end for t in times):  # nothing free in the window: say so
        later = Cursor(window.start, window.end, times[0]) if times else None
        page = Page({}, None, later)
    else:
        page = page_at(times, cursor, earlier=False)
    missed = when.label if isinstance(when, Exact) and not free else None
    return Offer(None, page, missed, window.label)


async def turn_page(
    rt: Runtime,
    host: Link,
    event_type: EventType,
    tz: str,
    cursor: Cursor,
    *,
    earlier: bool,
    fetch: Fetch | None = None,
) -> Offer:
    """Earlier / Later / "Show Fri 27 Nov": the page a picker's cursor leads to. The free
    times are fetched from the picker's anchor so the pages are cut exactly as before."""
    start = max(cursor.anchor, rt.clock().astimezone(ZoneInfo(tz)))
    fetch = fetch or _host_fetch(rt, host, event_type, tz)
    fetched = await fetch(start, cursor.at + REACH)
    times = [t for day in sorted(fetched.days) for t in fetched.days[day]]
    return Offer(None, page_at(times, cursor, earlier=earlier), None, "then")


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
