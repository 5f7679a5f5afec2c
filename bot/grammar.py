"""`/cal` text -> a command value. Pure: no I/O, no clock, no Slack objects.

The manifest sets `should_escape: true`, so Slack sends mentions as `<@U123|name>` or
`<@U123>`, channels as `<#C123|name>`, emails as `<mailto:a@b.com|a@b.com>` and links as
`<https://...|label>`, and escapes `&`, `<`, `>` in plain text. Those entities carry ids the
services need, so they are read here; everything else stays text.

The grammar (DESIGN.md §3) is a contract. Listeners dispatch on the type of the value, and
the time phrase (`when_text`) stays raw: it is read later by `bot.when` in the user's zone.

Decisions where the text is ambiguous:

- `<type>` is the first token after an optional `@host`, except that a length spread over
  tokens ("30 min", "1 hour 30") is one type, a quoted title ("Intro Call") is one type, and
  a first token that plainly starts a time ("tomorrow", "fri", "next", "3pm", "12/5") means
  no type was given: `Book(type_query=None)` lets the service or the modal choose.
- `with <email|@user>` may stand anywhere after the subcommand (it is meant to be last);
  exactly one guest.
- The `@host` mention may stand anywhere outside the `with` clause; at most one.
- `/cal book` with nothing else, or only a host, opens the booking modal.
- Words after subcommands that take no arguments (`help`, `connect`, `me`, ...) are ignored.
- A leading mention, length or time without a subcommand ("/cal @alice 30min") is Unknown
  with the suggestion "book".
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = [
    "ALL_TRIGGERS",
    "BOOKING_STATUSES",
    "HELP_EXAMPLES",
    "SUBCOMMANDS",
    "USAGE",
    "Book",
    "Bookings",
    "Cancel",
    "Command",
    "Connect",
    "Disconnect",
    "Help",
    "Invalid",
    "Me",
    "NotifyList",
    "NotifyOff",
    "NotifySubscribe",
    "OpenModal",
    "Schedule",
    "Slots",
    "Status",
    "Types",
    "Unknown",
    "length_of",
    "parse",
]


# --- command values ------------------------------------------------------------------------

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
    | Unknown
    | Invalid
)


# --- vocabulary ----------------------------------------------------------------------------

_TRIGGER_ALIASES = {
    "created": "created",
    "rescheduled": "rescheduled",
    "cancelled": "cancelled",
    "canceled": "cancelled",
    "requested": "requested",
}

BOOKING_STATUSES: tuple[str, ...] = ("upcoming", "past", "cancelled", "unconfirmed")
_STATUS_ALIASES = {
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
    ("/cal bookings past", "your bookings: upcoming (default), past, cancelled, unconfirmed"),
    ("/cal cancel <booking-uid> [reason]", "cancel a booking"),
    ("/cal types", "your event types, each with a Book button"),
    ("/cal me", "your profile, schedule, conferencing and calendars"),
    ("/cal schedule", "your working hours"),
    ("/cal notify #sales created,cancelled", "post booking updates to a channel (`me` for DMs)"),
    ("/cal notify list", "your notification subscriptions (`/cal notify off #sales` to stop)"),
    ("/cal status", "check your Cal.com link (`/cal disconnect` to unlink)"),
)

_LENGTH = re.compile(
    r"^(?:(?P<hours>\d+(?:\.\d+)?)\s*(?:h|hr|hrs|hour|hours))?"
    r"\s*(?:(?P<minutes>\d+)\s*(?:m|min|mins|minute|minutes)?)?$"
)
_TOKEN = re.compile(r"<[^<>]*>|[\"“][^\"“”]*[\"”]|\S+")
_USER = re.compile(r"^<@([A-Z0-9]+)(?:\|[^>]*)?>$")
_CHANNEL = re.compile(r"^<#([A-Z0-9]+)(?:\|[^>]*)?>$")
_MAILTO = re.compile(r"^<mailto:([^|>]+)(?:\|[^>]*)?>$")
_LINK = re.compile(r"^<((?:https?://)[^|>]+)(?:\|[^>]*)?>$")
_EMAIL = re.compile(r"^[^@\s<>|]+@[^@\s<>|]+\.[^@\s<>|]+$")
_BOOKING_UID = re.compile(r"^[A-Za-z0-9_-]{4,128}$")
_BOOKING_IN_URL = re.compile(r"/booking/([A-Za-z0-9_-]{4,128})")
_ENTITY = re.compile(r"<([^<>]*)>")

# First words that start a time phrase rather than name an event type.
_WHEN_WORDS = frozenset(
    """
    today tonight tomorrow tmrw tmr tomorow tommorow tommorrow yesterday overmorrow
    this next coming in on at the day week weekend month morning afternoon evening night
    noon midday asap soon anytime whenever within from between
    mon monday tue tues tuesday wed weds wednesday thu thur thurs thursday
    fri friday sat saturday sun sunday
    jan january feb february mar march apr april may jun june jul july aug august
    sep sept september oct october nov november dec december
    """.split()  # noqa: SIM905 - a word list reads better as words
)
_WHEN_TOKEN = re.compile(
    r"^(?:\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)"  # 3pm, 9:30am
    r"|\d{1,2}:\d{2}"  # 14:30
    r"|\d{1,2}/\d{1,2}(?:/\d{2,4})?"  # 12/5, 12/5/2026
    r"|\d{4}-\d{1,2}-\d{1,2}"  # 2026-12-05
    r"|\d{1,2}(?:st|nd|rd|th))$"  # 5th
)


# --- entry point ---------------------------------------------------------------------------


def parse(text: str) -> Command:
    """Read the text Slack sent after `/cal` into one command value. Never raises."""
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        return OpenModal()
    head, args = tokens[0], tokens[1:]
    word = head.lower()
    handler = _HANDLERS.get(_ALIASES.get(word, word))
    if handler is None:
        return _unknown(head)
    return handler(args)


def length_of(type_query: str | None) -> int | None:
    """Minutes named by a length-like type ("30", "30m", "30 min", "1h", "1.5 hours", "1h30").

    Event types are matched by slug, then title, then this length, so "/cal book 30 ..."
    works without knowing the slug. None when the text is not a length.
    """
    if not type_query:
        return None
    m = _LENGTH.match(type_query.strip().lower())
    if m is None or not (m.group("hours") or m.group("minutes")):
        return None
    total = float(m.group("hours") or 0) * 60 + int(m.group("minutes") or 0)
    if total <= 0 or total != int(total):
        return None
    return int(total)


# --- subcommands ---------------------------------------------------------------------------


def _no_args(command: Command) -> Callable[[Sequence[str]], Command]:
    return lambda _args: command


def _types(args: Sequence[str]) -> Command:
    if not args or (len(args) == 1 and args[0].lower() == "me"):
        return Types()
    user_id = _user_id(args[0])
    if len(args) == 1 and user_id:
        return Types(user_id)
    return _invalid("`/cal types` takes one @mention at most.", "types")


def _slots(args: Sequence[str]) -> Command:
    parts = _meeting_parts(args, "slots")
    if isinstance(parts, Invalid):
        return parts
    host_id, type_query, when_text, guest_email, guest_user_id = parts
    if guest_email or guest_user_id:
        return _invalid("`with` is for `/cal book`; slots are the same for everyone.", "slots")
    if type_query is None:
        return _invalid(
            "Which event type? Name one (`/cal types` lists them).",
            "slots",
        )
    return Slots(host_id, type_query, when_text)


def _book(args: Sequence[str]) -> Command:
    parts = _meeting_parts(args, "book")
    if isinstance(parts, Invalid):
        return parts
    host_id, type_query, when_text, guest_email, guest_user_id = parts
    if type_query is None and not when_text and not guest_email and not guest_user_id:
        return OpenModal(host_id)
    return Book(host_id, type_query, when_text, guest_email, guest_user_id)


def _bookings(args: Sequence[str]) -> Command:
    if not args:
        return Bookings()
    status = _STATUS_ALIASES.get(args[0].lower())
    if status is None or len(args) > 1:
        return _invalid(
            f"I don't know the bookings list “{_readable(' '.join(args))}”.", "bookings"
        )
    return Bookings(status)


def _cancel(args: Sequence[str]) -> Command:
    if not args:
        return _invalid("Which booking? `/cal cancel` needs its id.", "cancel")
    uid = _booking_uid(args[0])
    if uid is None:
        return _invalid(f"“{_readable(args[0])}” doesn't look like a booking id.", "cancel")
    reason = _readable(" ".join(args[1:])).strip()
    return Cancel(uid, reason or None)


def _notify(args: Sequence[str]) -> Command:
    if not args:
        return _invalid("Where should notifications go? Name a #channel or `me`.", "notify")
    first = args[0].lower()
    if first == "list":
        return NotifyList()
    if first == "off":
        if len(args) != 2:
            return _invalid("Turn off which? Name one #channel or `me`.", "notify")
        target = _notify_target(args[1])
        return target if isinstance(target, Invalid) else NotifyOff(target)
    target = _notify_target(args[0])
    if isinstance(target, Invalid):
        return target
    found = _type_and_triggers(args[1:])
    if isinstance(found, Invalid):
        return found
    type_query, triggers = found
    return NotifySubscribe(target, type_query, triggers)


_HANDLERS: dict[str, Callable[[Sequence[str]], Command]] = {
    "help": _no_args(Help()),
    "connect": _no_args(Connect()),
    "disconnect": _no_args(Disconnect()),
    "status": _no_args(Status()),
    "me": _no_args(Me()),
    "types": _types,
    "slots": _slots,
    "book": _book,
    "bookings": _bookings,
    "cancel": _cancel,
    "notify": _notify,
    "schedule": _no_args(Schedule()),
}
SUBCOMMANDS: tuple[str, ...] = tuple(_HANDLERS)
_ALIASES = {"?": "help", "-h": "help", "--help": "help"}


# --- pieces --------------------------------------------------------------------------------

_MeetingParts = tuple[str | None, str | None, str, str | None, str | None]


def _meeting_parts(args: Sequence[str], sub: str) -> _MeetingParts | Invalid:
    """Split `[@host] <type> [when] [with <guest>]` into its five parts."""
    rest = list(args)
    guest_email: str | None = None
    guest_user_id: str | None = None
    withs = [i for i, tok in enumerate(rest) if tok.lower() == "with"]
    if len(withs) > 1:
        return _invalid("One guest at a time, after one `with`.", sub)
    if withs:
        i = withs[0]
        if i + 1 >= len(rest):
            return _invalid("`with` needs an email or an @mention after it.", sub)
        guest = rest[i + 1]
        guest_user_id = _user_id(guest)
        guest_email = None if guest_user_id else _email(guest)
        if not guest_user_id and not guest_email:
            return _invalid(
                f"“{_readable(guest)}” after `with` is neither an email nor an @mention.", sub
            )
        del rest[i : i + 2]
    host_id: str | None = None
    kept: list[str] = []
    for tok in rest:
        if user_id := _user_id(tok):
            if host_id is not None:
                return _invalid("One host at a time; add a guest with `with`.", sub)
            host_id = user_id
        elif problem := _stray_entity(tok, sub):
            return problem
        else:
            kept.append(tok)
    type_query, when_tokens = _split_type(kept)
    return host_id, type_query, _readable(" ".join(when_tokens)), guest_email, guest_user_id


def _split_type(tokens: Sequence[str]) -> tuple[str | None, list[str]]:
    """The event type and the time phrase after it (see the module docstring)."""
    if not tokens:
        return None, []
    first = tokens[0]
    if first[0] in '"“':
        return _readable(first.strip('"“”')).strip() or None, list(tokens[1:])
    for n in range(min(4, len(tokens)), 1, -1):
        candidate = " ".join(tokens[:n])
        if length_of(candidate) is not None:
            return candidate, list(tokens[n:])
    if _looks_like_when(first):
        return None, list(tokens)
    return _readable(first), list(tokens[1:])


def _looks_like_when(token: str) -> bool:
    word = token.lower().rstrip(",.")
    return word in _WHEN_WORDS or bool(_WHEN_TOKEN.match(word))


def _stray_entity(tok: str, sub: str) -> Invalid | None:
    """An email, channel, group mention or unresolved @name where none belongs."""
    if _email(tok):
        return _invalid(f"To book with {_readable(tok)}, write `with {_readable(tok)}`.", sub)
    if _CHANNEL.match(tok) or tok.startswith("<!"):
        return _invalid("Mention one person, not a channel or a group.", sub)
    if tok.startswith("@") and len(tok) > 1:
        return _unresolved_mention(tok, sub)
    return None


def _unresolved_mention(tok: str, sub: str) -> Invalid:
    return _invalid(
        f"I can't tell who “{tok}” is: pick them from Slack's @ suggestions so I get their id.",
        sub,
    )


def _notify_target(tok: str) -> str | Invalid | None:
    """A channel id, None for `me` (a DM), or why the target is wrong."""
    if channel := _CHANNEL.match(tok):
        return channel.group(1)
    if tok.lower() in ("me", "dm", "myself"):
        return None
    if tok.startswith("#") and len(tok) > 1:
        return _invalid(
            f"I can't tell which channel “{tok}” is: pick it from Slack's # suggestions.",
            "notify",
        )
    if _user_id(tok):
        return _invalid(
            "Notifications go to a channel or to you: use `#channel` or `me`.", "notify"
        )
    return _invalid(f"“{_readable(tok)}” isn't a channel. Use `#channel` or `me`.", "notify")


def _type_and_triggers(tokens: Sequence[str]) -> tuple[str | None, tuple[str, ...]] | Invalid:
    """After the target: an optional event type, then optional trigger names.

    Triggers are the trailing tokens that are trigger names or comma lists; the rest is the
    type (several words allowed: nothing else follows). A near-miss of a trigger name is
    taken for a typo rather than an event type.
    """
    split = len(tokens)
    while split > 0 and _is_trigger_token(tokens[split - 1]):
        split -= 1
    type_tokens, trigger_tokens = tokens[:split], tokens[split:]
    for tok in type_tokens:
        near = difflib.get_close_matches(tok.lower(), _TRIGGER_ALIASES, n=1, cutoff=0.9)
        if near:
            return _invalid(f"Did you mean `{_TRIGGER_ALIASES[near[0]]}`?", "notify")
    chosen: set[str] = set()
    for tok in trigger_tokens:
        for name in filter(None, tok.lower().split(",")):
            if name == "all":
                chosen.update(ALL_TRIGGERS)
            elif name in _TRIGGER_ALIASES:
                chosen.add(_TRIGGER_ALIASES[name])
            else:
                near = difflib.get_close_matches(name, _TRIGGER_ALIASES, n=1, cutoff=0.6)
                hint = f" Did you mean `{_TRIGGER_ALIASES[near[0]]}`?" if near else ""
                return _invalid(f"“{name}” isn't a kind of booking update.{hint}", "notify")
    triggers = tuple(t for t in ALL_TRIGGERS if t in chosen) or ALL_TRIGGERS
    type_text = " ".join(tok.strip('"“”') for tok in type_tokens)
    return _readable(type_text).strip() or None, triggers


def _is_trigger_token(tok: str) -> bool:
    low = tok.lower()
    return "," in low or low == "all" or low in _TRIGGER_ALIASES


def _user_id(tok: str) -> str | None:
    m = _USER.match(tok)
    return m.group(1) if m else None


def _email(tok: str) -> str | None:
    if m := _MAILTO.match(tok):
        return m.group(1).strip()
    candidate = tok.rstrip(".,;")
    return candidate if _EMAIL.match(candidate) else None


def _booking_uid(tok: str) -> str | None:
    """A booking uid as typed, or taken from a pasted booking link (…/booking/<uid>)."""
    link = _LINK.match(tok)
    url = link.group(1) if link else tok
    if "/booking/" in url:
        m = _BOOKING_IN_URL.search(url)
        return m.group(1) if m else None
    return tok if _BOOKING_UID.match(tok) else None


def _readable(text: str) -> str:
    """Slack's escaped text as a person would read it: `<@U1|bob>` -> @bob, `&amp;` -> &."""

    def one(m: re.Match[str]) -> str:
        inner = m.group(1)
        target, _, label = inner.partition("|")
        if target.startswith("@"):
            return f"@{label or target[1:]}"
        if target.startswith("#"):
            return f"#{label or target[1:]}"
        if target.startswith("mailto:"):
            return label or target.removeprefix("mailto:")
        if target.startswith("!"):
            return f"@{label.lstrip('@') or target[1:]}"
        return label or target

    return html.unescape(_ENTITY.sub(one, text))


def _unknown(head: str) -> Unknown:
    """An unknown first word, with the nearest subcommand (or "book" for a meeting phrase)."""
    word = head.lower()
    if _user_id(head) or length_of(word) is not None or _looks_like_when(word):
        suggestion: str | None = "book"
    else:
        near = difflib.get_close_matches(word, SUBCOMMANDS, n=1, cutoff=0.6)
        suggestion = near[0] if near else None
    return Unknown(_readable(head), suggestion)


def _invalid(problem: str, sub: str) -> Invalid:
    return Invalid(f"{problem} Usage: {USAGE[sub]}")
