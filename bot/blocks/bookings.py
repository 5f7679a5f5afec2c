"""Bookings in Slack: the confirmation after booking, the list, and what changed."""

from __future__ import annotations

from typing import Any

from bot.blocks.kit import actions, button, context, message, section
from bot.blocks.timefmt import slack_date
from bot.calcom.models import Booking
from bot.ids import Action, Block


def _people(booking: Booking) -> str:
    host = booking.host
    attendees = ", ".join(a.name or a.email for a in booking.attendees) or "nobody yet"
    return (f"Host: {host.name or host.email} · " if host else "") + f"Attendees: {attendees}"


def _where(booking: Booking) -> str | None:
    if booking.meeting_url:
        return None  # the Join button says it
    if booking.location:
        return f"Where: {booking.location}"
    return None


def _length(booking: Booking) -> int:
    return booking.duration or int((booking.end - booking.start).total_seconds() // 60)


def booking_buttons(booking: Booking, *, manage: bool = True) -> list[dict[str, Any]]:
    """Join (when there is a link), Cancel and Reschedule; value is the uid, nothing else."""
    elements = []
    if booking.meeting_url:
        elements.append(button("Join", Action.JOIN_MEETING, url=booking.meeting_url))
    if manage and not booking.is_cancelled:
        elements.append(button("Reschedule", Action.RESCHEDULE_BOOKING, value=booking.uid))
        elements.append(button("Cancel", Action.CANCEL_BOOKING, value=booking.uid, style="danger"))
    return elements


def row_block_id(uid: str) -> str:
    """The block id of a booking's buttons (unique in a message or view)."""
    return f"{Block.BOOKING_ROW}:{uid}"[:255]


def listed_block_id(status: str, skip: int, uid: str) -> str:
    """A list row's block id says which page it sits on, so a Cancel there can redraw it."""
    return f"{Block.LISTED_ROW}:{status}:{skip}:{uid}"[:255]


def listed_page(block_id: str) -> tuple[str, int] | None:
    """(status, skip) of the list page a row's block id names; None for other blocks."""
    parts = block_id.split(":")
    skip = parts[2] if len(parts) >= 4 and parts[0] == Block.LISTED_ROW else ""
    if skip.isascii() and skip.isdigit() and len(skip) <= 12:  # '²'.isdigit() too
        return parts[1], int(skip)
    return None


def summary_lines(booking: Booking) -> str:
    lines = [f"*{booking.title}*", f"{slack_date(booking.start)} · {_length(booking)} min"]
    lines.append(_people(booking))
    where = _where(booking)
    if where:
        lines.append(where)
    return "\n".join(lines)


def confirmation(
    booking: Booking, *, lead: str = ":white_check_mark: Booked", manage: bool = True
) -> dict[str, Any]:
    """`manage=False` for the attendee of a teammate's booking: only the host's connection
    can move or cancel it, so the attendee gets Join alone."""
    blocks = [section(f"{lead}: {summary_lines(booking)}")]
    buttons = booking_buttons(booking, manage=manage)
    if buttons:
        blocks.append(actions(*buttons, block_id=row_block_id(booking.uid)))
    if booking.is_pending:
        blocks.append(context("Waiting for the host to confirm."))
    return message(f"{lead.split(' ', 1)[-1]}: {booking.title}", blocks)


def cancelled(booking: Booking, reason: str | None) -> dict[str, Any]:
    why = f"\nReason: {reason}" if reason else ""
    text = f":x: Cancelled: *{booking.title}*, {slack_date(booking.start)}.{why}"
    return message(f"Cancelled: {booking.title}", [section(text)])


STATUS_WORDS = {
    "upcoming": "Upcoming",
    "past": "Past",
    "cancelled": "Cancelled",
    "unconfirmed": "Unconfirmed",
}


def booking_list(
    bookings: list[Booking],
    *,
    status: str,
    skip: int,
    total: int | None,
    has_more: bool,
    page_size: int = 10,
) -> dict[str, Any]:
    """A page of bookings; upcoming and unconfirmed ones can be cancelled or moved."""
    word = STATUS_WORDS.get(status, status.title())
    shown = f"{skip + 1}–{skip + len(bookings)}" + (f" of {total}" if total is not None else "")
    blocks = [section(f"*{word} bookings*" + (f" ({shown})" if bookings else ""))]
    if not bookings:
        blocks.append(section(f"No {word.lower()} bookings."))
    for booking in bookings:
        blocks.append(section(summary_lines(booking)))
        buttons = booking_buttons(booking, manage=status in ("upcoming", "unconfirmed"))
        if buttons:
            blocks.append(actions(*buttons, block_id=listed_block_id(status, skip, booking.uid)))
    nav = []
    if skip > 0:
        earlier = f"{status}:{max(0, skip - page_size)}"
        nav.append(button("← Previous", f"{Action.BOOKINGS_PAGE}:prev", value=earlier))
    if has_more:
        later = f"{status}:{skip + page_size}"
        nav.append(button("Next →", f"{Action.BOOKINGS_PAGE}:next", value=later))
    if nav:
        blocks.append(actions(*nav, block_id=Block.BOOKINGS_NAV))
    return message(f"{word} bookings", blocks)
