"""Modals to manage Cal.com from Slack: an event type, the working hours, the profile; and
reading their submissions back, checking what can be checked without Cal.com. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.blocks.kit import BlockDict, actions, button, confirm_dialog, context, divider, section
from bot.blocks.viewkit import (
    initial_many,
    initial_of,
    input_block,
    meta_of,
    modal,
    notice,
    option,
    picked,
    picked_many,
    state_of,
    text_input,
)
from bot.blocks.zones import is_zone, zone_select
from bot.calcom.models import WEEKDAYS, EventType, Me, Schedule
from bot.ids import Action, Block, View

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
MAX_LENGTH = 720  # minutes; Cal.com allows more, nobody books 12-hour meetings from Slack
LONG_TEXT = 3000  # the most a plain_text_input holds: a longer description is left alone


def slugify(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:64]


# ------------------------------------------------------------------------ event types


def event_type_modal(event_type: EventType | None, username: str | None) -> dict[str, Any]:
    """Create (None) or edit one event type; editing also offers Delete, behind a confirm."""
    et = event_type
    hidden_option = option("Hidden: not listed on your booking page", "hidden")
    hidden: dict[str, Any] = {
        "type": "checkboxes",
        "action_id": Action.INPUT,
        "options": [hidden_option],
    }
    if et and et.hidden:
        hidden["initial_options"] = [hidden_option]
    length = {
        "type": "number_input",
        "action_id": Action.INPUT,
        "is_decimal_allowed": False,
        "min_value": "1",
        "max_value": str(MAX_LENGTH),
        "initial_value": str(et.length if et else 30),
    }
    where = f"cal.com/{username}/<slug>" if username else "the end of the booking link"
    blocks: list[BlockDict] = [
        input_block(
            Block.TYPE_TITLE,
            "Title",
            text_input(Action.INPUT, initial=et and et.title, max_length=128),
        ),
        input_block(
            Block.TYPE_SLUG,
            "Slug",
            text_input(Action.INPUT, initial=et and et.slug, max_length=64),
            optional=True,
            hint=f"Your booking link is {where}. Empty: made from the title.",
        ),
        input_block(Block.TYPE_LENGTH, "Length in minutes", length),
        _description(et),
        input_block(Block.TYPE_HIDDEN, "Visibility", hidden, optional=True),
    ]
    if et:
        confirm = confirm_dialog(
            "Delete this event type?",
            f"*{et.title}* goes away for good; bookings already made stay.",
            "Delete",
        )
        delete = button(
            "Delete event type",
            Action.DELETE_EVENT_TYPE,
            value=str(et.id),
            style="danger",
            confirm=confirm,
        )
        blocks += [divider(), actions(delete, block_id=Block.TYPE_DELETE)]
    # Only the id travels: the fields as shown are in the view's blocks (a description can
    # be as long as private_metadata's whole 3000 characters).
    meta = {"id": et.id if et else None}
    title, submit = ("Edit event type", "Save") if et else ("New event type", "Create")
    return modal(View.EVENT_TYPE, title, blocks, submit=submit, meta=meta)


def _description(et: EventType | None) -> BlockDict:
    """The description input; a note instead when it is too long to edit here whole."""
    description = et.description if et else None
    if description and len(description) > LONG_TEXT:
        return context(
            f"The description ({len(description)} characters) is longer than Slack can edit: "
            "change it in Cal.com. Saving here keeps it as it is."
        )
    element = text_input(Action.INPUT, initial=description, multiline=True, max_length=LONG_TEXT)
    return input_block(Block.TYPE_DESCRIPTION, "Description", element, optional=True)


@dataclass(frozen=True)
class EventTypeInput:
    event_type_id: int | None  # None: a new one
    title: str = ""
    slug: str = ""
    length: int = 0
    description: str = ""
    hidden: bool = False
    errors: dict[str, str] = field(default_factory=dict)
    changed: frozenset[str] = frozenset()  # fields that differ from what the modal showed

    def fields(self) -> dict[str, Any]:
        """What to send Cal.com: every field for a new event type, only the changed ones
        for an edit (so a field the modal could not show whole is never cut)."""
        every = {
            "title": self.title,
            "slug": self.slug,
            "length": self.length,
            "description": self.description,
            "hidden": self.hidden,
        }
        if self.event_type_id is None:
            return every
        return {name: value for name, value in every.items() if name in self.changed}


def read_event_type(view: dict[str, Any], taken: set[str]) -> EventTypeInput:
    """The submitted fields; `taken`: slugs of the user's other event types, as cached.
    A field Slack sent no state for keeps what the modal showed."""
    errors: dict[str, str] = {}

    def shown(block_id: str) -> str:
        return (initial_of(view, block_id) or "").strip()

    def entered(block_id: str) -> str:
        value = picked(view, block_id)
        return shown(block_id) if value is None else value.strip()

    title = entered(Block.TYPE_TITLE)
    slug = entered(Block.TYPE_SLUG).lower() or slugify(title)
    raw_length = entered(Block.TYPE_LENGTH)
    if not title:
        errors[Block.TYPE_TITLE] = "A title, please."
    if not SLUG.match(slug):
        errors[Block.TYPE_SLUG] = "Use lowercase letters, digits and dashes, like `intro-call`."
    elif slug in taken:
        errors[Block.TYPE_SLUG] = f"You already have an event type with the slug `{slug}`."
    length = int(raw_length) if raw_length.isdigit() else 0
    if not 1 <= length <= MAX_LENGTH:
        errors[Block.TYPE_LENGTH] = f"A whole number of minutes, 1 to {MAX_LENGTH}."
    was_hidden = "hidden" in initial_many(view, Block.TYPE_HIDDEN)
    if state_of(view, Block.TYPE_HIDDEN):
        hidden = "hidden" in picked_many(view, Block.TYPE_HIDDEN)
    else:
        hidden = was_hidden
    description = entered(Block.TYPE_DESCRIPTION)
    before = {
        "title": shown(Block.TYPE_TITLE),
        "slug": shown(Block.TYPE_SLUG),
        "length": shown(Block.TYPE_LENGTH),
        "description": shown(Block.TYPE_DESCRIPTION),
        "hidden": was_hidden,
    }
    now = {
        "title": title,
        "slug": slug,
        "length": str(length),
        "description": description,
        "hidden": hidden,
    }
    changed = frozenset(name for name in now if now[name] != before[name])
    event_type_id = meta_of(view).get("id")
    return EventTypeInput(event_type_id, title, slug, length, description, hidden, errors, changed)


# ------------------------------------------------------------------------ working hours


def _hours(schedule: Schedule | None) -> dict[str, list[str] | None]:
    """Per weekday: [start, end] or None (off). Several ranges a day: first start, last end."""
    hours: dict[str, list[str] | None] = dict.fromkeys(WEEKDAYS)
    if schedule is None:
        return {d: ["09:00", "17:00"] if i < 5 else None for i, d in enumerate(WEEKDAYS)}
    for item in schedule.availability:
        end = "23:59" if item.end_time >= "24:00" else item.end_time
        for day in item.days:
            now = hours[day]
            hours[day] = (
                [min(now[0], item.start_time), max(now[1], end)]
                if now
                else [
                    item.start_time,
                    end,
                ]
            )
    return hours


def _day_row(day: str, hours: list[str] | None) -> BlockDict:
    on = option(day, day)
    box: dict[str, Any] = {"type": "checkboxes", "action_id": f"{Action.SCHEDULE_DAY}.on"}
    box["options"] = [on]
    if hours:
        box["initial_options"] = [on]
    start, end = hours or ["09:00", "17:00"]
    return actions(
        box,
        {"type": "timepicker", "action_id": f"{Action.SCHEDULE_DAY}.start", "initial_time": start},
        {"type": "timepicker", "action_id": f"{Action.SCHEDULE_DAY}.end", "initial_time": end},
        block_id=f"{Block.SCHEDULE_DAY}.{day}",
    )


def schedule_modal(schedule: Schedule | None, tz: str) -> dict[str, Any]:
    """The default schedule's weekly hours, a row a weekday: on/off, start, end; its zone."""
    hours = _hours(schedule)
    intro = (
        f"Your default working hours (*{schedule.name}*): tick the days you take meetings."
        if schedule
        else "You have no working hours yet. Saving creates them."
    )
    several = schedule and any(
        len([a for a in schedule.availability if d in a.days]) > 1 for d in WEEKDAYS
    )
    blocks: list[BlockDict] = [section(intro), *(_day_row(d, hours[d]) for d in WEEKDAYS)]
    zone = schedule.time_zone if schedule else tz
    blocks.append(input_block(Block.SCHEDULE_ZONE, "Time zone", zone_select(Action.INPUT, zone)))
    notes = ["Date overrides stay as they are."]
    if several:
        notes.insert(0, "Days with a break show one range; saving keeps one range a day.")
    blocks.append(context(" ".join(notes)))
    # the schedule's id travels too, so saving need not look the default schedule up again
    meta = {"hours": hours, "tz": zone, "schedule": schedule.id if schedule else None}
    return modal(View.SCHEDULE, "Working hours", blocks, submit="Save", meta=meta)


