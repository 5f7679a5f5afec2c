"""Rendering the picker flow's results (bot/services/offers.py) for commands, buttons and
the guest modal: an offer of times, a choice of types, a booking made, and the DMs and
Home refreshes a booking's result names. No decisions here: only how each value looks.
"""

from __future__ import annotations

import asyncio
import logging

from slack_sdk.errors import SlackApiError

from bot.blocks import event_types as type_blocks
from bot.blocks import find as find_blocks
from bot.blocks import slots as slot_blocks
from bot.blocks.bookings import confirmation
from bot.blocks.slots import SLOT_TAKEN
from bot.services.offers import AskGuest, Booked, ChooseType, NoSuchType, Offered
from bot.slack import home
from bot.slack.context import Turn
from bot.slack.errors import slack_error_code
from bot.slack.people import person

log = logging.getLogger("calbot.slack.picker")


async def show_started(turn: Turn, started: Offered | ChooseType | NoSuchType) -> None:
    """What `/cal slots|book` found: times, a choice of types, or nothing by that name."""
    if isinstance(started, ChooseType):
        await turn.reply(
            type_blocks.choose_type(started.intent.id, started.query, started.candidates)
        )
    elif isinstance(started, NoSuchType):
        await turn.reply(type_blocks.no_such_type(started.query, started.choices))
    else:
        await show_offer(turn, started)


async def show_offer(turn: Turn, offered: Offered, *, replace: bool = False) -> None:
    """A one-click button for a free exact time, else a page of free times."""
    intent, event_type, found = offered.intent, offered.event_type, offered.offer
    teammate = offered.host.name or f"<@{intent.host_user_id}>"
    who = teammate if intent.teammate else intent.guest_name
    if intent.participants:
        who = find_blocks.mentions(intent.participants)
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
    note = None
    if offered.taken:
        note = SLOT_TAKEN
    elif offered.moving is not None:
        note = f"Moving *{offered.moving.title}*: pick a new time."
    elif found.missed:
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
    if offered.almost is not None:
        busy = offered.almost.busy_user_id
        names = {busy: (await person(turn.rt, turn.client, intent.team_id, busy)).name}
        payload["blocks"][-1:-1] = find_blocks.almost_blocks(intent.id, offered.almost, names)
    await turn.reply(payload, replace=replace)


async def show_picked(turn: Turn, picked: Booked | Offered | AskGuest) -> None:
    """A pick's end: the confirmation in place of the picker (or that day's fresh times),
    the DMs the booking names, and the booker's Home refreshed."""
    if isinstance(picked, Offered):
        await show_offer(turn, picked, replace=True)
        return
    assert isinstance(picked, Booked)
    intent, made = picked.intent, picked.booking
    if picked.rescheduled:
        lead = ":arrows_counterclockwise: Rescheduled"
        await turn.reply(confirmation(made, lead=lead), replace=True)
    else:
        await turn.reply(confirmation(made, manage=not intent.teammate), replace=True)
    home.refresh_soon(turn.rt, turn.client, intent.team_id, intent.user_id)
    if picked.tell:
        await _tell(turn, picked)


async def _tell(turn: Turn, booked: Booked) -> None:
    """A teammate booking: a DM to the host and one to you. A `/cal find` booking: a DM
    to each participant (their own zone, Join, Decline)."""
    intent, made = booked.intent, booked.booking
    client = turn.rt.slack_client(intent.team_id)
    if intent.participants:
        dm = find_blocks.invited_dm(made, intent.user_id)
        sent = await asyncio.gather(
            *(client.chat_postMessage(channel=user, **dm) for user in booked.tell),
            return_exceptions=True,
        )
        _log_unsent(booked.tell, sent)
        for user in booked.tell:  # their Homes list the meeting they now attend
            home.refresh_soon(turn.rt, client, intent.team_id, user)
        return
    leads = {
        intent.host_user_id: (f":calendar: <@{intent.user_id}> booked time with you", True),
        intent.user_id: (f":white_check_mark: You booked <@{intent.host_user_id}>", False),
    }
    sent = await asyncio.gather(
        *(
            client.chat_postMessage(
                channel=user, **confirmation(made, lead=leads[user][0], manage=leads[user][1])
            )
            for user in booked.tell
        ),
        return_exceptions=True,
    )
    _log_unsent(booked.tell, sent)


def _log_unsent(users: tuple[str, ...], results: list[object]) -> None:
    """The booking is made and confirmed: a DM Slack refused (a deactivated account, a
    blocked DM) is a log line, not an error after the confirmation, and the others go."""
    for user, result in zip(users, results, strict=True):
        if isinstance(result, SlackApiError):
            log.warning("booking DM to %s not sent: %s", user, slack_error_code(result))
        elif isinstance(result, Exception):
            log.warning("booking DM to %s not sent: %s", user, type(result).__name__)
