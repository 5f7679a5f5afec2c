"""Managing bookings: `/cal bookings`, `/cal cancel`, and the Cancel / Reschedule buttons.

Every button acts with the connection of the person who clicked, whoever posted the
message; its value is a booking uid, and only the booking's host may act on it
(bot/services/authority.py: Cal.com itself would let anyone with the uid).
"""

from __future__ import annotations

import re
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot import grammar
from bot.blocks.bookings import STATUS_WORDS, booking_list, cancelled, listed_page
from bot.blocks.small_modals import NEED_REASON, cancel_modal, submitted_value
from bot.blocks.viewkit import meta_of
from bot.ids import Action, Block, View
from bot.runtime import Runtime
from bot.services import bookings, offers
from bot.services.accounts import require_link
from bot.slack import home, picker, views
from bot.slack.context import Handler, Turn, action, action_value, handoff, turn_for
from bot.slack.people import person


async def show(turn: Turn, status: str, skip: int = 0, *, replace: bool = False) -> None:
    link = await require_link(turn.rt, turn.caller.team_id, turn.caller.user_id)
    found = await bookings.page(turn.rt, link, status, skip)
    await turn.reply(
        booking_list(
            list(found.items),
            status=status,
            skip=found.skip,  # the page before, when the last one emptied
            total=found.total,
            has_more=found.has_more,
            page_size=bookings.PAGE,
        ),
        replace=replace,
    )


async def list_command(turn: Turn, command: grammar.Bookings) -> None:
    await show(turn, command.status)


async def cancel_command(turn: Turn, command: grammar.Cancel) -> None:
    """With a reason: cancel now. Without: the modal asks (Cal.com wants one from hosts)."""
    if command.reason:
        caller = turn.caller
        done = await bookings.cancel(
            turn.rt, caller.team_id, caller.user_id, command.uid, command.reason
        )
        await turn.reply(cancelled(done, command.reason))
        home.refresh_soon(turn.rt, turn.client, turn.caller.team_id, turn.caller.user_id)
        return
    await _ask_reason(turn, command.uid, listing=None, replace=False)


async def _ask_reason(
    turn: Turn, uid: str, *, listing: tuple[str, int] | None, replace: bool
) -> None:
    """The reason modal; its submission answers through this request's response URL."""
    meta = {"uid": uid, "url": turn.caller.response_url, "list": listing, "replace": replace}
    meta["owner"] = turn.caller.user_id
    await turn.client.views_open(
        trigger_id=turn.caller.trigger_id, view=cancel_modal("this booking", meta)
    )


async def on_cancel(turn: Turn, body: dict[str, Any]) -> None:
    listing = listed_page(action(body).get("block_id") or "")
    await _ask_reason(turn, action_value(body), listing=listing, replace=True)


async def on_reschedule(turn: Turn, body: dict[str, Any]) -> None:
    """A picker for the same event type; the pick moves the booking (bot/services/offers.py)."""
    caller = turn.caller
    me = await person(turn.rt, turn.client, caller.team_id, caller.user_id)
    offered = await offers.start_reschedule(
        turn.rt, caller.team_id, caller.user_id, me.tz, action_value(body)
    )
    await picker.show_offer(turn, offered)


async def on_page(turn: Turn, body: dict[str, Any]) -> None:
    status, _, skip = action_value(body).rpartition(":")
    if status in STATUS_WORDS and skip.isdigit():
        await show(turn, status, int(skip), replace=True)


def _listing(value: Any) -> bool:
    """Whether private_metadata's "list" is one calbot wrote: [status word, skip]."""
    return (
        isinstance(value, list)
        and len(value) == 2
        and value[0] in STATUS_WORDS
        and isinstance(value[1], int)
        and 0 <= value[1] < 10_000
    )


async def finish_cancel(turn: Turn, meta: dict[str, Any], reason: str) -> None:
    caller, uid, listing = turn.caller, meta.get("uid"), meta.get("list")
    if not isinstance(uid, str) or not uid:
        return  # not the metadata of a modal calbot opened
    done = await bookings.cancel(turn.rt, caller.team_id, caller.user_id, uid, reason)
    home.refresh_soon(turn.rt, turn.client, turn.caller.team_id, turn.caller.user_id)
    if _listing(listing):
        await show(turn, listing[0], listing[1], replace=True)
    else:
        await turn.reply(cancelled(done, reason), replace=bool(meta.get("replace")))


COMMANDS: dict[type, Handler] = {
    grammar.Bookings: list_command,
    grammar.Cancel: cancel_command,
}


def register(app: AsyncApp, rt: Runtime) -> None:
    app.action(Action.CANCEL_BOOKING)(handoff(rt, on_cancel))
    app.action(Action.RESCHEDULE_BOOKING)(handoff(rt, on_reschedule))
    app.action(re.compile(f"^{Action.BOOKINGS_PAGE}:"))(handoff(rt, on_page))

    @app.action(Action.JOIN_MEETING)
    async def on_join(ack: Any) -> None:
        await ack()  # a URL button: Slack opens the meeting

    @app.view(View.CANCEL_REASON)
    async def on_reason(ack: Any, body: dict[str, Any], view: dict[str, Any], client: Any) -> None:
        reason = submitted_value(view, Block.CANCEL_REASON)
        refused = views.stranger(rt, body, view)
        if refused or not reason:
            error = refused or NEED_REASON
            await ack(response_action="errors", errors={Block.CANCEL_REASON: error})
            return
        await ack()
        meta = meta_of(view)
        turn = turn_for(rt, body, client, meta.get("url"))
        turn.spawn(finish_cancel(turn, meta, reason), name="cancel")
