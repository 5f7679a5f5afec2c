"""Who is asking and how to answer: the plain values a handler needs from a Slack request."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot import budget
from bot.admission import Ticket
from bot.blocks.progress import BUSY, interim_message, interim_text
from bot.calcom.errors import OutOfTime
from bot.runtime import Runtime
from bot.slack.errors import guarded, report
from bot.slack.urls import is_slack_response_url

log = logging.getLogger("calbot.slack")

T = TypeVar("T")


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
        """An ephemeral answer through the response_url; `replace` rewrites the message clicked.

        When an interim line ("Looking up free times…") is showing, the answer replaces it.
        """
        await self.respond(**payload, response_type="ephemeral", replace_original=replace)

    def spawn(
        self,
        work: Coroutine[Any, Any, Any],
        name: str,
        *,
        ticket: Ticket | None = None,
        interim: str | None = None,
        started: float | None = None,
    ) -> None:
        """Run `work` after the ack, within the action's time budget (bot/budget.py).

        `ticket`: its place in the admission queue (`handoff`), released when it ends.
        `interim`: the line shown if no answer came within `rt.interim_after` seconds.
        A failure, or the budget running out, is reported to this caller.
        """
        self.rt.spawn(self._run(work, ticket, interim, started), name=name)

    async def _run(
        self,
        work: Coroutine[Any, Any, Any],
        ticket: Ticket | None,
        interim: str | None,
        started: float | None,
    ) -> None:
        rt = self.rt
        respond = self.respond
        shows_interim = interim is not None and isinstance(respond, Responder)
        with budget.opened(rt.budget_seconds, started=started) as time_left:
            waiting = None
            if shows_interim:
                since = time.monotonic() if started is None else started
                waiting = asyncio.get_running_loop().call_later(
                    max(0.0, since + rt.interim_after - time.monotonic()),
                    lambda: rt.spawn(respond.show_interim(interim or ""), name="interim"),
                )
            try:
                async with asyncio.timeout(time_left.remaining()) as limit:
                    if ticket is not None:
                        await rt.admission.start(ticket)
                    await guarded(work, respond)
            except TimeoutError:
                if not limit.expired():
                    raise
                work.close()  # never started when time ran out waiting for a slot
                log.warning("action ran out of its %.0f s budget", rt.budget_seconds)
                await report(OutOfTime("time budget", maybe_applied=time_left.change_sent), respond)
            finally:
                if waiting is not None:
                    waiting.cancel()
                if ticket is not None:
                    rt.admission.done(ticket)
            if shows_interim:
                await respond.settle()


Respond = Callable[..., Awaitable[None]]


class Responder:
    """Answers through a response URL, replacing the interim line when one is showing.

    Slack's `replace_original` on a slash command's response URL rewrites the message
    that command produced; on a button's, the message the button is in. So the interim
    line is a new message for a command and replaces the clicked message for a button:
    either way the next answer, sent with `replace_original`, lands in its place.
    """

    def __init__(self, webhook: AsyncWebhookClient, *, from_message: bool):
        self._webhook = webhook
        self._from_message = from_message
        self._lock = asyncio.Lock()
        self._answered = False
        self._interim = False

    async def __call__(self, **payload: Any) -> None:
        async with self._lock:
            self._answered = True
            if self._interim and not payload.get("delete_original"):
                payload["replace_original"] = True
            self._interim = False
            await self._send(payload)

    async def show_interim(self, text: str) -> None:
        async with self._lock:
            if self._answered:
                return
            payload = {**interim_message(text), "response_type": "ephemeral"}
            payload["replace_original"] = self._from_message
            await self._send(payload)
            self._interim = True

    async def settle(self) -> None:
        """The work ended without answering (it opened a modal...): remove the interim line."""
        async with self._lock:
            self._answered = True
            if self._interim:
                self._interim = False
                await self._send({"delete_original": True})

    async def _send(self, payload: dict[str, Any]) -> None:
        try:
            response = await self._webhook.send_dict(payload)
        except Exception as error:  # the URL expired, Slack is unreachable: log, go on
            log.warning("response URL post failed: %s", type(error).__name__)
            return
        if response.status_code != 200:
            log.warning("response URL answered %s", response.status_code)


def responder(
    rt: Runtime,
    client: AsyncWebClient,
    caller: Caller,
    url: str | None,
    *,
    from_message: bool = False,
) -> Respond:
    """How to answer someone: through a response URL when there is one (an ephemeral reply,
    able to replace the message clicked), else in a DM: the Home tab and modals opened
    from it have no response URL, and an answer must still reach the person.
    A URL not on Slack's host (bot/slack/urls.py) is never used: the answer goes by DM."""
    if url and is_slack_response_url(url, rt.settings.slack_api_url):
        session = rt.slack_session(caller.team_id)
        return Responder(AsyncWebhookClient(url, session=session), from_message=from_message)

    async def via_dm(**payload: Any) -> None:
        if payload.get("delete_original"):
            return  # nothing to delete: the click came from somewhere without a message
        message = {k: v for k, v in payload.items() if k in ("text", "blocks")}
        await client.chat_postMessage(channel=caller.user_id, **message)

    return via_dm


