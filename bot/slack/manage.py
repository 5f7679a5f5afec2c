"""Managing Cal.com from Slack: event type create/edit/delete, working hours, profile.

Every modal opens at once with a loading view and fills in after the gateway answers
(trigger ids live 3 s). Submissions check their fields in the ack and then make the
change within Slack's 3 s (bot/slack/views.py), so a slug Cal.com refuses is an inline
error on the slug field. After any change the user's App Home is published again.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot import grammar
from bot.blocks.errors import error_text
from bot.blocks.event_types import booking_link
from bot.blocks.home import booking_link_view
from bot.blocks.settings import (
    event_type_modal,
    profile_modal,
    read_event_type,
    read_profile,
    read_schedule,
    saved,
    schedule_modal,
)
from bot.blocks.viewkit import meta_of, notice, problem
from bot.ids import Action, Block, View
from bot.runtime import Runtime
from bot.services import accounts, event_types
from bot.services import settings as changes
from bot.services.errors import NotLinked, NotYourView
from bot.services.settings import DuplicateSlug
from bot.slack import home, views
from bot.slack.context import Caller, Handler, Turn, action_value, handoff
from bot.slack.errors import reply_for
from bot.slack.values import number

Build = Callable[[], Awaitable[dict[str, Any]]]


async def open_filled(turn: Turn, title: str, build: Build) -> None:
    """Open a loading modal now; replace it with what `build` makes (or why it failed)."""
    loading = notice(title, ":hourglass_flowing_sand: Loading…")
    opened = await turn.client.views_open(trigger_id=turn.caller.trigger_id, view=loading)
    view = opened["view"]
    views.opened(turn.rt, view, (turn.caller.team_id, turn.caller.user_id))
    try:
        filled = await build()
    except Exception as error:
        filled = problem(title, reply_for(error)["text"])
    await views.update(turn.rt, turn.client, view["id"], filled)


def _value(body: dict[str, Any]) -> int:
    """The event type id a button carries (0 when none)."""
    return number(action_value(body)) or 0


async def _link(turn: Turn) -> Any:
    return await accounts.require_link(turn.rt, turn.caller.team_id, turn.caller.user_id)


async def on_new_type(turn: Turn, body: dict[str, Any]) -> None:
    async def build() -> dict[str, Any]:
        return event_type_modal(None, (await _link(turn)).username)

    await open_filled(turn, "New event type", build)


async def on_edit_type(turn: Turn, body: dict[str, Any]) -> None:
    async def build() -> dict[str, Any]:
        link = await _link(turn)
        return event_type_modal(await event_types.by_id(turn.rt, link, _value(body)), link.username)

    await open_filled(turn, "Edit event type", build)


async def on_copy_link(turn: Turn, body: dict[str, Any]) -> None:
    async def build() -> dict[str, Any]:
        link = await _link(turn)
        event_type = await event_types.by_id(turn.rt, link, _value(body))
        return booking_link_view(event_type, booking_link(link.username, event_type))

    await open_filled(turn, "Booking link", build)


async def on_delete_type(turn: Turn, body: dict[str, Any]) -> None:
    """Delete from the edit modal (the button asked to confirm); the modal says it's gone."""
    if not body.get("view"):
        return  # not from the edit modal: nothing to delete from
    views.claim(turn.rt, body["view"], turn.caller.team_id, turn.caller.user_id)
    link = await _link(turn)
    event_type = await event_types.by_id(turn.rt, link, _value(body))
    await changes.delete_event_type(turn.rt, link, event_type.id)
    done = saved("Event type deleted", f"*{event_type.title}* is deleted.")
    await views.update(turn.rt, turn.client, body["view"]["id"], done)
    await home.refresh(turn.rt, turn.client, turn.caller.team_id, turn.caller.user_id)


async def on_edit_schedule(turn: Turn, body: Any) -> None:
    async def build() -> dict[str, Any]:
        link = await _link(turn)
        schedule = await changes.working_hours(turn.rt, link)
        return schedule_modal(schedule, link.time_zone or "UTC")

    await open_filled(turn, "Working hours", build)


async def on_edit_profile(turn: Turn, body: dict[str, Any]) -> None:
    async def build() -> dict[str, Any]:
        return profile_modal(await accounts.profile(turn.rt, await _link(turn)))

    await open_filled(turn, "Your profile", build)


# ---------------------------------------------------------------------------- submissions


