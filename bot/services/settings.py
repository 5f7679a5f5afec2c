"""Changing your Cal.com setup from Slack: event types, working hours, profile.

Each change goes through your own connection and drops what the bot cached about it,
so the next listing (App Home, `/cal types`, the booking modal) shows it at once.
"""

from __future__ import annotations

from dataclasses import replace

from bot.calcom.errors import Invalid
from bot.calcom.models import WEEKDAYS, Availability, EventType, Me, Schedule
from bot.runtime import Runtime
from bot.services import event_types
from bot.services.errors import ServiceError
from bot.store import Link

SCHEDULE_NAME = "Working Hours"


class DuplicateSlug(ServiceError):
    user_message = "You already have an event type with that slug: choose another."


def _slug_taken(error: Invalid) -> bool:
    return "slug" in str(error.message or "").lower()


async def create_event_type(
    rt: Runtime,
    link: Link,
    *,
    title: str,
    slug: str,
    length: int,
    description: str = "",
    hidden: bool = False,
) -> EventType:
    try:
        made = await rt.calcom.create_event_type(
            link.connection_id,
            title=title,
            slug=slug,
            length=length,
            description=description or None,
            hidden=hidden,
        )
    except Invalid as error:
        if _slug_taken(error):
            raise DuplicateSlug() from None
        raise
    event_types.forget(rt, link)
    return made


async def update_event_type(
    rt: Runtime,
    link: Link,
    event_type_id: int,
    *,
    title: str,
    slug: str,
    length: int,
    description: str = "",
    hidden: bool = False,
) -> EventType:
    try:
        changed = await rt.calcom.update_event_type(
            link.connection_id,
            event_type_id,
            title=title,
            slug=slug,
            length=length,
            description=description,
            hidden=hidden,
        )
    except Invalid as error:
        if _slug_taken(error):
            raise DuplicateSlug() from None
        raise
    event_types.forget(rt, link)
    return changed


async def delete_event_type(rt: Runtime, link: Link, event_type_id: int) -> None:
    await rt.calcom.delete_event_type(link.connection_id, event_type_id)
    event_types.forget(rt, link)


async def working_hours(rt: Runtime, link: Link) -> Schedule | None:
    return await rt.calcom.default_schedule(link.connection_id)


def weekly(hours: dict[str, tuple[str, str]]) -> list[Availability]:
    """Per-day hours as Cal.com's availability: days with the same hours share an entry."""
    same: dict[tuple[str, str], list[str]] = {}
    for day in WEEKDAYS:
        if day in hours:
            same.setdefault(hours[day], []).append(day)
    return [Availability(tuple(days), start, end) for (start, end), days in same.items()]


async def save_working_hours(
    rt: Runtime, link: Link, hours: dict[str, tuple[str, str]], tz: str
) -> Schedule:
    """Replace the default schedule's weekly hours and zone; create it when there is none.

    Date overrides are left alone: the update names only availability and zone.
    """
    conn = link.connection_id
    availability = weekly(hours)
    schedule = await rt.calcom.default_schedule(conn)
    if schedule is None:
        return await rt.calcom.create_schedule(
            conn, name=SCHEDULE_NAME, time_zone=tz, availability=availability, is_default=True
        )
    return await rt.calcom.update_schedule(
        conn, schedule.id, time_zone=tz, availability=availability
    )


async def save_profile(rt: Runtime, link: Link, *, name: str, bio: str, time_zone: str) -> Me:
    """Name, bio and zone at Cal.com, and in the link the bot keeps (its name and zone)."""
    me = await rt.calcom.update_me(link.connection_id, name=name, bio=bio, time_zone=time_zone)
    rt.profiles.put(link.connection_id, me)
    rt.store.save_link(replace(link, name=me.name, time_zone=me.time_zone))
    return me