@dataclass(frozen=True)
class HoursInput:
    hours: dict[str, tuple[str, str]]  # the days on, with their start and end
    tz: str
    errors: dict[str, str] = field(default_factory=dict)
    schedule_id: int | None = None  # the default schedule shown; None: there was none


def read_schedule(view: dict[str, Any]) -> HoursInput:
    """Untouched rows keep their initial values (Slack may leave them out of the state)."""
    meta = meta_of(view)
    before: dict[str, list[str] | None] = meta.get("hours") or {}
    hours: dict[str, tuple[str, str]] = {}
    problems = []
    for day in WEEKDAYS:
        row = state_of(view, f"{Block.SCHEDULE_DAY}.{day}")
        was = before.get(day)
        box = row.get(f"{Action.SCHEDULE_DAY}.on")
        on = bool(box.get("selected_options")) if box is not None else was is not None
        start = (row.get(f"{Action.SCHEDULE_DAY}.start") or {}).get("selected_time")
        end = (row.get(f"{Action.SCHEDULE_DAY}.end") or {}).get("selected_time")
        start = start or (was or ["09:00", "17:00"])[0]
        end = end or (was or ["09:00", "17:00"])[1]
        if not on:
            continue
        if not (TIME.match(start) and TIME.match(end)) or end <= start:
            problems.append(f"{day}: the end must come after the start.")
        hours[day] = (start, end)
    tz = picked(view, Block.SCHEDULE_ZONE) or str(meta.get("tz") or "UTC")
    errors = {}
    if problems:  # only input blocks take inline errors: the zone select carries them
        errors[Block.SCHEDULE_ZONE] = " ".join(problems)
    elif not is_zone(tz):
        errors[Block.SCHEDULE_ZONE] = "Choose a time zone from the list."
    schedule_id = meta.get("schedule")
    return HoursInput(hours, tz, errors, schedule_id if isinstance(schedule_id, int) else None)


