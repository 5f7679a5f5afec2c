"""Your bookings: list a page, cancel one. Always through your own link.

Authority is calbot's, not Cal.com's (Cal.com cancels by uid for anyone): a cancel goes
through bot/services/authority.py, which allows only the booking's host.
"""

from __future__ import annotations

from bot.calcom.models import Booking, BookingPage
from bot.models import Link
from bot.runtime import Runtime
from bot.services import authority

PAGE = 10
# Past and cancelled bookings read best newest first; the others soonest first.
_SORT = {"upcoming": "asc", "unconfirmed": "asc", "past": "desc", "cancelled": "desc"}


async def page(rt: Runtime, link: Link, status: str, skip: int = 0) -> BookingPage:
    """The page at `skip`; past the end (its only booking was just cancelled), the last page
    that has bookings, so the list never redraws empty while bookings remain."""
    found = await _page(rt, link, status, skip)
    if not found.items and found.skip > 0:
        found = await _page(rt, link, status, last_page_skip(found.total, found.skip))
    return found


def last_page_skip(total: int, skip: int) -> int:
    """The skip of the last page that holds any of `total` bookings, below `skip`."""
    return max(0, min(skip - PAGE, (total - 1) // PAGE * PAGE)) if total > 0 else 0


async def _page(rt: Runtime, link: Link, status: str, skip: int) -> BookingPage:
    return await rt.calcom.bookings(
        link.connection_id,
        status=status,
        take=PAGE,
        skip=max(0, skip),
        sort_start=_SORT.get(status, "asc"),
    )


async def cancel(rt: Runtime, team_id: str, user_id: str, uid: str, reason: str) -> Booking:
    """Cancel `uid` if the caller hosts it (NotYours otherwise: nothing changes)."""
    link, _ = await authority.hosted_booking(rt, team_id, user_id, uid)
    return await rt.calcom.cancel_booking(link.connection_id, uid, reason)
