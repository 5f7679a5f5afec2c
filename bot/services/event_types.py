"""A user's event types, cached for 5 minutes, and matching what they type to one of them.

Matching order is the grammar's contract: slug, then title, then length ("30", "30min").
"""

from __future__ import annotations

from bot.calcom.models import EventType
from bot.grammar import length_of
from bot.models import Link
from bot.runtime import Runtime
from bot.services.errors import AmbiguousEventType, NoSuchEventType


async def event_types_of(rt: Runtime, link: Link) -> list[EventType]:
    """The link's event types; the username stored at link time saves a `/v2/me` call."""

    async def load() -> list[EventType]:
        username = link.username or (await rt.calcom.me(link.connection_id)).username
        return await rt.calcom.event_types(link.connection_id, username)

    return await rt.event_types.get_or_load(link.connection_id, load)


def cached(rt: Runtime, link: Link) -> list[EventType]:
    """The link's event types if the cache has them, else none: for an ack, which
    makes no gateway call."""
    return rt.event_types.get(link.connection_id) or []


def forget(rt: Runtime, link: Link) -> None:
    """Drop the cache after the bot itself changes the user's event types."""
    rt.event_types.drop(link.connection_id)


def match(types: list[EventType], query: str) -> list[EventType]:
    """The event types `query` names, in the grammar's order: slug, then title, then
    length; a title that merely contains the words comes last, as a convenience."""
    wanted = query.strip().lower()
    minutes = length_of(query)
    for same in (
        lambda t: t.slug.lower() == wanted,
        lambda t: t.title.lower() == wanted,
        lambda t: minutes is not None and t.length == minutes,
        lambda t: wanted and wanted in t.title.lower(),
    ):
        found = [t for t in types if same(t)]
        if found:
            return sorted(found, key=lambda t: t.hidden)
    return []


async def resolve(
    rt: Runtime, link: Link, query: str | None, *, public_only: bool = False
) -> EventType:
    """Exactly one event type for `query`, or an error that lets the user choose.

    No query: the only bookable type, else a choice among all. `public_only` (booking a
    teammate) leaves their hidden types out; your own hidden ones stay bookable by name.
    """
    types = await event_types_of(rt, link)
    bookable = [t for t in types if not (public_only and t.hidden)]
    if not query:
        visible = [t for t in bookable if not t.hidden]
        if len(visible) == 1:
            return visible[0]
        if not visible:
            raise NoSuchEventType("", bookable)
        raise AmbiguousEventType("", visible)
    found = match(bookable, query)
    visible = [t for t in found if not t.hidden] or found
    if len(visible) == 1:
        return visible[0]
    if not visible:
        raise NoSuchEventType(query, bookable)
    raise AmbiguousEventType(query, visible)


async def by_id(
    rt: Runtime, link: Link, event_type_id: int, *, public_only: bool = False
) -> EventType:
    """An event type of this link's by id, from the cached list when it is there.

    `public_only`: a teammate's hidden type is as good as absent (a forged button value
    must not reach it)."""
    found = next((t for t in await event_types_of(rt, link) if t.id == event_type_id), None)
    if found is None:
        found = await rt.calcom.event_type(link.connection_id, event_type_id)
    if public_only and found.hidden:
        raise NoSuchEventType(str(event_type_id), [])
    return found
