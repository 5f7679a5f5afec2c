"""Who a Slack user is (name, email, time zone), from `users.info`, cached for 10 minutes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.calcom.models import Attendee
from bot.runtime import Runtime
from bot.services.errors import ServiceError

if TYPE_CHECKING:
    from bot.slack.context import Turn


@dataclass(frozen=True)
class SlackPerson:
    user_id: str
    name: str
    email: str | None
    tz: str


async def person(rt: Runtime, client: AsyncWebClient, team_id: str, user_id: str) -> SlackPerson:
    async def load() -> SlackPerson:
        try:
            response = await client.users_info(user=user_id)
        except SlackApiError as error:  # `<@U000NOPE|ghost>`: a mention of nobody here
            if error.response.get("error") in ("user_not_found", "users_not_found"):
                raise ServiceError(f"I can't find <@{user_id}> in this workspace.") from None
            raise
        user = response["user"]
        profile = user.get("profile") or {}
        name = (
            profile.get("display_name")
            or profile.get("real_name")
            or user.get("real_name")
            or user.get("name")
            or user_id
        )
        return SlackPerson(user_id, name, profile.get("email"), user.get("tz") or "UTC")

    return await rt.slack_people.get_or_load((team_id, user_id), load)


def caller_as_attendee(turn: Turn) -> Callable[[], Awaitable[Attendee]]:
    """The person clicking as an attendee, from their Slack profile: looked up only if the
    booking needs them (they book a teammate, or a link's owner, and attend themselves)."""

    async def lookup() -> Attendee:
        me = await person(turn.rt, turn.client, turn.caller.team_id, turn.caller.user_id)
        return Attendee(me.name, me.email or "", me.tz)

    return lookup