async def _submit(
    rt: Runtime,
    ack: Any,
    body: dict[str, Any],
    client: AsyncWebClient,
    change: Callable[[Any], Awaitable[dict[str, Any]]],
    *,
    error_block: str,
) -> None:
    """Make `change` within the ack budget; then refresh the Home. Closes on success."""
    caller, view = Caller.from_body(body), body["view"]
    try:
        views.claim(rt, view, caller.team_id, caller.user_id)
    except NotYourView as refused:
        await ack(response_action="errors", errors={error_block: error_text(refused) or ""})
        return
    link = accounts.active_link_or_none(rt, caller.team_id, caller.user_id)
    if link is None:
        await ack(response_action="errors", errors={error_block: error_text(NotLinked()) or ""})
        return

    async def work() -> views.SubmitOutcome:
        try:
            done = await change(link)
        except DuplicateSlug as taken:
            return views.SubmitOutcome(errors={Block.TYPE_SLUG: error_text(taken) or ""})
        home.refresh_soon(rt, client, caller.team_id, caller.user_id)
        return views.SubmitOutcome(done=done)

    pending = notice(view["title"]["text"], ":hourglass_flowing_sand: Saving…")
    await views.answer_submission(
        rt,
        ack,
        client,
        view,
        work(),
        who=(caller.team_id, caller.user_id),
        error_block=error_block,
        pending=pending,
    )


async def submit_event_type(
    rt: Runtime, ack: Any, body: dict[str, Any], client: AsyncWebClient
) -> None:
    view = body["view"]
    caller = Caller.from_body(body)
    link = accounts.stored_link(rt, caller.team_id, caller.user_id)
    cached = event_types.cached(rt, link) if link else []  # no gateway call in the ack
    editing = meta_of(view).get("id")
    form = read_event_type(view, {t.slug for t in cached if t.id != editing})
    if form.errors:
        await ack(response_action="errors", errors=form.errors)
        return
    fields = form.fields()  # an edit sends only what changed

    async def change(link: Any) -> dict[str, Any]:
        if form.event_type_id:
            await changes.update_event_type(rt, link, form.event_type_id, **fields)
            return saved("Event type saved", f"*{form.title}* is saved.")
        await changes.create_event_type(rt, link, **fields)
        return saved("Event type created", f"*{form.title}* is ready to book.")

    await _submit(rt, ack, body, client, change, error_block=Block.TYPE_TITLE)


async def submit_schedule(rt: Runtime, ack: Any, body: dict[str, Any], client: Any) -> None:
    form = read_schedule(body["view"])
    if form.errors:
        await ack(response_action="errors", errors=form.errors)
        return

    async def change(link: Any) -> dict[str, Any]:
        await changes.save_working_hours(rt, link, form.hours, form.tz, form.schedule_id)
        return saved("Working hours", "Your working hours are saved.")

    await _submit(rt, ack, body, client, change, error_block=Block.SCHEDULE_ZONE)


async def submit_profile(rt: Runtime, ack: Any, body: dict[str, Any], client: Any) -> None:
    form = read_profile(body["view"])
    if form.errors:
        await ack(response_action="errors", errors=form.errors)
        return

    async def change(link: Any) -> dict[str, Any]:
        await changes.save_profile(rt, link, **form.fields())
        return saved("Your profile", "Your profile is saved.")

    await _submit(rt, ack, body, client, change, error_block=Block.PROFILE_NAME)


async def schedule_command(turn: Turn, command: grammar.Schedule) -> None:
    await on_edit_schedule(turn, command)


COMMANDS: dict[type, Handler] = {grammar.Schedule: schedule_command}


def register(app: AsyncApp, rt: Runtime) -> None:
    app.action(Action.NEW_EVENT_TYPE)(handoff(rt, on_new_type))
    app.action(Action.EDIT_EVENT_TYPE)(handoff(rt, on_edit_type))
    app.action(Action.COPY_LINK)(handoff(rt, on_copy_link))
    app.action(Action.DELETE_EVENT_TYPE)(handoff(rt, on_delete_type))
    app.action(Action.EDIT_SCHEDULE)(handoff(rt, on_edit_schedule))
    app.action(Action.EDIT_PROFILE)(handoff(rt, on_edit_profile))

    @app.action(re.compile(rf"^{Action.SCHEDULE_DAY}\."))
    async def on_day_row(ack: Any) -> None:
        await ack()  # a weekday row changed; it is read on submit

    for callback_id, submit in (
        (View.EVENT_TYPE, submit_event_type),
        (View.SCHEDULE, submit_schedule),
        (View.PROFILE, submit_profile),
    ):
        app.view_submission(callback_id)(_submission(rt, submit))


def _submission(rt: Runtime, submit: Callable[..., Awaitable[None]]) -> Callable[..., Any]:
    async def listener(ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        await submit(rt, ack, body, client)

    return listener
