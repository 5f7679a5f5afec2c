"""The booking modal, from every entry point: `/cal`, `/cal book` without a type, the App
Home, the "Book a meeting" shortcut and the "Schedule with this user" message shortcut.

The modal opens at once with a loading view (a trigger id lives 3 s and serves once),
then fills in with `views.update`. Changing the host, type or date reloads the times;
choosing a time reserves that slot, released when the choice changes or the modal
closes. The submission is answered within Slack's 3 s (see bot/slack/views.py): inline
errors for a missing time, a bad email or a slot taken, else the modal closes and a DM
confirms with Cancel and Reschedule. Booking goes through bot/services/booking.py.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot import grammar
from bot.blocks.booking_modal import (
    NO_EMAIL,
    TAKEN,
    TAKEN_AT_SUBMIT,
    TITLE,
    Submitted,
    booked,
    booking_form,
    booking_pending,
    chosen_people,
    loading,
)
from bot.blocks.booking_modal import read_submission as read
from bot.blocks.bookings import confirmation
from bot.blocks.errors import error_text
from bot.blocks.find import invited_dm
from bot.blocks.viewkit import encode_meta, meta_of, picked, problem
from bot.calcom.models import Attendee
from bot.ids import Action, Block, View
from bot.models import Draft, Guest
from bot.runtime import Runtime
from bot.services import accounts
from bot.services import booking_form as forms
from bot.services.errors import NoEmail, NotYourView, SlotTaken
from bot.slack import home, views
from bot.slack.context import Caller, Handler, Turn, action_value, handoff
from bot.slack.errors import guarded, reply_for
from bot.slack.people import SlackPerson, person
from bot.slack.values import epoch, number


async def open_booking(
    rt: Runtime,
    client: AsyncWebClient,
    caller: Caller,
    *,
    host: str | None = None,
    event_type: int | None = None,
    author: str | None = None,
) -> None:
    """Open the modal now, then fill it. `author`: a message's author to book with."""
    draft = Draft(host=host or caller.user_id, event_type=event_type, owner=caller.user_id)
    opened = await client.views_open(trigger_id=caller.trigger_id, view=loading(draft))
    view = opened["view"]
    views.opened(rt, view, (caller.team_id, caller.user_id))
    try:
        you = await person(rt, client, caller.team_id, caller.user_id)
        draft = replace(draft, tz=you.tz)
        if author and author != caller.user_id:
            draft = await _with_author(rt, client, caller, draft, author)
    except Exception as error:  # else the modal would say "Looking up free times…" for ever
        await views.update(rt, client, view["id"], problem(TITLE, reply_for(error)["text"]))
        return
    await _render(rt, client, caller, view["id"], draft, you)


async def _with_author(
    rt: Runtime, client: AsyncWebClient, caller: Caller, draft: Draft, author: str
) -> Draft:
    """A linked author hosts and you attend; anyone else is your guest, prefilled."""
    if accounts.active_link_or_none(rt, caller.team_id, author) is not None:
        return replace(draft, host=author)
    them = await person(rt, client, caller.team_id, author)
    return replace(draft, guest=Guest(them.name, them.email or "", them.tz))


def _you(you: SlackPerson) -> str:
    return f"{you.name} ({you.email})" if you.email else you.name


async def _render(
    rt: Runtime,
    client: AsyncWebClient,
    caller: Caller,
    view_id: str,
    draft: Draft,
    you: SlackPerson,
    *,
    gen: int | None = None,
    fallback_hash: str | None = None,
    notice: str | None = None,
) -> None:
    """Load the form for `draft` and show it, unless a newer change overtook it."""
    try:
        form = await forms.load(rt, caller.team_id, caller.user_id, draft, _you(you))
        if notice and not form.notice:
            form = replace(form, notice=notice)
        view, shown = booking_form(form), form.draft
    except Exception as error:  # the modal is where the user looks: say it there
        view, shown = problem(TITLE, reply_for(error)["text"]), replace(draft, hold=None)
    await _commit(rt, client, caller, view_id, view, shown, gen=gen, fallback_hash=fallback_hash)


