"""Everything the App Home shows a linked user, fetched concurrently (4 gateway calls at most,
fewer when the profile and event types are cached)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from bot.calcom.models import Booking, EventType, Me, Schedule
from bot.runtime import Runtime
from bot.services import accounts, bookings, event_types, subscriptions
from bot.store import Link

UPCOMING = 10


@dataclass(frozen=True)
class Dashboard:
    link: Link
    profile: Me
    upcoming: list[Booking]
    types: list[EventType]
    schedule: Schedule | None
    subscriptions: list[Any] = field(default_factory=list)


async def dashboard(rt: Runtime, link: Link) -> Dashboard:
    me, upcoming, types, schedule = await asyncio.gather(
        accounts.profile(rt, link),
        bookings.page(rt, link, "upcoming"),
        event_types.event_types_of(rt, link),
        rt.calcom.default_schedule(link.connection_id),
    )
    subs = subscriptions.subscriptions_of(rt, link.team_id, link.user_id)
    return Dashboard(link, me, list(upcoming.items)[:UPCOMING], types, schedule, subs)
