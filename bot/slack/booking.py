"""Booking from a command: `/cal types`, `/cal slots`, `/cal book` and the picker's buttons.

Flow: resolve the host and event type, read the phrase in the caller's zone, fetch free
times (one gateway call; the event types come from a 5-minute cache), then show a picker
or a one-click offer. Every button carries an intent id; the intent says the rest.
"""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt.async_app import AsyncApp

from bot import grammar
from bot.blocks import event_types as type_blocks
from bot.blocks.account import invitation, invited
from bot.calcom.models import Attendee
from bot.ids import Action
from bot.runtime import Runtime
from bot.services import booking, event_types, intents
from bot.services.errors import AmbiguousEventType, NoSuchEventType, ServiceError
from bot.services.intents import Intent
from bot.services.paging import Cursor
from bot.slack import guest, picker
from bot.slack.context import Handler, Turn, action, action_value, handoff
from bot.slack.people import person

WEEK = timedelta(days=7)


class NoEmail(ServiceError):
    user_message = "Your Slack profile has no email address, which Cal.com needs for a booking."


# --- commands ---------------------------------------------------------------------------


async def show_types(turn: Turn, command: grammar.Types) -> None:
    caller = turn.caller
    host = await booking.host_link(turn.rt, caller.team_id, caller.user_id, command.user_id)
    types = await event_types.event_types_of(turn.rt, host)
    owner = None if host.user_id == caller.user_id else (host.name or f"<@{host.user_id}>")
    await turn.reply(
        type_blocks.type_list(
            types, owner_name=owner, username=host.username, host_user_id=host.user_id
        )
    )


async def show_slots(turn: Turn, command: grammar.Slots) -> None:
    await start(turn, command.host_id, command.type_query, command.when_text, one_click=False)


async def book(turn: Turn, command: grammar.Book) -> None:
    guest_name = guest_email = None
    if command.guest_user_id:
        invited = await person(turn.rt, turn.client, turn.caller.team_id, command.guest_user_id)
        guest_name, guest_email = invited.name, invited.email
        if not guest_email:
            raise ServiceError(f"<@{command.guest_user_id}> has no email in their Slack profile.")
    elif command.guest_email:
        guest_name, guest_email = command.guest_email.split("@")[0], command.guest_email
    await start(
        turn,
        command.host_id,
        command.type_query,
        command.when_text,
        guest_name=guest_name,
        guest_email=guest_email,
    )


async def start(
    turn: Turn,
    host_id: str | None,
    type_query: str | None,
    when_text: str,
    *,
    one_click: bool = True,
    guest_name: str | None = None,
    guest_email: str | None = None,
) -> None:
    """Resolve host, zone and type (concurrently where they don't depend), then offer times."""
    rt, caller = turn.rt, turn.caller
    host, me = await asyncio.gather(
        booking.host_link(rt, caller.team_id, caller.user_id, host_id),
        person(rt, turn.client, caller.team_id, caller.user_id),
    )
    # a typo in the phrase fails before any gateway call
    when = picker.read_when(when_text, rt, me.tz)
    fields = dict(
        team_id=caller.team_id,
        user_id=caller.user_id,
        host_user_id=host.user_id,
        tz=me.tz,
        when_text=when_text,
        guest_name=guest_name,
        guest_email=guest_email,
    )
    try:
        event_type = await event_types.resolve(
            rt, host, type_query, public_only=host.user_id != caller.user_id
        )
    except AmbiguousEventType as error:
        intent = intents.create(rt, event_type_id=0, **fields)
        await turn.reply(type_blocks.choose_type(intent.id, error.query, error.candidates))
        return
    except NoSuchEventType as error:
        await turn.reply(type_blocks.no_such_type(error.query, error.choices))
        return
    intent = intents.create(rt, event_type_id=event_type.id, **fields)
    await picker.offer(turn, intent, host, event_type, when, one_click=one_click)


# --- buttons ------------------------------------------------------------------------------


async def on_page(turn: Turn, body: dict[str, Any]) -> None:
    """Earlier / Later / "Show Fri 27 Nov": the page the button's cursor leads to."""
    intent_id, _, cursor_text = action_value(body).rpartition(":")
    intent = intents.load(turn.rt, intent_id, turn.caller.team_id, turn.caller.user_id)
    cursor = Cursor.decode(cursor_text, intent.tz)
    if cursor is None:
        raise ServiceError("That button is out of date: ask for times again.")
    host, event_type = await picker.resolve_intent(turn, intent)
    earlier = action(body)["action_id"].endswith("earlier")
    found = await booking.turn_page(turn.rt, host, event_type, intent.tz, cursor, earlier=earlier)
    await picker.show(turn, intent, host, event_type, found, replace=True)


