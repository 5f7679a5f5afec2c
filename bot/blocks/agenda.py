"""Your day in Slack: the agenda (on demand and the daily DM), reminders, and their words."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.blocks import limits
from bot.blocks.bookings import booking_buttons, row_block_id, summary_lines
from bot.blocks.kit import actions, button, context, message, section
from bot.blocks.timefmt import day_label
from bot.calcom.models import Booking
from bot.ids import Action, Block
from bot.models import DayAgenda, Routine

# a heading, two blocks a booking, one line saying what was left out
SHOWN = (limits.MESSAGE_BLOCKS - 2) // 2
_TITLES = {"today": "Today", "tomorrow": "Tomorrow", "week": "This week"}
_EMPTY = {"today": "today", "tomorrow": "tomorrow", "week": "in the next 7 days"}


def _span(agenda: DayAgenda) -> str:
    if agenda.window == "week":
        last = agenda.end.fromtimestamp(agenda.end.timestamp() - 1, agenda.end.tzinfo)
        return f"{day_label(agenda.start)} – {day_label(last)}"
    return day_label(agenda.start)


def _rows(bookings: tuple[Booking, ...] | list[Booking]) -> list[dict[str, Any]]:
    blocks = []
    for booking in bookings:
        blocks.append(section(summary_lines(booking)))
        buttons = booking_buttons(booking)
        if buttons:
            blocks.append(actions(*buttons, block_id=row_block_id(booking.uid)))
    return blocks


def agenda_message(agenda: DayAgenda, *, lead: str | None = None) -> dict[str, Any]:
    """The bookings of the window, each with Join / Reschedule / Cancel; when there are
    none, says so and shows the next booking."""
    title = _TITLES.get(agenda.window, agenda.window.title())
    heading = f"*{lead or title}* · {_span(agenda)}"
    count = len(agenda.bookings)
    if count:
        heading += f" · {count} booking{'s' if count != 1 else ''}"
    blocks = [section(heading)]
    if not agenda.bookings:
        blocks.append(section(f"Nothing booked {_EMPTY.get(agenda.window, 'then')}."))
        if agenda.next_booking is not None:
            blocks.append(section(f"Your next booking:\n{summary_lines(agenda.next_booking)}"))
            buttons = booking_buttons(agenda.next_booking)
            if buttons:
                blocks.append(actions(*buttons, block_id=row_block_id(agenda.next_booking.uid)))
        else:
            blocks.append(context("No upcoming bookings."))
        return message(f"{title}: nothing booked", blocks)
    blocks += _rows(agenda.bookings[:SHOWN])
    if count > SHOWN:
        blocks.append(context(f"…and {count - SHOWN} more: `/cal bookings` lists them all."))
    return message(f"{title}: {count} booking{'s' if count != 1 else ''}", blocks)


def daily_agenda(agenda: DayAgenda) -> dict[str, Any]:
    """The weekday morning DM (only sent when the day has bookings)."""
    payload = agenda_message(agenda, lead="Your day")
    payload["blocks"].append(context("Daily agenda · `/cal agenda daily off` to stop"))
    payload["blocks"] = payload["blocks"][: limits.MESSAGE_BLOCKS]
    return payload


def starts_in(start: datetime, now: datetime) -> str:
    """ "Starting in 5 minutes", "Starting now", "Started 3 minutes ago" (late after downtime)."""
    seconds = (start - now).total_seconds()
    minutes = round(abs(seconds) / 60)
    unit = "minute" if minutes == 1 else "minutes"
    if minutes == 0:
        return "Starting now"
    return f"Starting in {minutes} {unit}" if seconds > 0 else f"Started {minutes} {unit} ago"


def reminder(
    *,
    title: str,
    start: datetime,
    now: datetime,
    join_url: str | None,
    location: str | None,
    uid: str,
) -> dict[str, Any]:
    """ "Starting in 5 minutes: Intro call with Jane", with Join when there is a link."""
    lead = starts_in(start, now)
    lines = [f":alarm_clock: {lead}: *{title}*"]
    if location and not join_url:
        lines.append(f"Where: {location}")
    blocks = [section("\n".join(lines))]
    if join_url:
        blocks.append(
            actions(
                button("Join", Action.JOIN_MEETING, url=join_url, style="primary"),
                block_id=row_block_id(uid),
            )
        )
    blocks.append(context("Reminder · `/cal remind off` to stop"))
    return message(f"{lead}: {title}", blocks)


def minute_label(minute: int) -> str:
    """510 -> "8:30"."""
    return f"{minute // 60}:{minute % 60:02d}"


def daily_set(routine: Routine) -> dict[str, Any]:
    if routine.agenda_minute is None:
        return message("Daily agenda off", [section("Daily agenda is off.")])
    at = minute_label(routine.agenda_minute)
    text = (
        f":spiral_calendar_pad: Your agenda comes by DM at *{at}* on weekdays, in your Slack "
        f"time zone (now {routine.time_zone}), on days with bookings."
    )
    return message(f"Daily agenda at {at}", [section(text)])


def remind_set(routine: Routine, covered: int = 0, *, live: bool = True) -> dict[str, Any]:
    """`live`: Cal.com tells calbot of new, moved and cancelled bookings as they happen;
    else (no PUBLIC_URL) they are found within the hour, so say so."""
    if routine.remind_minutes is None:
        return message("Reminders off", [section("Reminders are off.")])
    n = routine.remind_minutes
    text = f":alarm_clock: I'll DM you {n} minute{'s' if n != 1 else ''} before each booking."
    if covered:
        text += f" ({covered} coming up soon: planned.)"
    if not live:
        text += (
            "\nBookings made or moved from now on are picked up within the hour, as Cal.com "
            "cannot tell calbot at once here: a booking made or moved less than an hour "
            "ahead may get its reminder late."
        )
    return message(f"Reminders {n} minutes before", [section(text)])


def home_toggle(routine: Routine | None, default_minute: int) -> dict[str, Any]:
    """The App Home's daily agenda line, with a button turning it on or off."""
    minute = routine.agenda_minute if routine else None
    if minute is None:
        text = "*Daily agenda* is off."
        toggle = button(
            f"Turn on at {minute_label(default_minute)}", Action.HOME_AGENDA, value="on"
        )
    else:
        text = f"*Daily agenda* by DM at {minute_label(minute)} on weekdays."
        toggle = button("Turn off", Action.HOME_AGENDA, value="off")
    return section(text, accessory=toggle, block_id=Block.HOME_AGENDA)


def with_home_toggle(
    view: dict[str, Any], routine: Routine | None, default_minute: int
) -> dict[str, Any]:
    """The Home view with the daily agenda line under its actions (within 100 blocks)."""
    blocks = list(view.get("blocks") or [])
    at = next(
        (i + 1 for i, b in enumerate(blocks) if b.get("block_id") == Block.HOME_ACTIONS),
        len(blocks),
    )
    blocks.insert(at, home_toggle(routine, default_minute))
    return {**view, "blocks": blocks[: limits.VIEW_BLOCKS]}