# ------------------------------------------------------------------------------ profile


def _bio(me: Me) -> BlockDict:
    """The bio input; a note instead when it is too long to edit here whole."""
    if me.bio and len(me.bio) > LONG_TEXT:
        return context(
            f"Your bio ({len(me.bio)} characters) is longer than Slack can edit: "
            "change it in Cal.com. Saving here keeps it as it is."
        )
    element = text_input(Action.INPUT, initial=me.bio, multiline=True, max_length=LONG_TEXT)
    hint = "Shown on your booking page."
    return input_block(Block.PROFILE_BIO, "About you", element, optional=True, hint=hint)


def profile_modal(me: Me) -> dict[str, Any]:
    """Name, bio and zone; what they were is read back from the blocks, not the metadata."""
    blocks: list[BlockDict] = [
        input_block(
            Block.PROFILE_NAME, "Name", text_input(Action.INPUT, initial=me.name, max_length=100)
        ),
        _bio(me),
        input_block(Block.PROFILE_ZONE, "Time zone", zone_select(Action.INPUT, me.time_zone)),
        context(
            f"Signed in to Cal.com as `{me.username}` ({me.email}). "
            "Changing your time zone moves your default working hours with it."
        ),
    ]
    return modal(View.PROFILE, "Your profile", blocks, submit="Save")


@dataclass(frozen=True)
class ProfileInput:
    name: str
    bio: str
    tz: str
    errors: dict[str, str] = field(default_factory=dict)
    changed: frozenset[str] = frozenset()  # of name, bio, time_zone

    def fields(self) -> dict[str, str]:
        """Only what changed, so a bio the modal could not show whole is never cut."""
        every = {"name": self.name, "bio": self.bio, "time_zone": self.tz}
        return {key: value for key, value in every.items() if key in self.changed}


def read_profile(view: dict[str, Any]) -> ProfileInput:
    def shown(block_id: str) -> str:
        return (initial_of(view, block_id) or "").strip()

    def entered(block_id: str) -> str:
        value = picked(view, block_id)
        return shown(block_id) if value is None else value.strip()

    name, bio = entered(Block.PROFILE_NAME), entered(Block.PROFILE_BIO)
    tz = entered(Block.PROFILE_ZONE)  # empty when Cal.com's zone was not one Slack could show
    errors = {}
    if not name:
        errors[Block.PROFILE_NAME] = "Your name, please."
    if not is_zone(tz):
        errors[Block.PROFILE_ZONE] = "Choose a time zone from the list."
    now = {"name": name, "bio": bio, "time_zone": tz}
    before = {
        "name": shown(Block.PROFILE_NAME),
        "bio": shown(Block.PROFILE_BIO),
        "time_zone": shown(Block.PROFILE_ZONE),
    }
    changed = frozenset(key for key in now if now[key] != before[key])
    return ProfileInput(name, bio, tz, errors, changed)


# ------------------------------------------------------------------------------ results


def saved(title: str, text: str) -> dict[str, Any]:
    """What a settings modal turns into when Cal.com answered after Slack stopped waiting."""
    return notice(title, f":white_check_mark: {text}")
