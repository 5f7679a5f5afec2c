"""The booking modal: host, event type, date, the free times of that day, who, notes.

Rendered from a `Form` (bot/services/booking_form.py); its `Draft` travels in
private_metadata. The type and time selects carry the draft's rev in their block ids,
so new options start unselected (Slack keeps a block's old value while its id stays).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks import limits
from bot.blocks.bookings import summary_lines
from bot.blocks.errors import error_text
from bot.blocks.kit import BlockDict, context, section
from bot.blocks.timefmt import clock, day_label
from bot.blocks.viewkit import (
    block_id_of,
    grouped_select,
    input_block,
    modal,
    notice,
    option,
    picked,
    state_of,
    static_select,
    text_input,
)
from bot.calcom.models import Booking, EventType
from bot.grammar.tokens import looks_like_email
from bot.ids import Action, Block, View
from bot.models import Draft, Form
from bot.services.errors import PeopleMissing

TITLE = "Book a meeting"


def loading(draft: Draft) -> dict[str, Any]:
    """What opens at once, before any gateway call (the trigger id lives 3 s)."""
    return notice(TITLE, ":hourglass_flowing_sand: Looking up free times…", meta=draft.to_meta())


def _type_label(event_type: EventType) -> str:
    hidden = " (hidden)" if event_type.hidden else ""
    return f"{event_type.title} · {event_type.length} min{hidden}"


def _time_select(form: Form) -> BlockDict:
    hold = form.draft.hold
    initial = str(hold.start) if hold and hold.event_type == form.draft.event_type else None
    return input_block(
        f"{Block.BOOKING_TIME}.{form.draft.rev}",
        "Time",
        time_select(form.times, initial),
        dispatch=True,
        hint=f"{_free_for(form)} {day_label(form.day)}, in {form.draft.tz}.",
    )


def time_select(times: list[datetime], initial: str | None) -> dict[str, Any]:
    """Every free time of the day: a plain select up to 100, else grouped by hour."""
    options = [option(clock(t), str(int(t.timestamp()))) for t in times]
    if len(options) <= limits.SELECT_OPTIONS:
        return static_select(
            Action.BOOKING_TIME, options, initial=initial, placeholder="Choose a time"
        )
    hours: dict[int, list[dict[str, Any]]] = {}
    for t, one in zip(times, options, strict=True):
        hours.setdefault(t.hour, []).append(one)
    groups = [(clock(times[0].replace(hour=h, minute=0)), opts) for h, opts in hours.items()]
    return grouped_select(Action.BOOKING_TIME, groups, initial=initial, placeholder="Choose a time")


def _free_for(form: Form) -> str:
    return "Times when you are all free on" if _people(form) else "Free times of"


def _people(form: Form) -> tuple[str, ...]:
    """The "With" people this form books with (only when you host)."""
    return form.draft.people if form.you_host else ()


def _with_select(form: Form) -> BlockDict:
    element: dict[str, Any] = {
        "type": "multi_users_select",
        "action_id": Action.BOOKING_WITH,
        "placeholder": {"type": "plain_text", "text": "Teammates (optional)"},
        "max_selected_items": limits.MAX_PEOPLE,
    }
    if form.draft.people:
        element["initial_users"] = list(form.draft.people)
    return input_block(
        Block.BOOKING_WITH,
        "With",
        element,
        dispatch=True,
        optional=True,
        hint="Teammates on Cal.com: the times become those when you are all free.",
    )


def chosen_people(view: dict[str, Any], owner: str) -> tuple[str, ...] | None:
    """The users chosen in "With" (without you), or None when Slack sent no state for it."""
    state = state_of(view, Block.BOOKING_WITH)
    if not state:
        return None
    users = next(iter(state.values())).get("selected_users") or []
    chosen: list[str] = []
    for user in users:
        if isinstance(user, str) and user != owner and user not in chosen:
            chosen.append(user)
    return tuple(chosen[: limits.MAX_PEOPLE])


def _no_times(form: Form) -> BlockDict:
    when = day_label(form.day)
    if form.next_free:
        return section(f"No free times on {when}. Next free day: *{day_label(form.next_free)}*.")
    return section(f"No free times on {when}, nor in the two weeks after.")


TAKEN = "That time was just taken. Here are the times still free."
TAKEN_AT_SUBMIT = "That time was just taken. Pick another."
NO_EMAIL = "Your Slack profile has no email address, and Cal.com invites by email."
YOU_UNLINKED = "You haven't connected Cal.com yet: run `/cal connect`, or choose a teammate."


def _notice(form: Form) -> str | None:
    """What stands above the form: a note, or why there is nothing to choose."""
    if form.problem is None:
        return form.notice
    if form.you_host and not isinstance(form.problem, PeopleMissing):
        return YOU_UNLINKED
    return error_text(form.problem)


def booking_form(form: Form) -> dict[str, Any]:
    draft = form.draft
    blocks: list[BlockDict] = []
    notice_text = _notice(form)
    if notice_text:
        blocks.append(section(f":warning: {notice_text}"))
    host = {"type": "users_select", "action_id": Action.BOOKING_HOST, "initial_user": draft.host}
    blocks.append(input_block(Block.BOOKING_HOST, "Host", host, dispatch=True))
    if form.you_host:
        blocks.append(_with_select(form))
    if form.types:
        options = [option(_type_label(t), str(t.id)) for t in form.types]
        initial = str(draft.event_type) if draft.event_type else None
        select = static_select(Action.BOOKING_TYPE, options, initial=initial)
        blocks.append(
            input_block(f"{Block.BOOKING_TYPE}.{draft.rev}", "Event type", select, dispatch=True)
        )
    elif not notice_text:
        blocks.append(section(f"<@{draft.host}> has no event types to book yet."))
    picker = {
        "type": "datepicker",
        "action_id": Action.BOOKING_DATE,
        "initial_date": form.day.isoformat(),
    }
    blocks.append(input_block(Block.BOOKING_DATE, "Date", picker, dispatch=True))
    if form.times:
        blocks.append(_time_select(form))
    elif form.types and form.problem is None:
        blocks.append(_no_times(form))
    if _people(form):
        blocks.append(context(f"Cal.com invites everyone chosen: {_mentions(_people(form))}."))
    elif form.you_host:
        blocks.append(
            input_block(
                Block.BOOKING_NAME,
                "Attendee name",
                text_input(Action.INPUT, initial=draft.guest.name, max_length=100),
            )
        )
        blocks.append(
            input_block(
                Block.BOOKING_EMAIL,
                "Attendee email",
                text_input(Action.INPUT, initial=draft.guest.email, max_length=254),
                hint="They get the invitation by email.",
            )
        )
    elif form.you:
        blocks.append(context(f"You are the attendee: {form.you}."))
    blocks.append(
        input_block(
            Block.BOOKING_NOTES,
            "Notes",
            text_input(Action.INPUT, multiline=True, max_length=1000),
            optional=True,
        )
    )
    return modal(
        View.BOOKING,
        TITLE,
        blocks,
        submit="Book",
        meta=draft.to_meta(),
        notify_on_close=True,
    )


def _mentions(user_ids: tuple[str, ...]) -> str:
    return ", ".join(f"<@{u}>" for u in user_ids)


def booking_pending() -> dict[str, Any]:
    """Shown when Cal.com takes longer than Slack lets a submission wait."""
    return notice(TITLE, ":hourglass_flowing_sand: Booking… this takes a moment longer.")


def booked(booking: Booking) -> dict[str, Any]:
    """A late success: the modal could not just close, so it says what happened."""
    return notice(
        "Booked", f":white_check_mark: Booked: {summary_lines(booking)}\nDetails are in your DMs."
    )


STILL_LOADING = "Times for this choice are still loading: try again in a moment."


@dataclass(frozen=True)
class Submitted:
    """A submission read back: the errors to show inline, or what to book."""

    errors: dict[str, str] = field(default_factory=dict)
    start: datetime | None = None
    name: str = ""
    email: str = ""
    notes: str = ""
    time_block: str = Block.BOOKING_DATE  # where a late "slot taken" goes


def read_submission(view: dict[str, Any], draft: Draft, caller: str) -> Submitted:
    """Check what can be checked without Cal.com, in the ack (Slack waits 3 s at most)."""
    errors: dict[str, str] = {}
    type_block = block_id_of(view, Block.BOOKING_TYPE)
    time_block = block_id_of(view, Block.BOOKING_TIME)
    host, chosen_type = picked(view, Block.BOOKING_HOST), picked(view, Block.BOOKING_TYPE)
    day = picked(view, Block.BOOKING_DATE)
    if host and host != draft.host:
        errors[Block.BOOKING_HOST] = STILL_LOADING
    elif type_block is None:  # nothing to book: the rest does not matter yet
        text = "Choose a host who has connected Cal.com and has event types."
        return Submitted({Block.BOOKING_HOST: text})
    elif chosen_type and chosen_type != str(draft.event_type):
        errors[type_block] = STILL_LOADING
    elif day and day != draft.day:
        errors[Block.BOOKING_DATE] = STILL_LOADING
    elif draft.host == caller and chosen_people(view, caller) not in (None, draft.people):
        errors[Block.BOOKING_WITH] = STILL_LOADING
    elif time_block is None:
        errors[Block.BOOKING_DATE] = "No free times on this day: pick another date."
    value = picked(view, Block.BOOKING_TIME)
    if time_block and not value and not errors:
        errors[time_block] = "Choose a time."
    name, email = "", ""
    if draft.host == caller and not draft.people:
        name = _or(picked(view, Block.BOOKING_NAME), draft.guest.name)
        email = _or(picked(view, Block.BOOKING_EMAIL), draft.guest.email)
        if not name:
            errors[Block.BOOKING_NAME] = "Who is the meeting with? A name, please."
        if not looks_like_email(email):
            errors[Block.BOOKING_EMAIL] = "That doesn't look like an email address."
    if errors or not value:
        return Submitted(errors)
    start = datetime.fromtimestamp(int(value), UTC).astimezone(ZoneInfo(draft.tz))
    notes = (picked(view, Block.BOOKING_NOTES) or "").strip()
    return Submitted({}, start, name, email, notes, time_block or Block.BOOKING_DATE)


def _or(entered: str | None, prefilled: str) -> str:
    """An input's value; its prefill when Slack sent no state for it (never touched)."""
    return (prefilled if entered is None else entered).strip()
