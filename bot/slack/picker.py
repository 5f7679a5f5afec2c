"""The picker flow shared by commands, buttons and the guest modal.

Offer free times for an intent (a one-click button for a free exact time, else a page
of buttons), and finish a pick: book or reschedule, then replace the picker with the
confirmation, or with that day's fresh times when the slot went in the meantime.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from bot.blocks import slots as slot_blocks
from bot.blocks.bookings import confirmation
from bot.calcom.models import Attendee, EventType
from bot.runtime import Runtime
from bot.services import booking, event_types
from bot.services.errors import ServiceError, SlotTaken
from bot.services.intents import Intent
from bot.slack import home
from bot.slack.context import Turn
from bot.when import Exact, WhenError, Window, parse_when


def read_when(text: str, rt: Runtime, tz: str) -> Window | Exact:
    try:
        return parse_when(text, now=rt.clock(), tz=tz)
    except WhenError as error:
        raise ServiceError(str(error)) from None


def _host_name(turn: Turn, intent: Intent, host_name: str | None) -> str | None:
    if intent.teammate:
        return host_name or f"<@{intent.host_user_id}>"
    return intent.guest_name


async def offer(
    turn: Turn,
    intent: Intent,
    host: Any,
    event_type: EventType,
    when: Window | Exact,
    *,
    one_click: bool = True,
    replace: bool = False,
    note: str | None = None,
) -> None:
    """A one-click button for a free exact time, else a picker for the day or range."""
    found = await booking.offer(turn.rt, host, event_type, when, intent.tz, one_click=one_click)
    await show(turn, intent, host, event_type, found, replace=replace, note=note)


async def show(
    turn: Turn,
    intent: Intent,
    host: Any,
    event_type: EventType,
    found: booking.Offer,
    *,
    replace: bool = False,
    note: str | None = None,
) -> None:
    """Render an offer: the one-click button, or a page of the picker."""
    who = _host_name(turn, intent, host.name)
    if found.exact is not None:
        payload = slot_blocks.exact_offer(
            intent_id=intent.id,
            title=event_type.title,
            host_name=who,
            start=found.exact,
            length=event_type.length,
        )
        await turn.reply(payload, replace=replace)
        return
    assert found.page is not None
    if found.missed and not note:
        note = f"{found.missed} isn't free. Free times that day:"
    payload = slot_blocks.picker(
        intent_id=intent.id,
        title=event_type.title,
        host_name=who,
        tz=intent.tz,
        days=found.page.days,
        earlier=found.page.earlier.encode() if found.page.earlier else None,
        later=found.page.later.encode() if found.page.later else None,
        later_day=found.page.later_day,
        note=note,
        empty_label=found.label,
    )
    await turn.reply(payload, replace=replace)


async def resolve_intent(turn: Turn, intent: Intent) -> tuple[Any, EventType]:
    """The host's link and the event type an intent names (a teammate's must be public)."""
    host = await booking.host_link(turn.rt, intent.team_id, intent.user_id, intent.host_user_id)
    event_type = await event_types.by_id(
        turn.rt, host, intent.event_type_id, public_only=intent.teammate
    )
    return host, event_type


async def complete_booking(
    turn: Turn,
    intent: Intent,
    host: Any,
    event_type: EventType,
    start: datetime,
    attendee: Attendee,
) -> None:
    """Book, then replace the picker with the confirmation (or that day's fresh times)."""
    try:
        made = await booking.book(turn.rt, host, event_type, start, attendee)
    except SlotTaken as taken:
        await _fresh_times(turn, intent, host, event_type, start, taken.user_message)
        return
    await turn.reply(confirmation(made, manage=not intent.teammate), replace=True)
    home.refresh_soon(turn.rt, turn.client, intent.team_id, intent.user_id)
    if intent.teammate:
        await _tell_both(turn, intent, made)


async def complete_reschedule(
    turn: Turn, intent: Intent, host: Any, event_type: EventType, start: datetime
) -> None:
    assert intent.reschedule_uid
    try:
        moved = await booking.reschedule(turn.rt, host, intent.reschedule_uid, start)
    except SlotTaken as taken:
        await _fresh_times(turn, intent, host, event_type, start, taken.user_message)
        return
    await turn.reply(
        confirmation(moved, lead=":arrows_counterclockwise: Rescheduled"), replace=True
    )
    home.refresh_soon(turn.rt, turn.client, intent.team_id, intent.user_id)


async def _fresh_times(
    turn: Turn, intent: Intent, host: Any, event_type: EventType, start: datetime, note: str
) -> None:
    """The slot went while they looked: that day's times as they are now."""
    window = booking.day_window(start.date(), turn.rt.clock(), intent.tz)
    await offer(turn, intent, host, event_type, window, replace=True, note=note)


async def _tell_both(turn: Turn, intent: Intent, made: Any) -> None:
    """A teammate booking: a DM to the host and one to you."""
    client = turn.rt.slack_client(intent.team_id)
    for_host = confirmation(made, lead=f":calendar: <@{intent.user_id}> booked time with you")
    for_you = confirmation(
        made, lead=f":white_check_mark: You booked <@{intent.host_user_id}>", manage=False
    )
    await asyncio.gather(
        client.chat_postMessage(channel=intent.host_user_id, **for_host),
        client.chat_postMessage(channel=intent.user_id, **for_you),
    )
