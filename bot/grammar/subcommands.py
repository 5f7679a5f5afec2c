"""One reader per subcommand, from its argument tokens to a command value."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.grammar.arguments import meeting_parts, notify_target, type_and_triggers
from bot.grammar.commands import (
    Book,
    Bookings,
    Cancel,
    Command,
    Connect,
    Disconnect,
    Help,
    Invalid,
    Me,
    NotifyList,
    NotifyOff,
    NotifySubscribe,
    OpenModal,
    Schedule,
    Slots,
    Status,
    Types,
)
from bot.grammar.find import read_find
from bot.grammar.tokens import booking_uid_of, mention_id, readable
from bot.grammar.vocabulary import STATUS_ALIASES, invalid


def _no_args(command: Command) -> Callable[[Sequence[str]], Command]:
    return lambda _args: command


def _types(args: Sequence[str]) -> Command:
    if not args or (len(args) == 1 and args[0].lower() == "me"):
        return Types()
    user_id = mention_id(args[0])
    if len(args) == 1 and user_id:
        return Types(user_id)
    return invalid("`/cal types` takes one @mention at most.", "types")


def _slots(args: Sequence[str]) -> Command:
    parts = meeting_parts(args, "slots")
    if isinstance(parts, Invalid):
        return parts
    host_id, type_query, when_text, guest_email, guest_user_id = parts
    if guest_email or guest_user_id:
        return invalid("`with` is for `/cal book`; slots are the same for everyone.", "slots")
    if type_query is None:
        return invalid(
            "Which event type? Name one (`/cal types` lists them).",
            "slots",
        )
    return Slots(host_id, type_query, when_text)


def _book(args: Sequence[str]) -> Command:
    parts = meeting_parts(args, "book")
    if isinstance(parts, Invalid):
        return parts
    host_id, type_query, when_text, guest_email, guest_user_id = parts
    if type_query is None and not when_text and not guest_email and not guest_user_id:
        return OpenModal(host_id)
    return Book(host_id, type_query, when_text, guest_email, guest_user_id)


def _bookings(args: Sequence[str]) -> Command:
    if not args:
        return Bookings()
    status = STATUS_ALIASES.get(args[0].lower())
    if status is None or len(args) > 1:
        return invalid(f"I don't know the bookings list “{readable(' '.join(args))}”.", "bookings")
    return Bookings(status)


def _cancel(args: Sequence[str]) -> Command:
    if not args:
        return invalid("Which booking? `/cal cancel` needs its id.", "cancel")
    uid = booking_uid_of(args[0])
    if uid is None:
        return invalid(f"“{readable(args[0])}” doesn't look like a booking id.", "cancel")
    reason = readable(" ".join(args[1:])).strip()
    return Cancel(uid, reason or None)


def _notify(args: Sequence[str]) -> Command:
    if not args:
        return invalid("Where should notifications go? Name a #channel or `me`.", "notify")
    first = args[0].lower()
    if first == "list":
        return NotifyList()
    if first == "off":
        if len(args) != 2:
            return invalid("Turn off which? Name one #channel or `me`.", "notify")
        target = notify_target(args[1])
        return target if isinstance(target, Invalid) else NotifyOff(target)
    target = notify_target(args[0])
    if isinstance(target, Invalid):
        return target
    found = type_and_triggers(args[1:])
    if isinstance(found, Invalid):
        return found
    type_query, triggers = found
    return NotifySubscribe(target, type_query, triggers)


HANDLERS: dict[str, Callable[[Sequence[str]], Command]] = {
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
    "find": read_find,
}
SUBCOMMANDS: tuple[str, ...] = tuple(HANDLERS)
ALIASES = {"?": "help", "-h": "help", "--help": "help"}
