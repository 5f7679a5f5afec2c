"""Who may act on a booking: its host, and nobody else. The one check every surface uses.

Cal.com's API v2 makes the credential optional on reading, cancelling and rescheduling a
booking by uid (an attendee cancels with the uid from their email), and a uid is not a
secret in Slack: every channel notification's Join link carries it. So Cal.com's answer
proves nothing about the person clicking. Before a cancel, a reschedule, a confirm or a
decline, from any surface (a typed `/cal cancel <uid>`, list, confirmation, notification
and App Home buttons, the modals), the booking is read (`GET /v2/bookings/{uid}`) and the
clicker's linked Cal.com user must be one of its hosts, by Cal.com user id. That id is
stored with the link; an older link without it takes it from the (cached) profile, read
side by side with the booking (the booking's errors still come first).

Attendees: refused too. An attendee is named in a booking by email and name, both of
which the host or the booker typed, so nothing in the booking ties an attendee to a Slack
user in a way an attacker could not forge (a Slack profile email is editable and
unverified). Attendees keep Cal.com's own cancel and reschedule links, which Cal.com
emails them; the refusal says so.
"""

from __future__ import annotations

import logging

from bot.calcom.models import Booking
from bot.concurrently import in_order
from bot.models import Link
from bot.runtime import Runtime
from bot.services import accounts
from bot.services.errors import NotYours

log = logging.getLogger("calbot.authority")


async def hosted_booking(rt: Runtime, team_id: str, user_id: str, uid: str) -> tuple[Link, Booking]:
    """The caller's active link and booking `uid`, if they host it; NotYours otherwise
    (an unlinked caller included: nothing tells who they are at Cal.com)."""
    link = await accounts.current_link(rt, team_id, user_id)
    if link is None or not link.active:
        log.info("booking action refused: %s/%s is not linked", team_id, user_id)
        raise NotYours(linked=False)
    booking, calcom_user_id = await in_order(
        rt.calcom.booking(link.connection_id, uid), cal_user_id(rt, link)
    )
    if not hosts(calcom_user_id, booking):
        log.info("booking action refused: %s/%s does not host %s", team_id, user_id, uid)
        raise NotYours(linked=True)
    return link, booking


def hosts(calcom_user_id: int | None, booking: Booking) -> bool:
    """Whether Cal.com user `calcom_user_id` hosts `booking` (None, unknown: nobody does)."""
    return calcom_user_id is not None and calcom_user_id in {h.id for h in booking.hosts}


async def cal_user_id(rt: Runtime, link: Link) -> int | None:
    """The link's Cal.com user id: stored at link time, else from the (cached) profile."""
    if link.calcom_user_id is not None:
        return link.calcom_user_id
    return (await accounts.profile(rt, link)).id
