"""Common free times of several people (`/cal find`), and booking one with all of them.

Each person's free times come through their OWN connection: Cal.com's slots of an event
type of that length on their account (their working hours and the busy times of their
connected calendars, as Cal.com reports them), read concurrently (paced to Maton's limit,
bot/pacing.py) and cached for a minute. A time is offered when it is a free start for the
caller and for every participant. Cal.com's multi-user slots (`GET /v2/slots?usernames=`)
would read everyone through one connection, which DESIGN.md §1 rules out.

The booking is made on the caller's event type through the caller's connection, the first
participant as the attendee and the others as guests, so Cal.com invites each of them.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.calcom.errors import BadApiKey, CalcomError, RateLimited
from bot.calcom.models import Attendee, Booking, EventType
from bot.models import Almost, Intent, Link
from bot.runtime import Runtime
from bot.services import booking, event_types
from bot.services.booking import Offer, Slots
from bot.services.errors import GuestHasNoEmail, PeopleMissing, SlotTaken
from bot.services.paging import Cursor
from bot.when import Exact, Window

log = logging.getLogger("calbot.find")

SHOWN_ALMOST = 3  # times named when all but one are free


def participant_links(rt: Runtime, intent: Intent) -> dict[str, Link]:
    """Each participant's active link; PeopleMissing names those without one."""
    links: dict[str, Link] = {}
    unlinked = []
    for user_id in intent.participants:
        link = rt.store.get_link(intent.team_id, user_id)
        if link is None or not link.active:
            unlinked.append(user_id)
        else:
            links[user_id] = link
    if unlinked:
        raise PeopleMissing(intent.id, unlinked=tuple(unlinked))
    return links


async def _type_of_length(rt: Runtime, link: Link, minutes: int) -> EventType | None:
    """The participant's event type of that length (a visible one first): its slots are
    their free times for a meeting that long. Read through their own connection."""
    if event_types.cached(rt, link):
        types = event_types.cached(rt, link)
    else:
        types = await rt.pacer.run(lambda: event_types.event_types_of(rt, link))
    same = sorted((t for t in types if t.length == minutes), key=lambda t: t.hidden)
    return same[0] if same else None


async def _slots(
    rt: Runtime, link: Link, event_type: EventType, start: datetime, end: datetime, tz: str
) -> Slots:
    """One person's free times in [start, end), cached a minute per connection and type.

    A read runs to the midnight after `end`, so the next search (whose window starts a
    little later and ends a little later, as "now" moves) is answered from it."""
    key = (link.connection_id, event_type.id, tz)
    cached = rt.availability.get(key)
    if cached is not None and cached[0] <= start and end <= cached[1]:
        return _within(cached[2], start, end)
    zone = ZoneInfo(tz)
    until = datetime.combine(end.astimezone(zone).date() + timedelta(days=1), time(), zone)
    found = await rt.pacer.run(lambda: booking.free_slots(rt, link, event_type, start, until, tz))
    rt.availability.put(key, (start, until, found))
    return _within(found, start, end)


def _within(slots: Slots, start: datetime, end: datetime) -> Slots:
    days = {d: [t for t in ts if start <= t < end] for d, ts in slots.days.items()}
    return Slots({d: ts for d, ts in days.items() if ts}, slots.tz)


def _failed(results: list[Any], user_ids: list[str]) -> tuple[str, ...]:
    """Who could not be read through their connection. Trouble that is nobody's in
    particular (Maton's rate limit, the workspace's API key) is raised as it is."""
    failed = []
    for user_id, result in zip(user_ids, results, strict=True):
        if isinstance(result, RateLimited | BadApiKey):
            raise result
        if isinstance(result, CalcomError):
            log.info("a participant's read failed: %s", type(result).__name__)
            failed.append(user_id)
        elif isinstance(result, BaseException):
            raise result
    return tuple(failed)


async def read_everyone(
    rt: Runtime,
    intent: Intent,
    host: Link,
    event_type: EventType,
    start: datetime,
    end: datetime,
) -> tuple[Slots, dict[str, Slots]]:
    """The caller's free times and each participant's, over [start, end): N+1 slot reads,
    all at once. A participant who can't be read is named (PeopleMissing), never skipped."""
    links = participant_links(rt, intent)
    people = list(intent.participants)
    found_types = await asyncio.gather(
        *(_type_of_length(rt, links[u], event_type.length) for u in people),
        return_exceptions=True,
    )
    failed = _failed(list(found_types), people)
    no_type = tuple(
        u for u, t in zip(people, found_types, strict=True) if t is None and u not in failed
    )
    if failed or no_type:
        raise PeopleMissing(intent.id, failed=failed, no_type=no_type, minutes=event_type.length)
    reads = await asyncio.gather(
        _slots(rt, host, event_type, start, end, intent.tz),
        *(
            _slots(rt, links[u], t, start, end, intent.tz)
            for u, t in zip(people, found_types, strict=True)
            if isinstance(t, EventType)
        ),
        return_exceptions=True,
    )
    mine, theirs = reads[0], reads[1:]
    if isinstance(mine, BaseException):
        raise mine
    failed = _failed(list(theirs), people)
    if failed:
        raise PeopleMissing(intent.id, failed=failed)
    return mine, {u: s for u, s in zip(people, theirs, strict=True) if isinstance(s, Slots)}


