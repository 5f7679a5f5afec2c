"""Event types in messages: `/cal types`, "which one did you mean?", and "none matched"."""

from __future__ import annotations

from typing import Any

from bot.blocks.kit import actions, button, context, message, section
from bot.calcom.models import EventType
from bot.ids import Action

BOOKER_URL = "https://cal.com"


def booking_link(username: str | None, event_type: EventType) -> str:
    return f"{BOOKER_URL}/{username}/{event_type.slug}" if username else ""


def type_list(
    types: list[EventType], *, owner_name: str | None, username: str | None, host_user_id: str
) -> dict[str, Any]:
    """Each visible event type with its length, booking link and a Book button.

    `owner_name` is None for the caller's own types."""
    visible = [t for t in types if not t.hidden]
    heading = "Your event types" if owner_name is None else f"Event types of {owner_name}"
    blocks = [section(f"*{heading}*")]
    if not visible:
        blocks.append(section("No public event types yet."))
    for event_type in visible[:40]:
        link = booking_link(username, event_type)
        line = f"*{event_type.title}* · {event_type.length} min · `{event_type.slug}`"
        if link:
            line += f"\n<{link}|{link.removeprefix('https://')}>"
        blocks.append(
            section(
                line,
                accessory=button(
                    "Book",
                    f"{Action.BOOK_TYPE}:{event_type.id}",
                    value=f"{host_user_id}:{event_type.id}",
                ),
            )
        )
    blocks.append(context("Book one here, or share its link."))
    return message(heading, blocks)


def choose_type(intent_id: str, query: str, candidates: list[EventType]) -> dict[str, Any]:
    lead = f"“{query}” matches {len(candidates)} event types." if query else "Book which one?"
    blocks = [
        section(f"{lead} Which one?" if query else lead),
        actions(
            *(
                button(
                    f"{t.title} ({t.length} min)",
                    f"{Action.CHOOSE_TYPE}:{t.id}",
                    value=f"{intent_id}:{t.id}",
                )
                for t in candidates[:25]
            )
        ),
    ]
    return message(f"Which event type did you mean by {query}?" if query else "Which one?", blocks)


def no_such_type(query: str, types: list[EventType]) -> dict[str, Any]:
    visible = [t for t in types if not t.hidden]
    listing = "\n".join(f"• *{t.title}* · {t.length} min · `{t.slug}`" for t in visible[:25])
    text = f"No event type matches “{query}”." if query else "Nothing to book."
    body = f"{text} These exist:\n{listing}" if listing else f"{text} There are none yet."
    return message(text, [section(body), context("Name one by slug, title or length: `30min`.")])
