"""Booking links that unfurl: `https://cal.com/<username>/<type>` pasted in Slack becomes a
card with the event type, its length and its owner's next free times.

Only links of people linked in this workspace unfurl, and only their public (not hidden)
event types: the card shows what the public booking page would. The owner's connection
reads their own types and slots; a reader's click books as the reader (bot/slack/unfurl.py
goes through bot/services/offers.py, which checks everything again).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import timedelta

from bot.calcom.errors import CalcomError
from bot.calcom.models import Attendee
from bot.models import LinkCard
from bot.runtime import Runtime
from bot.services import booking, event_types, intents, offers
from bot.services.agenda import zone
from bot.services.errors import ServiceError
from bot.store import links as link_rows

log = logging.getLogger("calbot.unfurl")

DOMAIN = "cal.com"
_LINK = re.compile(
    r"^https://(?:www\.)?cal\.com/(?P<user>[A-Za-z0-9][\w.-]{0,62})/(?P<slug>[\w-]{1,100})/?(?:[?#].*)?$"
)
TIMES = 3
LOOK_AHEAD = timedelta(days=14)
MAX_LINKS = 5  # per message: each costs gateway calls


def parse(url: str) -> tuple[str, str] | None:
    """(username, event type slug) of a booking link; None for anything else."""
    m = _LINK.match(url.strip())
    return (m.group("user").lower(), m.group("slug").lower()) if m else None


async def card(rt: Runtime, team_id: str, url: str) -> LinkCard | None:
    """The card of one link, or None when it is not a booking link calbot can show."""
    parsed = parse(url)
    if parsed is None:
        return None
    username, slug = parsed
    owner = link_rows.by_username(rt.store.db, team_id, username)
    if owner is None or not owner.active:
        return None
    try:
        types = await event_types.event_types_of(rt, owner)
        found = next((t for t in types if t.slug.lower() == slug and not t.hidden), None)
        if found is None:
            return None
        tz = owner.time_zone or "UTC"
        now = rt.clock().astimezone(zone(tz))
        slots = await booking.free_slots(rt, owner, found, now, now + LOOK_AHEAD, tz)
    except (CalcomError, ServiceError) as error:  # the card is a courtesy: no unfurl then
        log.info("no unfurl for a link of %s: %s", owner.user_id, type(error).__name__)
        return None
    times = tuple(t for day in sorted(slots.days) for t in slots.days[day])[:TIMES]
    return LinkCard(url, owner.user_id, owner.name or username, found, times)


async def cards(rt: Runtime, team_id: str, urls: list[str]) -> list[LinkCard]:
    """The cards of a message's links, read concurrently."""
    unique = list(dict.fromkeys(urls))[:MAX_LINKS]
    found = await asyncio.gather(*(card(rt, team_id, url) for url in unique))
    return [c for c in found if c is not None]


async def pick(
    rt: Runtime,
    team_id: str,
    reader_id: str,
    tz: str,
    owner_id: str,
    event_type_id: int,
    start_epoch: int,
    caller: Callable[[], Awaitable[Attendee]],
) -> offers.Picked:
    """A time button on a card: the reader books the owner at that time (a teammate
    booking: the reader attends), through the same checks as any picker button."""
    host = await booking.host_link(rt, team_id, reader_id, owner_id)
    intent = intents.create(
        rt,
        team_id=team_id,
        user_id=reader_id,
        host_user_id=host.user_id,
        event_type_id=event_type_id,
        tz=tz,
    )
    return await offers.pick(rt, team_id, reader_id, intent.id, start_epoch, caller=caller)