def turn_for(rt: Runtime, body: dict[str, Any], client: Any, url: str | None = None) -> Turn:
    """The Turn of a request; `url` is a response URL saved earlier (a modal's origin)."""
    caller = Caller.from_body(body)
    from_message = url is None and body.get("type") == "block_actions" and "message" in body
    respond = responder(rt, client, caller, url or caller.response_url, from_message=from_message)
    container = body.get("container") or {}
    if (from_message or container.get("is_app_unfurl")) and not container.get("is_ephemeral"):
        # a button on a message everyone sees (a channel notification, a link's card): an
        # interim line would replace that message for everyone, and the answer after it too
        respond = _without_interim(respond)
    return Turn(rt, caller, respond, client)


def _without_interim(respond: Respond) -> Respond:
    async def plain(**payload: Any) -> None:
        await respond(**payload)

    return plain


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
    listener returns: the ack costs well under a millisecond, whatever `work` does. The
    work is admitted first (bot/admission.py): past capacity the person is told at once
    that calbot is busy, instead of an answer that comes late or never.
    """

    async def listener(ack: Any, body: dict[str, Any], client: Any) -> None:
        started = time.monotonic()
        caller = Caller.from_body(body)
        ticket = rt.admission.admit((caller.team_id, caller.user_id or "-"))
        if ticket is None:
            await _refuse(rt, ack, body, client)
            return
        await ack()
        turn = turn_for(rt, body, client)
        turn.spawn(
            work(turn, body),
            name=work.__name__,
            ticket=ticket,
            interim=interim_text(body),
            started=started,
        )

    return listener


async def _refuse(rt: Runtime, ack: Any, body: dict[str, Any], client: Any) -> None:
    """Past capacity: "busy" in the ack itself for a command (no extra call, shown at once),
    through the response URL for a click; a log line (one in a hundred) for operators."""
    refused = rt.admission.refused
    if refused == 1 or refused % 100 == 0:
        log.warning("busy: %d request(s) refused so far (%d in progress)", refused, rt.in_flight)
    if body.get("command"):
        await ack(text=BUSY, response_type="ephemeral")
        return
    await ack()
    if body.get("response_url"):
        respond = turn_for(rt, body, client).respond
        rt.spawn(respond(text=BUSY, response_type="ephemeral"), name="busy")


async def admitted(rt: Runtime, ticket: Ticket, work: Coroutine[Any, Any, T]) -> T:
    """Run `work`, admitted with `ticket` (`rt.admission.admit`), under `handoff`'s rules
    for work that has no `Turn` (a modal's submission, a Home refresh): it waits its turn
    for a running slot, and the action's budget bounds the wait and the work; running out
    raises OutOfTime (the caller words it). The ticket is given back however it ends."""
    with budget.opened(rt.budget_seconds) as time_left:
        try:
            async with asyncio.timeout(time_left.remaining()) as limit:
                await rt.admission.start(ticket)
                return await work
        except TimeoutError:
            if not limit.expired():
                raise
            work.close()  # never started when time ran out waiting for a slot
            log.warning("action ran out of its %.0f s budget", rt.budget_seconds)
            raise OutOfTime("time budget", maybe_applied=time_left.change_sent) from None
        finally:
            rt.admission.done(ticket)
