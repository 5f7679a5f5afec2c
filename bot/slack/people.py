"""Who a Slack user is (name, email, time zone), from `users.info`, cached for 10 minutes."""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.runtime import Runtime
from bot.services.errors import ServiceError


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
