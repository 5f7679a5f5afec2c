"""`/cal find` in Slack: who is missing from a search, who alone is busy, a participant's
DM with Join and Decline, and what a decline tells each side.

Times shown to a participant or the organiser use Slack's date token, so each reader sees
their own zone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.blocks.bookings import booking_buttons, row_block_id, summary_lines
from bot.blocks.kit import actions, button, confirm_dialog, context, message, section
from bot.blocks.timefmt import clock, day_label, slack_date
from bot.calcom.models import Booking
from bot.ids import Action, Block
from bot.models import Almost
from bot.services.errors import PeopleMissing


def mentions(user_ids: Sequence[str]) -> str:
    """<@U1>, <@U2> and <@U3>"""
    tags = [f"<@{u}>" for u in user_ids]
    if len(tags) <= 1:
        return "".join(tags)
    return f"{', '.join(tags[:-1])} and {tags[-1]}"


def _names(user_ids: Sequence[str], names: Mapping[str, str]) -> str:
    known = [names.get(u) for u in user_ids]
    if not known or not all(known):
        return "them"
    if len(known) == 1:
        return str(known[0])
    return f"{', '.join(str(n) for n in known[:-1])} and {known[-1]}"


def without_button(intent_id: str, user_ids: Sequence[str], names: Mapping[str, str]) -> dict:
    return button(
        f"Find a time without {_names(user_ids, names)}",
        Action.FIND_WITHOUT,
        value=f"{intent_id}:{','.join(user_ids)}",
    )


def people_missing(error: PeopleMissing, names: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Who the search can't include, an invitation for each unlinked one, and the choice
    to search the others' times without them."""
    names = names or {}
    lines = []
    if error.unlinked:
        verb = "hasn't" if len(error.unlinked) == 1 else "haven't"
        lines.append(f"{mentions(error.unlinked)} {verb} connected Cal.com yet.")
    if error.failed:
        lines.append(
            f"I couldn't read the calendar of {mentions(error.failed)}: their Cal.com "
            "connection failed (they can run `/cal connect` to reconnect)."
        )
    if error.no_type:
        verb = "has" if len(error.no_type) == 1 else "have"
        lines.append(
            f"{mentions(error.no_type)} {verb} no {error.minutes}-minute event type, so Cal.com "
            "can't say when they're free for that long."
        )
    if not lines:
        lines.append("I couldn't include everyone in that search.")
    blocks = [section(":warning: " + " ".join(lines))]
    for user_id in error.unlinked:
        who = names.get(user_id) or "them"
        blocks.append(
            actions(
                button(f"Invite {who}", Action.INVITE_TEAMMATE, value=user_id),
                block_id=f"{Block.ERROR_ACTIONS}:{user_id}",
            )
        )
    blocks.append(
        actions(
            without_button(error.intent_id, error.everyone, names),
            block_id=Block.FIND_WITHOUT,
        )
    )
    return message(" ".join(lines), blocks)


def almost_blocks(intent_id: str, near: Almost, names: Mapping[str, str]) -> list[dict[str, Any]]:
    """No time suits everyone: all but one are free at these times."""
    shown = ", ".join(f"{day_label(t)} {clock(t)}" for t in near.first)
    more = f" and {near.count - len(near.first)} more" if near.count > len(near.first) else ""
    text = (
        f"Everyone but <@{near.busy_user_id}> is free at {shown}{more}. "
        f"<@{near.busy_user_id}> is busy then."
    )
    return [
        section(text),
        actions(without_button(intent_id, [near.busy_user_id], names), block_id=Block.FIND_WITHOUT),
    ]


def invited_dm(booking: Booking, organiser_id: str) -> dict[str, Any]:
    """A participant's DM: the time in their own zone, Join, and Decline."""
    lead = f":calendar: <@{organiser_id}> booked a meeting with you"
    elements = booking_buttons(booking, manage=False)
    elements.append(
        button(
            "Decline",
            Action.FIND_DECLINE,
            value=f"{organiser_id}:{booking.uid}",
            confirm=confirm_dialog(
                "Decline this meeting?",
                f"{booking.title}. The organiser will be told.",
                "Decline",
                deny="Keep it",
            ),
        )
    )
    blocks = [
        section(f"{lead}: {summary_lines(booking)}"),
        actions(*elements, block_id=row_block_id(booking.uid)),
        context("Cal.com has emailed you the invitation too."),
    ]
    return message(f"{booking.title}, {slack_date(booking.start)}", blocks)


def you_declined(booking: Booking, organiser_id: str) -> dict[str, Any]:
    text = (
        f"You declined *{booking.title}*, {slack_date(booking.start)}. "
        f"<@{organiser_id}> has been told."
    )
    return message(f"You declined {booking.title}", [section(f":x: {text}")])


def they_declined(booking: Booking, user_id: str) -> dict[str, Any]:
    """The organiser's DM: who declined, and the booking's own buttons."""
    text = f":x: <@{user_id}> declined *{booking.title}*, {slack_date(booking.start)}."
    blocks = [section(text)]
    buttons = booking_buttons(booking)
    if buttons:
        blocks.append(actions(*buttons, block_id=row_block_id(booking.uid)))
    return message(f"Declined: {booking.title}", blocks)
