"""The command values `parse` returns; listeners dispatch on their type."""

from __future__ import annotations

from dataclasses import dataclass

# Cal.com's BOOKING_CREATED, _RESCHEDULED, _CANCELLED and _REQUESTED, as users write them.
ALL_TRIGGERS: tuple[str, ...] = ("created", "rescheduled", "cancelled", "requested")


@dataclass(frozen=True)
class OpenModal:
    """`/cal` or `/cal book [@host]`: open the booking modal (host preselected if given)."""

    host_id: str | None = None


@dataclass(frozen=True)
class Help:
    """`/cal help`."""


@dataclass(frozen=True)
class Connect:
    """`/cal connect`: link the caller's Cal.com account."""


@dataclass(frozen=True)
class Disconnect:
    """`/cal disconnect`."""


@dataclass(frozen=True)
class Status:
    """`/cal status`: is the caller linked, and does the link work."""


@dataclass(frozen=True)
class Me:
    """`/cal me`: profile, default schedule, conferencing, calendars."""


@dataclass(frozen=True)
class Schedule:
    """`/cal schedule`: the caller's working hours."""


@dataclass(frozen=True)
class Types:
    """`/cal types [@user]`: event types of the caller, or of a teammate."""

    user_id: str | None = None


@dataclass(frozen=True)
class Slots:
    """`/cal slots [@host] <type> [when]`; `when_text` is raw, "" for the default range."""

    host_id: str | None
    type_query: str
    when_text: str = ""


@dataclass(frozen=True)
class Book:
    """`/cal book [@host] <type> [when] [with <email|@user>]`.

    `type_query` is None when the text starts with a time ("book tomorrow 3pm"): the service
    picks the only event type or asks. `when_text` is raw, "" when none was given.
    """

    host_id: str | None
    type_query: str | None
    when_text: str = ""
    guest_email: str | None = None
    guest_user_id: str | None = None


@dataclass(frozen=True)
class Bookings:
    """`/cal bookings [upcoming|past|cancelled|unconfirmed]`."""

    status: str = "upcoming"


@dataclass(frozen=True)
class Cancel:
    """`/cal cancel <booking-uid> [reason]`."""

    uid: str
    reason: str | None = None


@dataclass(frozen=True)
class NotifySubscribe:
    """`/cal notify #channel|me [<type>] [triggers]`; `channel_id` None means a DM."""

    channel_id: str | None
    type_query: str | None = None
    triggers: tuple[str, ...] = ALL_TRIGGERS


@dataclass(frozen=True)
class NotifyList:
    """`/cal notify list`."""


@dataclass(frozen=True)
class NotifyOff:
    """`/cal notify off #channel|me`; `channel_id` None means the DM subscription."""

    channel_id: str | None


@dataclass(frozen=True)
class Unknown:
    """A first word that is no subcommand; `suggestion` is the closest subcommand, if any."""

    word: str
    suggestion: str | None


@dataclass(frozen=True)
class Find:
    """`/cal find <type or length> @a @b [@group] [when]`: common free times of everyone
    named (user ids as mentioned, Slack user group ids to expand), and the caller."""

    type_query: str
    user_ids: tuple[str, ...]
    group_ids: tuple[str, ...] = ()
    when_text: str = ""


@dataclass(frozen=True)
class Invalid:
    """A known subcommand used wrongly; `message` is user-facing and shows the usage."""

    message: str


Command = (
    OpenModal
    | Help
    | Connect
    | Disconnect
    | Status
    | Me
    | Schedule
    | Types
    | Slots
    | Book
    | Bookings
    | Cancel
    | NotifySubscribe
    | NotifyList
    | NotifyOff
    | Find
    | Unknown
    | Invalid
)
