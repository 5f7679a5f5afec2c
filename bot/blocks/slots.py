"""The slot picker: free times as buttons, grouped by day, with Earlier/Later by page."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot.blocks.kit import actions, button, confirm_dialog, context, message, section
from bot.blocks.timefmt import clock, day_and_clock, day_label
from bot.ids import Action, Block

SLOT_TAKEN = "That time was just taken. Here are the times still free that day."


def _what(title: str, host_name: str | None) -> str:
    return f"*{title}*" + (f" with {host_name}" if host_name else "")


def picker(
    *,
    intent_id: str,
    title: str,
    host_name: str | None,
    tz: str,
    days: dict[date, list[datetime]],
    earlier: str | None,
    later: str | None,
    later_day: date | None = None,
    note: str | None = None,
    empty_label: str | None = None,
) -> dict[str, Any]:
    """One page of free times. `days` holds at most 25 times in all (one button each).

    `earlier` and `later` are the pages' cursors (bot/services/paging.py), opaque here;
    `later_day` is the day Later leads to, named when this page is empty."""
    blocks = []
    if note:
        blocks.append(section(note))
    blocks.append(section(f":calendar: Pick a time for {_what(title, host_name)}"))
    for day, times in days.items():
        blocks.append(section(f"*{day_label(day)}*"))
        blocks.append(
            actions(
                *(
                    button(clock(t), f"{Action.PICK_SLOT}:{int(t.timestamp())}", value=intent_id)
                    for t in times
                ),
                block_id=f"day_{day.isoformat()}",
            )
        )
    if not days:
        where = empty_label or "then"
        nxt = f" The next free day is {day_label(later_day)}." if later_day else ""
        blocks.append(section(f"No free times {where}.{nxt}"))
    nav = []
    if earlier:
        nav.append(
            button("← Earlier", f"{Action.SLOTS_PAGE}:earlier", value=f"{intent_id}:{earlier}")
        )
    if later:
        label = f"Show {day_label(later_day)}" if not days and later_day else "Later →"
        nav.append(button(label, f"{Action.SLOTS_PAGE}:later", value=f"{intent_id}:{later}"))
    if nav:
        blocks.append(actions(*nav, block_id=Block.SLOTS_NAV))
    blocks.append(context(f"Times in your zone, {tz}. Click one to book it."))
    return message(f"Pick a time for {title}", blocks)


def exact_offer(
    *, intent_id: str, title: str, host_name: str | None, start: datetime, length: int
) -> dict[str, Any]:
    """A free exact time: one button, with Slack's confirm dialog."""
    label = day_and_clock(start)
    blocks = [
        section(f":calendar: {label} is free for {_what(title, host_name)} ({length} min)."),
        actions(
            button(
                f"Book {label}",
                Action.BOOK_EXACT,
                value=f"{intent_id}:{int(start.timestamp())}",
                style="primary",
                confirm=confirm_dialog(
                    "Book this time?", f"{title}, {label}.", "Book it", deny="Not now"
                ),
            )
        ),
    ]
    return message(f"{label} is free", blocks)