async def _commit(
    rt: Runtime,
    client: AsyncWebClient,
    caller: Caller,
    view_id: str,
    view: dict[str, Any],
    draft: Draft,
    *,
    gen: int | None,
    fallback_hash: str | None,
) -> None:
    """Update the modal; let go of the hold it replaced, or of ours if it was dropped."""
    before = await views.update(rt, client, view_id, view, gen=gen, fallback_hash=fallback_hash)
    if before is None:
        if draft.hold:
            await forms.release(rt, caller.team_id, caller.user_id, draft.hold)
        return
    old = Draft.from_meta(before).hold if before else None
    if old and (draft.hold is None or old.uid != draft.hold.uid):
        await forms.release(rt, caller.team_id, caller.user_id, old)


def _claim(rt: Runtime, caller: Caller, view: dict[str, Any]) -> None:
    """Only who opened the modal may act through it (NotYourView for anyone else)."""
    owner = Draft.from_meta(meta_of(view)).owner
    views.claim(rt, view, caller.team_id, caller.user_id, meta_owner=owner)


async def on_change(turn: Turn, body: dict[str, Any]) -> None:
    """Host, type or date changed: reload the options (a new host starts on its first type)."""
    view = body.get("view")
    if not view or not view.get("id"):
        return  # not from a modal: nothing to reload
    _claim(turn.rt, turn.caller, view)
    gen, meta = views.begin(turn.rt, view)
    draft = Draft.from_meta(meta)
    host = picked(view, Block.BOOKING_HOST) or draft.host
    day = picked(view, Block.BOOKING_DATE) or draft.day
    people = chosen_people(view, draft.owner)
    if host != draft.host:
        draft = draft.moved(host=host, event_type=None, day=day)
    elif people is not None and people != draft.people:
        draft = draft.moved(people=people, day=day)  # "With" changed: their common times
    else:
        chosen = picked(view, Block.BOOKING_TYPE)
        draft = draft.moved(event_type=int(chosen) if chosen else draft.event_type, day=day)
    you = await person(turn.rt, turn.client, turn.caller.team_id, turn.caller.user_id)
    await _render(
        turn.rt,
        turn.client,
        turn.caller,
        view["id"],
        draft,
        you,
        gen=gen,
        fallback_hash=view["hash"],
    )


async def on_time(turn: Turn, body: dict[str, Any]) -> None:
    """A time was chosen: hold it, so the submission books it or fails fast."""
    rt, view = turn.rt, body.get("view")
    if not view or not view.get("id"):
        return  # not from a modal: nothing to hold
    _claim(rt, turn.caller, view)
    gen = views.generation(rt, view["id"])
    draft = Draft.from_meta(views.current_meta(rt, view))
    value = epoch(picked(view, Block.BOOKING_TIME))
    if not value:
        return
    start = datetime.fromtimestamp(value, UTC).astimezone(ZoneInfo(draft.tz))
    if draft.held(start):
        return
    try:
        held = await forms.hold(rt, turn.caller.team_id, turn.caller.user_id, draft, start)
    except SlotTaken:
        gen, meta = views.begin(rt, view)
        you = await person(rt, turn.client, turn.caller.team_id, turn.caller.user_id)
        draft = Draft.from_meta(meta).moved()
        await _render(rt, turn.client, turn.caller, view["id"], draft, you, gen=gen, notice=TAKEN)
        return
    draft = replace(draft, hold=held)
    same = _same_view(view, draft)
    await _commit(
        rt, turn.client, turn.caller, view["id"], same, draft, gen=gen, fallback_hash=view["hash"]
    )


def _same_view(view: dict[str, Any], draft: Draft) -> dict[str, Any]:
    """The modal as it is, with new metadata: a hold changes no option."""
    keep = ("type", "callback_id", "title", "submit", "close", "blocks", "notify_on_close")
    shown = {key: view[key] for key in keep if view.get(key) is not None}
    return {**shown, "private_metadata": encode_meta(draft.to_meta())}


