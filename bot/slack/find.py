"""`/cal find 30min @alice @bob next week`: common free times, and its buttons.

The listener expands Slack user groups (`usergroups.users.list`), calls
bot/services/find.py, and renders with the `/cal book` picker (bot/slack/picker.py): the
same paging and Earlier/Later, whose buttons the booking listeners already handle.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from bot import grammar
from bot.blocks import find as find_blocks
from bot.concurrently import in_order
from bot.ids import Action
from bot.runtime import Runtime
from bot.services import find
from bot.services.errors import PeopleMissing, ServiceError
from bot.slack import picker
from bot.slack.context import Handler, Turn, action_value, handoff
from bot.slack.people import person

log = logging.getLogger("calbot.slack.find")

_USER_ID = re.compile(r"^[UW][A-Z0-9]+$")


async def group_members(turn: Turn, group_id: str) -> list[str]:
    """A user group's members. Slack's refusals become words the caller can act on."""
    try:
        response = await turn.client.usergroups_users_list(usergroup=group_id)
    except SlackApiError as error:
        code = error.response.get("error") if error.response is not None else None
        log.info("usergroups.users.list refused: %s", code)
        if code == "missing_scope":
            raise ServiceError(
                "I can't read user groups: this app lacks the `usergroups:read` scope. "
                "Ask whoever runs calbot to reinstall it from manifest.yml "
                "(`calbot doctor` checks it). Mention people one by one meanwhile."
            ) from None
        raise ServiceError(
            "I can't find that user group. Mention its people one by one instead."
        ) from None
    return [u for u in response.get("users") or [] if _USER_ID.match(str(u))]


async def _names(turn: Turn, user_ids: tuple[str, ...]) -> dict[str, str]:
    team = turn.caller.team_id
    found = await asyncio.gather(*(person(turn.rt, turn.client, team, u) for u in user_ids))
    return {p.user_id: p.name for p in found}


async def _missing(turn: Turn, error: PeopleMissing, *, replace: bool = False) -> None:
    """Who can't be included, with invitations and "Find a time without ..."."""
    payload = find_blocks.people_missing(error, await _names(turn, error.everyone))
    await turn.reply(payload, replace=replace)


async def find_times(turn: Turn, command: grammar.Find) -> None:
    caller = turn.caller
    # the groups' members and the caller's zone side by side; a group's refusal comes first
    groups, me = await in_order(
        in_order(*(group_members(turn, g) for g in command.group_ids)),
        person(turn.rt, turn.client, caller.team_id, caller.user_id),
    )
    people = list(command.user_ids)
    for members in groups:
        people.extend(members)
    try:
        started = await find.start(
            turn.rt,
            caller.team_id,
            caller.user_id,
            me.tz,
            type_query=command.type_query,
            people=people,
            when_text=command.when_text,
        )
    except PeopleMissing as error:
        await _missing(turn, error)
        return
    await picker.show_started(turn, started)


async def on_without(turn: Turn, body: dict[str, Any]) -> None:
    """ "Find a time without Carol": the caller's choice to search the others' times."""
    intent_id, _, dropped = action_value(body).rpartition(":")
    caller = turn.caller
    try:
        offered = await find.without(
            turn.rt, caller.team_id, caller.user_id, intent_id, dropped.split(",")
        )
    except PeopleMissing as error:
        await _missing(turn, error, replace=True)
        return
    await picker.show_offer(turn, offered, replace=True)


async def on_decline(turn: Turn, body: dict[str, Any]) -> None:
    """A participant declines from their DM; the organiser is told by DM."""
    organiser_id, _, uid = action_value(body).partition(":")
    caller = turn.caller

    async def slack_email() -> str | None:
        return (await person(turn.rt, turn.client, caller.team_id, caller.user_id)).email

    declined = await find.decline(
        turn.rt, caller.team_id, caller.user_id, organiser_id, uid, slack_email=slack_email
    )
    client = turn.rt.slack_client(caller.team_id)
    await client.chat_postMessage(
        channel=declined.organiser_id, **find_blocks.they_declined(declined.booking, caller.user_id)
    )
    await turn.reply(
        find_blocks.you_declined(declined.booking, declined.organiser_id), replace=True
    )


COMMANDS: dict[type, Handler] = {grammar.Find: find_times}


def register(app: AsyncApp, rt: Runtime) -> None:
    app.action(Action.FIND_WITHOUT)(handoff(rt, on_without))
    app.action(Action.FIND_DECLINE)(handoff(rt, on_decline))
