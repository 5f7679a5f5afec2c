"""Everything the App Home shows a linked user, fetched concurrently (4 gateway calls at most,
fewer when the profile and event types are cached)."""

from __future__ import annotations

import asyncio

from bot.models import Dashboard, Link
from bot.runtime import Runtime
from bot.services import accounts, bookings, event_types, subscriptions

UPCOMING = 10


async def dashboard(rt: Runtime, link: Link) -> Dashboard:
    me, upcoming, types, schedule = await asyncio.gather(
        accounts.profile(rt, link),
        bookings.page(rt, link, "upcoming"),
        event_types.event_types_of(rt, link),
        rt.calcom.default_schedule(link.connection_id),
    )
    subs = subscriptions.subscriptions_of(rt, link.team_id, link.user_id)
    return Dashboard(link, me, list(upcoming.items)[:UPCOMING], types, schedule, subs)
