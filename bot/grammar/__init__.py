"""`/cal` text -> a command value. Pure: no I/O, no clock, no Slack objects.

The manifest sets `should_escape: true`, so Slack sends mentions as `<@U123|name>` or
`<@U123>`, channels as `<#C123|name>`, emails as `<mailto:a@b.com|a@b.com>` and links as
`<https://...|label>`, and escapes `&`, `<`, `>` in plain text. Those entities carry ids the
services need, so they are read here; everything else stays text.

The grammar (README, "What it does") is a contract. Listeners dispatch on the type of the value, and
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

Layout: this module is the entry point (`parse`); `commands` holds the values, `subcommands`
one reader per subcommand, `arguments` the shared argument parsing (host, type, time
phrase, guest, notification target and triggers), `tokens` Slack's escaped entities and
lengths, `vocabulary` the accepted words, usage lines and help examples.
"""

from __future__ import annotations

import difflib

from bot.grammar.arguments import looks_like_when
from bot.grammar.commands import (
    ALL_TRIGGERS,
    Agenda,
    AgendaDaily,
    Book,
    Bookings,
    Cancel,
    Command,
    Connect,
    Disconnect,
    Find,
    Help,
    Invalid,
    Me,
    NotifyList,
    NotifyOff,
    NotifySubscribe,
    OpenModal,
    Remind,
    Schedule,
    Slots,
    Status,
    Types,
    Unknown,
)
from bot.grammar.subcommands import ALIASES, HANDLERS, SUBCOMMANDS
from bot.grammar.tokens import TOKEN, length_of, mention_id, readable
from bot.grammar.vocabulary import BOOKING_STATUSES, HELP_EXAMPLES, USAGE

__all__ = [
    "ALL_TRIGGERS",
    "BOOKING_STATUSES",
    "HELP_EXAMPLES",
    "SUBCOMMANDS",
    "USAGE",
    "Agenda",
    "AgendaDaily",
    "Book",
    "Bookings",
    "Cancel",
    "Command",
    "Connect",
    "Disconnect",
    "Find",
    "Help",
    "Invalid",
    "Me",
    "NotifyList",
    "NotifyOff",
    "NotifySubscribe",
    "OpenModal",
    "Remind",
    "Schedule",
    "Slots",
    "Status",
    "Types",
    "Unknown",
    "length_of",
    "parse",
]


def parse(text: str) -> Command:
    """Read the text Slack sent after `/cal` into one command value. Never raises."""
    tokens = TOKEN.findall(text or "")
    if not tokens:
        return OpenModal()
    head, args = tokens[0], tokens[1:]
    word = head.lower()
    handler = HANDLERS.get(ALIASES.get(word, word))
    if handler is None:
        return _unknown(head)
    return handler(args)


def _unknown(head: str) -> Unknown:
    """An unknown first word, with the nearest subcommand (or "book" for a meeting phrase)."""
    word = head.lower()
    if mention_id(head) or length_of(word) is not None or looks_like_when(word):
        suggestion: str | None = "book"
    else:
        near = difflib.get_close_matches(word, SUBCOMMANDS, n=1, cutoff=0.6)
        suggestion = near[0] if near else None
    shown = readable(head)
    return Unknown(shown if len(shown) <= 40 else f"{shown[:30]}…", suggestion)