async def on_submit(rt: Runtime, ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
    """Answer within 3 s: inline errors, or book (the hold makes that quick)."""
    caller, view = Caller.from_body(body), body["view"]
    try:
        _claim(rt, caller, view)
    except NotYourView as refused:
        await ack(response_action="errors", errors={Block.BOOKING_HOST: error_text(refused)})
        return
    draft = Draft.from_meta(views.current_meta(rt, view))
    submitted = read(view, draft, caller.user_id)
    if submitted.errors:
        await ack(response_action="errors", errors=submitted.errors)
        return
    work = _book(rt, client, caller, view["id"], draft, submitted)
    await views.answer_submission(
        rt,
        ack,
        client,
        view,
        work,
        who=(caller.team_id, caller.user_id),
        error_block=submitted.time_block,
        pending=booking_pending(),
    )


async def _book(
    rt: Runtime,
    client: AsyncWebClient,
    caller: Caller,
    view_id: str,
    draft: Draft,
    submitted: Submitted,
) -> views.SubmitOutcome:
    guest = Attendee(submitted.name, submitted.email, draft.guest.tz or draft.tz)

    async def you() -> Attendee:
        me = await person(rt, client, caller.team_id, caller.user_id)
        return Attendee(me.name, me.email or "", me.tz)

    assert submitted.start is not None
    try:
        made = await forms.book(
            rt,
            caller.team_id,
            caller.user_id,
            draft,
            submitted.start,
            guest=guest,
            caller=you,
            notes=submitted.notes,
        )
    except NoEmail:
        return views.SubmitOutcome(errors={Block.BOOKING_HOST: NO_EMAIL})
    except SlotTaken:
        return views.SubmitOutcome(errors={submitted.time_block: TAKEN_AT_SUBMIT})
    views.forget(rt, view_id)
    rt.spawn(guarded(_announce(rt, client, caller.team_id, made), None), name="booked")
    return views.SubmitOutcome(done=booked(made.booking))


async def _announce(rt: Runtime, client: AsyncWebClient, team_id: str, made: forms.Made) -> None:
    """DM the confirmation (Cancel, Reschedule) to whom the booking names, and to everyone
    "With" their invitation (Join, Decline); Homes refresh."""
    host, booker = made.host_user_id, made.booker_user_id
    dms = {booker: confirmation(made.booking)}
    if made.teammate:  # only the host may cancel or move it: the attendee gets Join alone
        lead = f":calendar: <@{booker}> booked time with you"
        dms[host] = confirmation(made.booking, lead=lead)
        lead = f":white_check_mark: You booked <@{host}>"
        dms[booker] = confirmation(made.booking, lead=lead, manage=False)
    invited = invited_dm(made.booking, booker)
    await asyncio.gather(
        *(client.chat_postMessage(channel=u, **dms[u]) for u in made.tell),
        *(client.chat_postMessage(channel=u, **invited) for u in made.people),
    )
    everyone = (*made.tell, *made.people)
    await asyncio.gather(*(home.refresh(rt, client, team_id, u) for u in everyone))


async def on_closed(turn: Turn, body: dict[str, Any]) -> None:
    """The modal closed without booking: let the held slot go at once."""
    view = body["view"]
    _claim(turn.rt, turn.caller, view)
    draft = Draft.from_meta(views.current_meta(turn.rt, view))
    views.forget(turn.rt, view["id"])
    if draft.hold:
        await forms.release(turn.rt, turn.caller.team_id, turn.caller.user_id, draft.hold)


async def open_from_command(turn: Turn, command: grammar.OpenModal) -> None:
    await open_booking(turn.rt, turn.client, turn.caller, host=command.host_id)


async def open_from_button(turn: Turn, body: dict[str, Any]) -> None:
    """App Home: "Book a meeting", or "Book" on one event type (its id is the value)."""
    event_type = number(action_value(body))
    await open_booking(turn.rt, turn.client, turn.caller, event_type=event_type)


COMMANDS: dict[type, Handler] = {grammar.OpenModal: open_from_command}


def register(app: AsyncApp, rt: Runtime) -> None:
    app.action(Action.OPEN_BOOKING)(handoff(rt, open_from_button))
    for action in (
        Action.BOOKING_HOST,
        Action.BOOKING_TYPE,
        Action.BOOKING_DATE,
        Action.BOOKING_WITH,
    ):
        app.action(action)(handoff(rt, on_change))
    app.action(Action.BOOKING_TIME)(handoff(rt, on_time))
    app.view_closed(View.BOOKING)(handoff(rt, on_closed))

    @app.view_submission(View.BOOKING)
    async def submitted(ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        await on_submit(rt, ack, body, client)
