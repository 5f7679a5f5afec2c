"""Booking notifications in Slack: `/cal notify ...`, and Confirm / Decline on requests.

Before subscribing a channel the bot makes sure it can post there: a public channel it is
not in, it joins; a private one it cannot see means the user has to invite it first. The
notifications themselves are posted by the worker (bot/notify/worker.py), not from here.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot import grammar
from bot.blocks import notifications as blocks
from bot.blocks.small_modals import decline_modal, submitted_value
from bot.blocks.viewkit import meta_of
from bot.ids import Action, Block, View
from bot.runtime import Runtime
from bot.services import accounts, approvals, subscriptions
from bot.services.accounts import require_link
from bot.services.errors import CannotPostThere, ChannelArchived
from bot.slack import home, views
from bot.slack.context import Handler, Turn, handoff, turn_for
from bot.slack.values import number


async def ensure_postable(client: AsyncWebClient, channel_id: str) -> None:
    """Make sure chat.postMessage to `channel_id` will work, joining a public channel."""
    try:
        info = (await client.conversations_info(channel=channel_id))["channel"]
    except SlackApiError as error:
        if error.response.get("error") in ("channel_not_found", "not_in_channel"):
            raise CannotPostThere(channel_id) from None
        raise
    if info.get("is_archived"):
        raise ChannelArchived(channel_id)
    if info.get("is_member") or info.get("is_im"):
        return
    if info.get("is_private"):
        raise CannotPostThere(channel_id)
    try:
        await client.conversations_join(channel=channel_id)
    except SlackApiError:
        raise CannotPostThere(channel_id) from None


# --- commands -----------------------------------------------------------------------------


async def subscribe(turn: Turn, command: grammar.NotifySubscribe) -> None:
    rt, caller = turn.rt, turn.caller
    subscriptions.require_public_url(rt)
    link = await require_link(rt, caller.team_id, caller.user_id)
    if command.channel_id:
        await ensure_postable(turn.client, command.channel_id)
    sub, updated = await subscriptions.subscribe(
        rt, link, command.channel_id, command.type_query, command.triggers
    )
    await turn.reply(blocks.subscribed(sub, updated=updated))
    _refresh_home(turn)


async def show_list(turn: Turn, command: grammar.NotifyList | None = None) -> None:
    subs = subscriptions.subscriptions_of(turn.rt, turn.caller.team_id, turn.caller.user_id)
    await turn.reply(blocks.subscription_list(subs), replace=command is None)


async def turn_off(turn: Turn, command: grammar.NotifyOff) -> None:
    caller = turn.caller
    link = accounts.stored_link(turn.rt, caller.team_id, caller.user_id)
    count = await subscriptions.unsubscribe(
        turn.rt, link, caller.team_id, caller.user_id, command.channel_id
    )
    await turn.reply(blocks.turned_off(command.channel_id, count))
    _refresh_home(turn)


def _refresh_home(turn: Turn) -> None:
    """The caller's Home lists their subscriptions and pending requests: show the change."""
    home.refresh_soon(turn.rt, turn.client, turn.caller.team_id, turn.caller.user_id)


COMMANDS: dict[type, Handler] = {
    grammar.NotifySubscribe: subscribe,
    grammar.NotifyList: show_list,
    grammar.NotifyOff: turn_off,
}


# --- buttons and the decline modal --------------------------------------------------------


def _ref(body: dict[str, Any]) -> int:
    return number((body.get("actions") or [{}])[0].get("value")) or 0


async def on_turn_off(turn: Turn, body: dict[str, Any]) -> None:
    caller = turn.caller
    link = accounts.stored_link(turn.rt, caller.team_id, caller.user_id)
    await subscriptions.unsubscribe_one(turn.rt, link, _ref(body))
    await show_list(turn)
    _refresh_home(turn)


def _clicked(body: dict[str, Any]) -> tuple[str, str] | None:
    """Where the pressed notification is (channel, ts), from Slack's signed payload."""
    container = body.get("container") or {}
    channel, ts = container.get("channel_id"), container.get("message_ts")
    if isinstance(channel, str) and isinstance(ts, str) and channel and ts:
        return channel, ts
    return None


async def _show_decision(
    turn: Turn,
    request: approvals.BookingRequest,
    *,
    confirmed: bool,
    reason: str | None = None,
    clicked: tuple[str, str] | None = None,
) -> None:
    """Replace the request's buttons with what was decided, for the whole channel.

    Where the message is comes from the outbox row; a click can beat the worker's record
    of it (the post is visible before its ts is stored), so the pressed message stands in.
    """
    row = request.row
    where = (row.channel, row.message_ts) if row.channel and row.message_ts else clicked
    if where is None:
        return
    payload = blocks.decided_message(
        request.event, confirmed=confirmed, by_user_id=turn.caller.user_id, reason=reason
    )
    await turn.client.chat_update(channel=where[0], ts=where[1], **payload)


async def on_confirm(turn: Turn, body: dict[str, Any]) -> None:
    caller = turn.caller
    request = await approvals.confirm(turn.rt, caller.team_id, caller.user_id, _ref(body))
    _refresh_home(turn)
    await _show_decision(turn, request, confirmed=True, clicked=_clicked(body))


async def on_decline(turn: Turn, body: dict[str, Any]) -> None:
    """Only the host gets the reason modal; anyone else is told so at once."""
    caller = turn.caller
    ref = _ref(body)
    request = approvals.load(turn.rt, caller.team_id, caller.user_id, ref)
    meta = {"ref": ref, "url": caller.response_url, "owner": caller.user_id}
    if clicked := _clicked(body):
        meta["at"] = list(clicked)
    await turn.client.views_open(
        trigger_id=caller.trigger_id, view=decline_modal(request.event.title, meta)
    )


async def finish_decline(
    turn: Turn, ref: int, reason: str, clicked: tuple[str, str] | None = None
) -> None:
    caller = turn.caller
    request = await approvals.decline(turn.rt, caller.team_id, caller.user_id, ref, reason)
    _refresh_home(turn)
    await _show_decision(turn, request, confirmed=False, reason=reason or None, clicked=clicked)


def register(app: AsyncApp, rt: Runtime) -> None:
    app.action(Action.NOTIFY_OFF)(handoff(rt, on_turn_off))
    app.action(Action.NOTIFY_CONFIRM)(handoff(rt, on_confirm))
    app.action(Action.NOTIFY_DECLINE)(handoff(rt, on_decline))

    @app.view(View.DECLINE_REASON)
    async def on_reason(ack: Any, body: dict[str, Any], view: dict[str, Any], client: Any) -> None:
        refused = views.stranger(rt, body, view)
        if refused:
            await ack(response_action="errors", errors={Block.DECLINE_REASON: refused})
            return
        await ack()
        reason = submitted_value(view, Block.DECLINE_REASON)
        meta = meta_of(view)
        turn = turn_for(rt, body, client, meta.get("url"))
        ref = str(meta.get("ref") or "")
        at = meta.get("at")
        clicked = (
            (at[0], at[1])
            if isinstance(at, list) and len(at) == 2 and all(isinstance(x, str) for x in at)
            else None
        )
        if ref.isdigit() and len(ref) <= 12:
            turn.spawn(finish_decline(turn, int(ref), reason, clicked), name="decline")
