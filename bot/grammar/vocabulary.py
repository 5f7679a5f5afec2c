"""The words users may write, and the usage and examples shown back to them."""

from __future__ import annotations

from bot.grammar.commands import Invalid

TRIGGER_ALIASES = {
    "created": "created",
    "rescheduled": "rescheduled",
    "cancelled": "cancelled",
    "canceled": "cancelled",
    "requested": "requested",
}

BOOKING_STATUSES: tuple[str, ...] = ("upcoming", "past", "cancelled", "unconfirmed")
STATUS_ALIASES = {
    "upcoming": "upcoming",
    "future": "upcoming",
    "next": "upcoming",
    "past": "past",
    "previous": "past",
    "cancelled": "cancelled",
    "canceled": "cancelled",
    "unconfirmed": "unconfirmed",
    "pending": "unconfirmed",
}

USAGE: dict[str, str] = {
    "types": "`/cal types [@someone]`",
    "slots": "`/cal slots [@host] <type> [when]`, e.g. `/cal slots 30min tomorrow`",
    "book": (
        "`/cal book [@host] <type> [when] [with <email|@someone>]`, "
        "e.g. `/cal book @alice intro-call fri afternoon`"
    ),
    "bookings": "`/cal bookings [upcoming|past|cancelled|unconfirmed]`",
    "cancel": "`/cal cancel <booking-uid> [reason]` (`/cal bookings` has Cancel buttons)",
    "notify": (
        "`/cal notify #channel|me [<type>] [created,rescheduled,cancelled,requested]`, "
        "`/cal notify list` or `/cal notify off #channel|me`"
    ),
}

HELP_EXAMPLES: tuple[tuple[str, str], ...] = (
    ("/cal connect", "link your Cal.com account (once)"),
    ("/cal book 30min tomorrow with bob@example.com", "book a 30-minute meeting with a guest"),
    ("/cal book @alice intro-call fri afternoon", "book time with a teammate"),
    ("/cal book", "open the booking form"),
    ("/cal slots 30min next week", "see free slots of an event type"),
    ("/cal find 30min @alice next week", "times when you and teammates (or a @group) are all free"),
    ("/cal bookings past", "your bookings: upcoming (default), past, cancelled, unconfirmed"),
    ("/cal cancel <booking-uid> [reason]", "cancel a booking"),
    ("/cal types", "your event types, each with a Book button"),
    ("/cal me", "your profile, schedule, conferencing and calendars"),
    ("/cal schedule", "your working hours"),
    ("/cal notify #sales created,cancelled", "post booking updates to a channel (`me` for DMs)"),
    ("/cal notify list", "your notification subscriptions (`/cal notify off #sales` to stop)"),
    ("/cal status", "check your Cal.com link (`/cal disconnect` to unlink)"),
)


def invalid(problem: str, sub: str) -> Invalid:
    """What is wrong, followed by the subcommand's usage so the user can retry at once."""
    return Invalid(f"{problem} Usage: {USAGE[sub]}")