def common(mine: Slots, theirs: dict[str, Slots], *, without: str | None = None) -> Slots:
    """The caller's free times that are free for every participant (but `without`)."""
    others = [{t for ts in s.days.values() for t in ts} for u, s in theirs.items() if u != without]
    days = {}
    for day, times in mine.days.items():
        kept = [t for t in times if all(t in free for free in others)]
        if kept:
            days[day] = kept
    return Slots(days, mine.tz)


def almost(mine: Slots, theirs: dict[str, Slots], window: Window) -> Almost | None:
    """When nobody's times meet: the one person whose absence frees the most times."""
    if len(theirs) < 2:
        return None
    best: Almost | None = None
    for user_id in theirs:
        times = [
            t
            for ts in common(mine, theirs, without=user_id).days.values()
            for t in ts
            if window.start <= t < window.end
        ]
        if times and (best is None or len(times) > best.count):
            best = Almost(user_id, len(times), tuple(times[:SHOWN_ALMOST]))
    return best


async def offer(
    rt: Runtime,
    intent: Intent,
    host: Link,
    event_type: EventType,
    when: Window | Exact,
    *,
    one_click: bool = True,
) -> tuple[Offer, Almost | None]:
    """The picker's offer of common times (the same paging as `/cal book`), and, when the
    window has none, who alone stands in the way."""
    read: dict[str, Any] = {}

    async def fetch(start: datetime, end: datetime) -> Slots:
        read["mine"], read["theirs"] = await read_everyone(rt, intent, host, event_type, start, end)
        return common(read["mine"], read["theirs"])

    found = await booking.offer(
        rt, host, event_type, when, intent.tz, one_click=one_click, fetch=fetch
    )
    near = None
    if found.page is not None and not found.page.days and read:
        window = (
            booking.day_window(when.start.date(), rt.clock(), intent.tz, when.label)
            if isinstance(when, Exact)
            else when
        )
        near = almost(read["mine"], read["theirs"], window)
    return found, near


async def turn_page(
    rt: Runtime, intent: Intent, host: Link, event_type: EventType, cursor: Cursor, *, earlier: bool
) -> Offer:
    """Earlier / Later on a picker of common times: the same pages, read from everyone."""

    async def fetch(start: datetime, end: datetime) -> Slots:
        mine, theirs = await read_everyone(rt, intent, host, event_type, start, end)
        return common(mine, theirs)

    return await booking.turn_page(
        rt, host, event_type, intent.tz, cursor, earlier=earlier, fetch=fetch
    )


async def still_common(
    rt: Runtime, intent: Intent, host: Link, event_type: EventType, start: datetime
) -> None:
    """SlotTaken unless `start` is still free for everyone. Cal.com checks only the host
    when booking, so a participant who got busy since the picker was shown is caught
    here. The day's reads are usually still cached (no gateway call), and are the ones the
    fresh times after a SlotTaken come from."""
    window = booking.day_window(start.date(), rt.clock(), intent.tz)
    mine, theirs = await read_everyone(rt, intent, host, event_type, window.start, window.end)
    if start not in common(mine, theirs).on(start.date()):
        raise SlotTaken()


def forget(rt: Runtime, links: list[Link]) -> None:
    """Drop the cached free times of these connections: their calendars just changed."""
    connections = {link.connection_id for link in links}
    rt.availability.drop_where(lambda key: isinstance(key, tuple) and key[0] in connections)


async def book(
    rt: Runtime,
    intent: Intent,
    host: Link,
    event_type: EventType,
    start: datetime,
    *,
    notes: str | None = None,
    held: str | None = None,
) -> Booking:
    """One booking on the caller's event type with every participant: the first as the
    attendee, the rest as guests (Cal.com invites each). SlotTaken when it went meanwhile."""
    links = participant_links(rt, intent)
    people = [links[u] for u in intent.participants]
    for link in people:
        if not link.email:
            raise GuestHasNoEmail(link.user_id)
    first = people[0]
    attendee = Attendee(
        first.name or first.username or str(first.email),
        str(first.email),
        first.time_zone or intent.tz,
    )
    try:
        return await booking.book(
            rt,
            host,
            event_type,
            start,
            attendee,
            guests=tuple(str(link.email) for link in people[1:]),
            notes=notes,
            held=held,
        )
    finally:
        forget(rt, [host, *people])