async def on_choose_type(turn: Turn, body: dict[str, Any]) -> None:
    intent_id, type_id = action_value(body).rsplit(":", 1)
    intent = intents.load(turn.rt, intent_id, turn.caller.team_id, turn.caller.user_id)
    host = await booking.host_link(turn.rt, intent.team_id, intent.user_id, intent.host_user_id)
    event_type = await event_types.by_id(turn.rt, host, int(type_id), public_only=intent.teammate)
    chosen = _with_type(turn.rt, intent, event_type.id)
    when = picker.read_when(intent.when_text, turn.rt, intent.tz)
    await picker.offer(turn, chosen, host, event_type, when, replace=True)


def _with_type(rt: Runtime, intent: Intent, event_type_id: int) -> Intent:
    fields = {k: v for k, v in intent.__dict__.items() if k != "id"}
    fields["event_type_id"] = event_type_id
    return intents.create(rt, **fields)


async def on_book_type(turn: Turn, body: dict[str, Any]) -> None:
    """ "Book" on `/cal types`: the next 7 days of that event type."""
    host_id, type_id = action_value(body).split(":", 1)
    rt, caller = turn.rt, turn.caller
    host, me = await asyncio.gather(
        booking.host_link(rt, caller.team_id, caller.user_id, host_id),
        person(rt, turn.client, caller.team_id, caller.user_id),
    )
    event_type = await event_types.by_id(
        rt, host, int(type_id), public_only=host.user_id != caller.user_id
    )
    intent = intents.create(
        rt,
        team_id=caller.team_id,
        user_id=caller.user_id,
        host_user_id=host.user_id,
        event_type_id=event_type.id,
        tz=me.tz,
    )
    await picker.offer(turn, intent, host, event_type, picker.read_when("", rt, me.tz))


async def on_pick(turn: Turn, body: dict[str, Any]) -> None:
    """A slot button (value: intent id; action id carries the time) or the one-click offer."""
    pressed = action(body)
    if pressed["action_id"] == Action.BOOK_EXACT:
        intent_id, epoch = pressed["value"].rsplit(":", 1)
    else:
        intent_id, epoch = pressed["value"], pressed["action_id"].rsplit(":", 1)[1]
    intent = intents.load(turn.rt, intent_id, turn.caller.team_id, turn.caller.user_id)
    start = datetime.fromtimestamp(int(epoch), UTC).astimezone(ZoneInfo(intent.tz))
    if not (intent.reschedule_uid or intent.teammate or intent.guest_email):
        # Who is it with? The trigger lives 3 s: only a database read comes before it.
        await guest.ask(turn, body, intent, start)
        return
    host, event_type = await picker.resolve_intent(turn, intent)
    if intent.reschedule_uid:
        await picker.complete_reschedule(turn, intent, host, event_type, start)
        return
    if intent.teammate:
        me = await person(turn.rt, turn.client, intent.team_id, intent.user_id)
        if not me.email:
            raise NoEmail()
        attendee = Attendee(me.name, me.email, me.tz)
    else:
        email = intent.guest_email or ""
        attendee = Attendee(intent.guest_name or email, email, intent.tz)
    await picker.complete_booking(turn, intent, host, event_type, start, attendee)


async def on_invite(turn: Turn, body: dict[str, Any]) -> None:
    """DM an unlinked teammate an invitation to connect."""
    teammate = action_value(body)
    if not re.fullmatch(r"[UW][A-Z0-9]+", teammate or ""):
        return
    client = turn.rt.slack_client(turn.caller.team_id)
    await client.chat_postMessage(channel=teammate, **invitation(turn.caller.user_id))
    await turn.reply(invited(teammate), replace=True)


COMMANDS: dict[type, Handler] = {
    grammar.Types: show_types,
    grammar.Slots: show_slots,
    grammar.Book: book,
}


def register(app: AsyncApp, rt: Runtime) -> None:
    app.action(re.compile(f"^{Action.PICK_SLOT}:"))(handoff(rt, on_pick))
    app.action(Action.BOOK_EXACT)(handoff(rt, on_pick))
    app.action(re.compile(f"^{Action.SLOTS_PAGE}:"))(handoff(rt, on_page))
    app.action(re.compile(f"^{Action.CHOOSE_TYPE}:"))(handoff(rt, on_choose_type))
    app.action(re.compile(f"^{Action.BOOK_TYPE}:"))(handoff(rt, on_book_type))
    app.action(Action.INVITE_TEAMMATE)(handoff(rt, on_invite))
    guest.register(app, rt)
