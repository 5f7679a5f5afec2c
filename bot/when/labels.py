"""The labels shown back to the user, so they can see which day and time were understood."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.when.values import MINUTES_PER_DAY, PARTS_OF_DAY, TimeOfDay

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DAY_NAMES_LONG = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)


def fmt_day(day: date, today: date, *, relative: bool = False) -> str:
    """ "Fri 28 Nov"; the year only when it is not this year."""
    text = f"{DAY_NAMES[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1]}"
    if day.year != today.year:
        text += f" {day.year}"
    if relative and day == today:
        return f"today ({text})"
    if relative and day == today + timedelta(days=1):
        return f"tomorrow ({text})"
    return text


def day_label(day: date, today: date) -> str:
    return fmt_day(day, today, relative=True)


def fmt_minutes(minutes: int) -> str:
    """ "3pm", "2:30pm", "noon", "12am" at midnight; 1440 reads as "midnight"."""
    if minutes == MINUTES_PER_DAY:
        return "midnight"
    if minutes == 12 * 60:
        return "noon"
    hour, minute = divmod(minutes, 60)
    meridiem = "am" if hour < 12 else "pm"
    hour12 = hour % 12 or 12
    return f"{hour12}:{minute:02d}{meridiem}" if minute else f"{hour12}{meridiem}"


def exact_label(day: date, start: datetime, today: date) -> str:
    """ "tomorrow at 3pm (Sat 28 Nov)", "Fri 4 Dec at 2:30pm"; the time as it really is."""
    at = fmt_minutes(start.hour * 60 + start.minute)
    when = fmt_day(day, today)
    if day == today:
        return f"today at {at} ({when})"
    if day == today + timedelta(days=1):
        return f"tomorrow at {at} ({when})"
    return f"{when} at {at}"


def span_label(day: date, clock: TimeOfDay, today: date) -> str:
    """ "this afternoon (Fri 27 Nov)", "tomorrow 2pm–4pm (Sat 28 Nov)", "Fri 4 Dec evening"."""
    when = fmt_day(day, today)
    if day == today:
        prefix = "this" if clock.name in PARTS_OF_DAY else "today"
        return f"{prefix} {clock.name} ({when})"
    if day == today + timedelta(days=1):
        return f"tomorrow {clock.name} ({when})"
    return f"{when} {clock.name}"
