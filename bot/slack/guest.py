"""When you are the host and named no guest, a modal asks who the meeting is with.

The modal opens from the slot click's trigger (it lives 3 s, so nothing else happens
first); on submit the email is checked in the ack, then the booking runs in a task and
its result replaces the picker through the original message's response URL.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.blocks.small_modals import BAD_EMAIL, NEED_NAME, guest_modal, submitted_value
from bot.blocks.viewkit import meta_of
from bot.calcom.models import Attendee
from bot.grammar.tokens import looks_like_email
from bot.ids import Block, View
from bot.models import Intent
from bot.runtime import Runtime
from bot.services import offers
from bot.slack import picker, views
from bot.slack.context import Turn, turn_for
from bot.slack.values import number


async def ask(turn: Turn, body: dict[str, Any], intent: Intent, start: datetime) -> None:
    meta = {"intent": intent.id, "start": int(start.timestamp()), "url": body.get("response_url")}
    meta["owner"] = turn.caller.user_id
    await turn.client.views_open(
        trigger_id=turn.caller.trigger_id, view=guest_modal("this meeting", meta)
    )


def register(app: AsyncApp, rt: Runtime) -> None:
    @app.view(View.GUEST)
    async def on_submit(ack: Any, body: dict[str, Any], view: dict[str, Any], client: Any) -> None:
        name = submitted_value(view, Block.GUEST_NAME)
        email = submitted_value(view, Block.GUEST_EMAIL)
        errors = {}
        refused = views.stranger(rt, body, view)
        if refused:
            errors[Block.GUEST_NAME] = refused
        if not name:
            errors[Block.GUEST_NAME] = NEED_NAME
        if not looks_like_email(email):
            errors[Block.GUEST_EMAIL] = BAD_EMAIL
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        await ack()
        meta = meta_of(view)
        turn = turn_for(rt, body, client, meta.get("url"))
        if number(str(meta.get("start"))) is not None:  # else not metadata calbot wrote
            turn.spawn(finish(turn, meta, name, email), name="guest")


async def finish(turn: Turn, meta: dict[str, Any], name: str, email: str) -> None:
    """Book the slot clicked with the guest named; the picker shows the result."""
    caller = turn.caller
    picked = await offers.pick(
        turn.rt,
        caller.team_id,
        caller.user_id,
        str(meta.get("intent") or ""),
        int(meta["start"]),  # checked by on_submit
        caller=_nobody,
        guest=(name, email),
    )
    await picker.show_picked(turn, picked)


async def _nobody() -> Attendee:
    raise AssertionError("a guest booking never asks who the caller is")
