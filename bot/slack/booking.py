"""Booking from a command: `/cal types`, `/cal slots`, `/cal book` and the picker's buttons.

Each listener parses what Slack sent, calls one use case in bot/services/offers.py, and
renders its result with bot/slack/picker.py. Every button carries an intent id; the
intent (loaded for the person clicking) says the rest.
"""

from __future__ import annotations

import re
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot import grammar
from bot.blocks import event_types as type_blocks
from bot.blocks.account import invitation, invited
from bot.ids import Action
from bot.runtime import Runtime
from bot.services import offers
from bot.services.errors import GuestHasNoEmail
from bot.services.offers import AskGuest
from bot.slack import guest, picker
from bot.slack.context import Handler, Turn, action, action_value, handoff
from bot.slack.people import caller_as_attendee, person
from bot.slack.values import number

# --- commands ---------------------------------------------------------------------------


async def show_types(turn: Turn, command: grammar.Types) -> None:
    caller = turn.caller
    host, types = await offers.types_of(turn.rt, caller.team_id, caller.user_id, command.user_id)
    owner = None if host.user_id == caller.user_id else (host.name or f"<@{host.user_id}>")
    await turn.reply(
        type_blocks.type_list(
            types, owner_name=owner, username=host.username, host_user_id=host.user_id
        )
    )


async def show_slots(turn: Turn, command: grammar.Slots) -> None:
    await start(turn, command.host_id, command.type_query, command.when_text, one_click=False)


async def book(turn: Turn, command: grammar.Book) -> None:
    guest_name = guest_email = guest_tz = None
    if command.guest_user_id:
        invited = await person(turn.rt, turn.client, turn.caller.team_id, command.guest_user_id)
        guest_name, guest_email, guest_tz = invited.name, invited.email, invited.tz
        if not guest_email:
            raise GuestHasNoEmail(command.guest_user_id)
    elif command.guest_email:
        guest_name, guest_email = command.guest_email.split("@")[0], command.guest_email
    await start(
        turn,
        command.host_id,
        command.type_query,
        command.when_text,
        guest_name=guest_name,
        guest_email=guest_email,
        guest_tz=guest_tz,
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
    guest_tz: str | None = None,
) -> None:
    """Times for the phrase in the caller's Slack zone, or a choice of types."""
    caller = turn.caller
    me = await person(turn.rt, turn.client, caller.team_id, caller.user_id)
    started = await offers.start(
        turn.rt,
        caller.team_id,
        caller.user_id,
        me.tz,
        host_id=host_id,
        type_query=type_query,
        when_text=when_text,
        one_click=one_click,
        guest_name=guest_name,
        guest_email=guest_email,
        guest_tz=guest_tz,
    )
    await picker.show_started(turn, started)


# --- buttons ------------------------------------------------------------------------------


async def on_page(turn: Turn, body: dict[str, Any]) -> None:
    """Earlier / Later / "Show Fri 27 Nov": the page the button's cursor leads to."""
    intent_id, _, cursor = action_value(body).rpartition(":")
    caller = turn.caller
    offered = await offers.page(
        turn.rt,
        caller.team_id,
        caller.user_id,
        intent_id,
        cursor,
        earlier=action(body)["action_id"].endswith("earlier"),
    )
    await picker.show_offer(turn, offered, replace=True)


async def on_choose_type(turn: Turn, body: dict[str, Any]) -> None:
    intent_id, _, type_text = action_value(body).rpartition(":")
    if (type_id := number(type_text)) is None:
        return  # not a value calbot made
    caller = turn.caller
    offered = await offers.choose_type(turn.rt, caller.team_id, caller.user_id, intent_id, type_id)
    await picker.show_offer(turn, offered, replace=True)


async def on_book_type(turn: Turn, body: dict[str, Any]) -> None:
    """ "Book" on `/cal types`: the next 7 days of that event type."""
    host_id, _, type_text = action_value(body).partition(":")
    if not re.fullmatch(r"[UW][A-Z0-9]{1,20}", host_id) or (type_id := number(type_text)) is None:
        return  # not a value calbot made
    caller = turn.caller
    me = await person(turn.rt, turn.client, caller.team_id, caller.user_id)
    offered = await offers.book_type(
        turn.rt, caller.team_id, caller.user_id, me.tz, host_id, type_id
    )
    await picker.show_offer(turn, offered)


async def on_pick(turn: Turn, body: dict[str, Any]) -> None:
    """A slot button (value: intent id; action id carries the time) or the one-click offer."""
    pressed = action(body)
    if pressed["action_id"] == Action.BOOK_EXACT:
        intent_id, _, epoch_text = (pressed.get("value") or "").rpartition(":")
    else:
        intent_id, epoch_text = pressed.get("value") or "", pressed["action_id"].rpartition(":")[2]
    if (epoch := number(epoch_text)) is None:
        return  # not a value calbot made
    caller = turn.caller
    picked = await offers.pick(
        turn.rt, caller.team_id, caller.user_id, intent_id, epoch, caller=caller_as_attendee(turn)
    )
    if isinstance(picked, AskGuest):  # the trigger lives 3 s: only a database read came first
        await guest.ask(turn, body, picked.intent, picked.start)
        return
    await picker.show_picked(turn, picked)


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
