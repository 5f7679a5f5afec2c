"""A user's event types, cached for 5 minutes, and matching what they type to one of them.

Matching order is the grammar's contract: slug, then title, then length ("30", "30min").
"""

from __future__ import annotations

from bot.calcom.models import EventType
from bot.grammar import length_of
from bot.runtime import Runtime
from bot.services.errors import AmbiguousEventType, NoSuchEventType
from bot.store import Link


async def event_types_of(rt: Runtime, link: Link) -> list[EventType]:
    """The link's event types; the username stored at link time saves a `/v2/me` call."""

    async def load() -> list[EventType]:
        username = link.username or (await rt.calcom.me(link.connection_id)).username
        return await rt.calcom.event_types(link.connection_id, username)

    return await rt.event_types.get_or_load(link.connection_id, load)


def forget(rt: Runtime, link: Link) -> None:
    """Drop the cache after the bot itself changes the user's event types."""
    rt.event_types.drop(link.connection_id)


def match(types: list[EventType], query: str) -> list[EventType]:
    """The event types `query` names: by slug, else title, else length. Hidden ones last."""
    wanted = query.strip().lower()
    for same in (
        lambda t: t.slug.lower() == wanted,
        lambda t: t.title.lower() == wanted,
        lambda t: wanted and wanted in t.title.lower(),
    ):
        found = [t for t in types if same(t)]
        if found:
            return found
    minutes = length_of(query)
    if minutes is not None:
        return sorted((t for t in types if t.length == minutes), key=lambda t: t.hidden)
    return []


async def resolve(rt: Runtime, link: Link, query: str) -> EventType:
    """Exactly one event type for `query`, or an error that lets the user choose."""
    types = await event_types_of(rt, link)
    found = match(types, query)
    visible = [t for t in found if not t.hidden] or found
    if len(visible) == 1:
        return visible[0]
    if not visible:
        raise NoSuchEventType(query, types)
    raise AmbiguousEventType(query, visible)


async def by_id(rt: Runtime, link: Link, event_type_id: int) -> EventType:
    """An event type of this link's by id, from the cached list when it is there."""
    for event_type in await event_types_of(rt, link):
        if event_type.id == event_type_id:
            return event_type
    return await rt.calcom.event_type(link.connection_id, event_type_id)
