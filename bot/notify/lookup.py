"""Fill in a notification from Cal.com when its delivery does not say enough.

A BOOKING_NO_SHOW_UPDATED delivery carries only `bookingUid`, the attendees' emails with
their marks, and a message: no title, no time, no names. Posted as is it read "No-show:
Booking, time unknown". The worker asks Cal.com for the booking (`GET
/v2/bookings/{uid}`, with the subscription owner's connection) and shows its title,
time, host and the attendees' names. When Cal.com cannot answer, the post goes out with
what the delivery said rather than not at all.
"""

from __future__ import annotations

import dataclasses
import logging

from bot.calcom.models import Booking
from bot.models import BookingEvent, Person, Subscription
from bot.notify.events import NO_SHOW_KINDS
from bot.runtime import Runtime

log = logging.getLogger("calbot.notify")


def needs_booking(event: BookingEvent) -> bool:
    return event.kind in NO_SHOW_KINDS and bool(event.uid) and event.start is None


async def complete(rt: Runtime, sub: Subscription, event: BookingEvent) -> BookingEvent:
    """`event` with the booking's facts filled in where it lacks them."""
    if not needs_booking(event):
        return event
    link = rt.store.get_link(sub.team_id, sub.user_id)
    if link is None or not link.active:
        return event
    try:
        booking = await rt.calcom.booking(link.connection_id, event.uid)
    except Exception as error:  # CalcomError, network: post what the delivery said
        log.warning("no-show for %s: booking not read (%s)", event.uid, type(error).__name__)
        return event
    return with_booking(event, booking)


def with_booking(event: BookingEvent, booking: Booking) -> BookingEvent:
    """`event` (a no-show update) told with `booking`'s title, time, host and names."""
    names = {a.email.lower(): a.name for a in booking.attendees if a.email and a.name}

    def named(labels: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(names.get(label.lower(), label) for label in labels)

    host = booking.hosts[0] if booking.hosts else None
    return dataclasses.replace(
        event,
        title=booking.title or event.title,
        start=booking.start,
        end=booking.end,
        length=booking.duration,
        organizer=Person(host.name or None, host.email or None, host.time_zone) if host else None,
        attendees=tuple(
            Person(a.name or None, a.email or None, a.time_zone) for a in booking.attendees
        )
        or event.attendees,
        no_shows=named(event.no_shows),
        no_show_cleared=named(event.no_show_cleared),
    )
