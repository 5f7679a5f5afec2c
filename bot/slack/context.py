"""Who is asking and how to answer: the plain values a handler needs from a Slack request."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.runtime import Runtime
from bot.slack.errors import guarded
from bot.slack.urls import is_slack_response_url


@dataclass(frozen=True)
class Caller:
    """The Slack user behind a request.

    Authority always comes from here, never from a button value.
    """

    team_id: str
    user_id: str
    channel_id: str | None = None
    trigger_id: str | None = None
    response_url: str | None = None

    @classmethod
    def from_body(cls, body: dict[str, Any]) -> Caller:
        """Works for slash commands (flat form fields) and interactive payloads (nested)."""
        user = body.get("user") or {}
        team = body.get("team") or {}
        channel = body.get("channel") or {}
        return cls(
            team_id=body.get("team_id") or team.get("id") or user.get("team_id") or "",
            user_id=body.get("user_id") or user.get("id") or "",
            channel_id=body.get("channel_id") or channel.get("id"),
            trigger_id=body.get("trigger_id"),
            response_url=body.get("response_url"),
        )


@dataclass(frozen=True)
class Turn:
    """One request's handling: the runtime, the caller, and Bolt's `respond` and `client`."""

    rt: Runtime
    caller: Caller
    respond: Any
    client: AsyncWebClient

    async def reply(self, payload: dict[str, Any], *, replace: bool = False) -> None:
        """An ephemeral answer through the response_url; `replace` rewrites the message clicked."""
        await self.respond(**payload, response_type="ephemeral", replace_original=replace)

    def spawn(self, work: Awaitable[Any], name: str) -> None:
        """Run `work` after the ack; a failure is reported to this caller."""
        self.rt.spawn(guarded(work, self.respond), name=name)


Respond = Callable[..., Awaitable[None]]


def responder(client: AsyncWebClient, user_id: str, url: str | None) -> Respond:
    """How to answer someone: through a response URL when there is one (an ephemeral reply,
    able to replace the message clicked), else in a DM: the Home tab and modals opened
    from it have no response URL, and an answer must still reach the person.
    A URL not on Slack's host (bot/slack/urls.py) is never used: the answer goes by DM."""
    if url and is_slack_response_url(url, client.base_url):
        webhook = AsyncWebhookClient(url)

        async def via_url(**payload: Any) -> None:
            await webhook.send_dict(payload)

        return via_url

    async def via_dm(**payload: Any) -> None:
        if payload.get("delete_original"):
            return  # nothing to delete: the click came from somewhere without a message
        message = {k: v for k, v in payload.items() if k in ("text", "blocks")}
        await client.chat_postMessage(channel=user_id, **message)

    return via_dm


def turn_for(rt: Runtime, body: dict[str, Any], client: Any, url: str | None = None) -> Turn:
    """The Turn of a request; `url` is a response URL saved earlier (a modal's origin)."""
    caller = Caller.from_body(body)
    return Turn(rt, caller, responder(client, caller.user_id, url or caller.response_url), client)


def action(body: dict[str, Any]) -> dict[str, Any]:
    """The action a block_actions payload carries ({} when none)."""
    return (body.get("actions") or [{}])[0]


def action_value(body: dict[str, Any]) -> str:
    """The pressed element's value: ids only, which the listener checks against the caller."""
    return (action(body).get("value") or "").strip()


Work = Callable[[Turn, dict[str, Any]], Awaitable[None]]
Handler = Callable[[Turn, Any], Awaitable[None]]  # one `/cal` command value


def handoff(rt: Runtime, work: Work) -> Callable[..., Awaitable[None]]:
    """A Bolt listener that acks at once and runs `work` in a background task.

    The app runs with `process_before_response`, so Bolt answers Slack as soon as this
    listener returns: the ack costs well under a millisecond, whatever `work` does.
    """

    async def listener(ack: Any, body: dict[str, Any], client: Any) -> None:
        await ack()
        turn = turn_for(rt, body, client)
        turn.spawn(work(turn, body), name=work.__name__)

    return listener
