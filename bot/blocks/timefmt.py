"""How times read in Slack.

Anything shown to more than one person uses Slack's date token, so each reader sees
their own zone; the fallback text (notifications, old clients) is in the author's zone.
"""

from __future__ import annotations

from datetime import date, datetime


def day_label(day: date | datetime) -> str:
    """Thu 26 Nov"""
    return f"{day:%a} {day.day} {day:%b}"


def clock(when: datetime) -> str:
    """3:00 PM"""
    return f"{when.hour % 12 or 12}:{when:%M} {'AM' if when.hour < 12 else 'PM'}"


def day_and_clock(when: datetime) -> str:
    """Thu 26 Nov, 3:00 PM (in `when`'s own zone)"""
    return f"{day_label(when)}, {clock(when)}"


def slack_date(when: datetime, fmt: str = "{date_short_pretty} at {time}") -> str:
    """Slack's date token: every reader sees `when` in their own zone."""
    fallback = f"{day_and_clock(when)} {when:%Z}".strip()
    return f"<!date^{int(when.timestamp())}^{fmt}|{fallback}>"
