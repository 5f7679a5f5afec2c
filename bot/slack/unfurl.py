"""Booking links that unfurl: `link_shared` → `chat.unfurl` with a card per link, and the
card's buttons (a time: book it; "More times": the picker), pressed by any reader.

The card is in someone else's message, so answers never replace it: they come as the
reader's own ephemeral replies through the click's response URL, with no interim line
(bot/slack/context.py). Slack sends one with every click on an app unfurl (its payload
has no `message`, but `app_unfurl` and a `message_attachment` container: "Unfurling
links in messages"); without one the answer would come by DM.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from bot.blocks.unfurl import unfurls
from bot.ids import Action
from bot.runtime import Runtime
from bot.services import offers
from bot.services import unfurl as service
from bot.services.offers import AskGuest
from bot.slack import guest, picker
from bot.slack.context import Turn, action_value, handoff
from bot.slack.people import caller_as_attendee, person

log = logging.getLogger("calbot.unfurl")
# a card's value (bot/blocks/unfurl.py): owner, event type id and, on a time, its epoch;
# ASCII digits, bounded as bot/slack/values.py reads them: a doctored epoch is ignored,
# never an OverflowError from datetime
_VALUE = re.compile(r"^([UW][A-Z0-9]{1,20}):([0-9]{1,12})(?::([0-9]{1,12}))?$")


async def on_link_shared(turn: Turn, body: dict[str, Any]) -> None:
    event = body.get("event") or {}
    urls = [
        str(link.get("url") or "")
        for link in (event.get("links") if isinstance(event.get("links"), list) else [])
        if isinstance(link, dict)
    ]
    found = await service.cards(turn.rt, turn.caller.team_id, [u for u in urls if u])
    if not found:
        return  # not ours to show: Slack leaves the links as they are
    where: dict[str, Any]
    if event.get("source") == "composer":  # not posted yet: no channel message to name
        where = {"unfurl_id": event.get("unfurl_id"), "source": "composer"}
    else:
        where = {"channel": event.get("channel"), "ts": event.get("message_ts")}
    try:
        await turn.client.chat_unfurl(**where, unfurls=unfurls(found))
    except SlackApiError as error:  # nobody asked: nobody to tell but the operator
        code = error.response.get("error") if isinstance(error.response.data, dict) else None
        hint = " (reinstall calbot to grant links:write)" if code == "missing_scope" else ""
        log.warning("Slack refused the unfurl: %s%s", code or "an unreadable answer", hint)
        return
    except (aiohttp.ClientError, TimeoutError) as error:  # the link simply stays plain
        log.warning("could not reach Slack to unfurl: %s", type(error).__name__)
        return
    log.info("unfurled %d booking link(s)", len(found))


def _never_replace(turn: Turn) -> Turn:
    async def respond(**payload: Any) -> None:
        payload["replace_original"] = False
        await turn.respond(**payload)

    return dataclasses.replace(turn, respond=respond)


async def on_time(turn: Turn, body: dict[str, Any]) -> None:
    m = _VALUE.match(action_value(body))
    if not m or m.group(3) is None:
        return
    turn = _never_replace(turn)
    caller = turn.caller
    me = await person(turn.rt, turn.client, caller.team_id, caller.user_id)
    picked = await service.pick(
        turn.rt,
        caller.team_id,
        caller.user_id,
        me.tz,
        m.group(1),
        int(m.group(2)),
        int(m.group(3)),
        caller_as_attendee(turn),
    )
    if isinstance(picked, AskGuest):  # the owner pressed their own card: who with?
        await guest.ask(turn, body, picked.intent, picked.start)
        return
    await picker.show_picked(turn, picked)


async def on_more(turn: Turn, body: dict[str, Any]) -> None:
    m = _VALUE.match(action_value(body))
    if not m:
        return
    turn = _never_replace(turn)
    caller = turn.caller
    me = await person(turn.rt, turn.client, caller.team_id, caller.user_id)
    offered = await offers.book_type(
        turn.rt, caller.team_id, caller.user_id, me.tz, m.group(1), int(m.group(2))
    )
    await picker.show_offer(turn, offered)


def register(app: AsyncApp, rt: Runtime) -> None:
    app.event("link_shared")(handoff(rt, on_link_shared))
    app.action(re.compile(f"^{Action.UNFURL_SLOT}:"))(handoff(rt, on_time))
    app.action(Action.UNFURL_MORE)(handoff(rt, on_more))
