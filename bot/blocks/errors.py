"""What each error says to the user, and how an error looks: the one place error types
become words. What happened and what to do, never a stack trace.

Gateway errors (bot/calcom/errors.py) and service errors (bot/services/errors.py) carry
facts only; `error_text` words them, `error_reply` adds the one obvious next step as a
button. An error this module does not know is unexpected: None, and the caller logs it
with a reference the user can quote.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.blocks.find import people_missing
from bot.blocks.kit import actions, button, message, section
from bot.calcom import errors as gateway
from bot.ids import FRESH, Action, Block
from bot.services import errors as service

_FIXED: dict[type[BaseException], str] = {
    # the gateway
    gateway.NotConnected: (
        "Your Cal.com account isn't connected. Run `/cal connect` to link it (it takes a minute)."
    ),
    gateway.ConnectionExpired: (
        "Your Cal.com connection has expired. Run `/cal connect` to reconnect your account, "
        "then try again."
    ),
    gateway.BadApiKey: (
        "The bot can't reach Cal.com right now: its Maton API key was refused. "
        "Please tell your workspace admin (they can run `calbot doctor`)."
    ),
    gateway.Forbidden: "Cal.com says your account isn't allowed to do that.",
    gateway.NotFound: (
        "Cal.com couldn't find that. It may have been deleted or cancelled; check the id and "
        "try again."
    ),
    gateway.CalcomError: "Something went wrong talking to Cal.com. Please try again.",
    # the services
    service.NotLinked: (
        "You haven't connected your Cal.com account yet. "
        "Run `/cal connect` (it takes a minute, once)."
    ),
    service.LinkPending: (
        "You haven't finished connecting Cal.com yet: open the link from `/cal connect`, "
        "approve access, then try again."
    ),
    service.SlotTaken: "That time was just taken. Here are the times still free that day.",
    service.IntentExpired: (
        "Those buttons have expired (or belong to someone else). Run the command again."
    ),
    service.NoEmail: "Your Slack profile has no email address, which Cal.com needs for a booking.",
    service.NoPublicUrl: (
        "Booking notifications need this server's public address, and none is set. "
        "Ask whoever runs calbot to set `PUBLIC_URL` (for example `https://calbot.example.com`) "
        "and restart it; Cal.com sends booking events there."
    ),
    service.NoSuchSubscription: "That notification is already off.",
    service.DuplicateSlug: "You already have an event type with that slug: choose another.",
    service.NotYourView: "That window isn't yours: someone else opened it.",
    service.NotAParticipant: "That meeting isn't one you're invited to, so you can't decline it.",
    service.RequestGone: (
        "That booking request isn't something I can act on any more "
        "(its notifications were turned off, or it was already handled)."
    ),
}


def _conflict(error: Any) -> str:
    if error.message and error.message != "Conflict":
        return f"Cal.com reports a conflict: {error.message}"
    return "That conflicts with something that already exists in Cal.com."


def _invalid(error: Any) -> str:
    if error.message and error.message != "Invalid":
        return f"Cal.com rejected that: {error.message}"
    return "Cal.com rejected that request."


def _rate_limited(error: Any) -> str:
    seconds = max(1, round(error.retry_after))
    unit = "second" if seconds == 1 else "seconds"
    return f"Cal.com is busy right now. Please try again in {seconds} {unit}."


def _upstream(error: Any) -> str:
    if error.maybe_applied:
        return (
            "Cal.com didn't answer in time, so that may or may not have gone through. "
            "Please check (for bookings, `/cal bookings`) before trying again."
        )
    return "Cal.com didn't answer properly just now. Please try again in a minute."


def _out_of_time(error: Any) -> str:
    if error.maybe_applied:
        return _upstream(error)
    return (
        "Cal.com is taking too long to answer, so I stopped waiting; nothing was changed. "
        "Please try again in a minute."
    )


def _no_such_type(error: Any) -> str:
    names = ", ".join(f"`{t.slug}`" for t in error.choices[:10]) or "none yet"
    return f"No event type matches “{error.query}”. There are: {names}."


def _cannot_post(error: Any) -> str:
    channel = error.channel_id
    return (
        f"I can't post in <#{channel}>. If it's a private channel, invite me first: "
        f"type `/invite @calbot` in it, then run `/cal notify <#{channel}>` again."
    )


def _not_yours(error: Any) -> str:
    if error.linked:
        return (
            "That booking isn't yours: only its host can cancel, move, confirm or decline it "
            "here. If you're an attendee, use the links in Cal.com's email."
        )
    return (
        "That booking isn't yours, as far as I can tell: you haven't connected Cal.com "
        "(`/cal connect`). If you're an attendee, use the links in Cal.com's email."
    )


_WORDED: dict[type[BaseException], Callable[[Any], str]] = {
    gateway.Conflict: _conflict,
    gateway.Invalid: _invalid,
    gateway.RateLimited: _rate_limited,
    gateway.UpstreamFailure: _upstream,
    gateway.OutOfTime: _out_of_time,
    service.NoSuchEventType: _no_such_type,
    service.AmbiguousEventType: lambda e: (
        f"“{e.query}” matches {len(e.candidates)} event types: which one?"
    ),
    service.TeammateNotLinked: lambda e: f"<@{e.user_id}> hasn't connected Cal.com yet.",
    service.GuestHasNoEmail: lambda e: f"<@{e.user_id}> has no email in their Slack profile.",
    service.CannotPostThere: _cannot_post,
    service.ChannelArchived: lambda e: (
        f"<#{e.channel_id}> is archived, so nobody would see notifications there."
    ),
    service.NotTheHost: lambda e: (
        f"That booking isn't yours. Only <@{e.host_user_id}>, the host, can confirm or "
        "decline this booking."
    ),
    service.NotYours: _not_yours,
    service.TooManyPeople: lambda e: f"Up to {e.limit} people at a time, besides you.",
    service.PeopleMissing: lambda e: people_missing(e)["text"],
}


def error_text(error: BaseException) -> str | None:
    """The user's words for `error`; None when it is unexpected (a bug, or an outage
    calbot has no words for), which the caller logs with a reference."""
    for kind in type(error).__mro__:
        if kind in _WORDED:
            return _WORDED[kind](error)
        if kind in _FIXED:
            return _FIXED[kind]
    if isinstance(error, service.ServiceError):
        return error.detail or "That didn't work."
    return None


def error_reply(error: BaseException) -> dict[str, Any] | None:
    """The message for a known error, with its one obvious next step as a button."""
    text = error_text(error)
    if text is None:
        return None
    if isinstance(error, gateway.ConnectionExpired | gateway.NotConnected):
        return error_message(text, reconnect=True)
    if isinstance(error, service.PeopleMissing):
        return people_missing(error)
    if isinstance(error, service.TeammateNotLinked):
        return error_message(text, invite=error.user_id)
    return error_message(text, connect=isinstance(error, service.NotLinked))


def error_message(
    text: str, *, connect: bool = False, reconnect: bool = False, invite: str | None = None
) -> dict[str, Any]:
    """The message for a failure; with a button when there is one obvious next step."""
    blocks = [section(f":warning: {text}")]
    if invite:
        blocks.append(
            actions(
                button("Invite them", Action.INVITE_TEAMMATE, value=invite, style="primary"),
                block_id=Block.ERROR_ACTIONS,
            )
        )
    elif reconnect:
        blocks.append(
            actions(
                button("Reconnect Cal.com", Action.CONNECT_START, value=FRESH, style="primary"),
                block_id=Block.ERROR_ACTIONS,
            )
        )
    elif connect:
        blocks.append(
            actions(
                button("Connect Cal.com", Action.CONNECT_START, style="primary"),
                block_id=Block.ERROR_ACTIONS,
            )
        )
    return message(text, blocks)
