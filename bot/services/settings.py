"""Changing your Cal.com setup from Slack: event types, working hours, profile.

Each change goes through your own connection and drops what the bot cached about it,
so the next listing (App Home, `/cal types`, the booking modal) shows it at once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from bot.calcom.errors import Invalid, NotFound
from bot.calcom.models import WEEKDAYS, Availability, EventType, Me, Schedule
from bot.models import Link
from bot.runtime import Runtime
from bot.services import event_types
from bot.services.errors import DuplicateSlug

SCHEDULE_NAME = "Working Hours"


@contextlib.contextmanager
def _slug_checked() -> Iterator[None]:
    """Cal.com's "slug already exists" (a 400) as DuplicateSlug, which the modal shows on
    the slug field; any other refusal as it is."""
    try:
        yield
    except Invalid as error:
        if "slug" in str(error.message or "").lower():
            raise DuplicateSlug() from None
        raise


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
    with _slug_checked():
        made = await rt.calcom.create_event_type(
            link.connection_id,
            title=title,
            slug=slug,
            length=length,
            description=description or None,
            hidden=hidden,
        )
    event_types.forget(rt, link)
    return made


async def update_event_type(
    rt: Runtime, link: Link, event_type_id: int, **changes: Any
) -> EventType | None:
    """Send only `changes` (title, slug, length, description, hidden): a field the user
    left alone stays as Cal.com has it, whole. None when there was nothing to change."""
    if not changes:
        return None
    with _slug_checked():
        changed = await rt.calcom.update_event_type(link.connection_id, event_type_id, **changes)
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
    rt: Runtime,
    link: Link,
    hours: dict[str, tuple[str, str]],
    tz: str,
    schedule_id: int | None,
) -> Schedule:
    """Replace the weekly hours and zone of the default schedule `schedule_id` (the one the
    modal showed); create a default one when there was none, or it is gone since.

    Date overrides are left alone: the update names only availability and zone.
    """
    conn = link.connection_id
    availability = weekly(hours)
    if schedule_id is not None:
        with contextlib.suppress(NotFound):
            return await rt.calcom.update_schedule(
                conn, schedule_id, time_zone=tz, availability=availability
            )
    return await rt.calcom.create_schedule(
        conn, name=SCHEDULE_NAME, time_zone=tz, availability=availability, is_default=True
    )


async def save_profile(rt: Runtime, link: Link, **changes: str) -> Me | None:
    """Change `changes` (name, bio, time_zone) at Cal.com, and the link's name and zone the
    bot keeps. Only what changed is sent; None when nothing did."""
    if not changes:
        return None
    me = await rt.calcom.update_me(link.connection_id, **changes)
    rt.profiles.put(link.connection_id, me)
    rt.store.save_link(replace(link, name=me.name, time_zone=me.time_zone))
    return me
