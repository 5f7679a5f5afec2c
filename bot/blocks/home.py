"""The App Home tab: a scheduling dashboard, or a call to connect Cal.com. Pure.

At most 100 blocks: the fixed parts and the next 10 bookings always fit; event types and
notification subscriptions share what is left, and a line says how many did not fit.
"""

from __future__ import annotations

from typing import Any

from bot.blocks import limits
from bot.blocks.bookings import booking_buttons, summary_lines
from bot.blocks.event_types import booking_link
from bot.blocks.kit import BlockDict, actions, button, context, divider, header, section
from bot.blocks.notifications import target_label
from bot.blocks.profile import working_hours_text
from bot.blocks.viewkit import notice
from bot.calcom.models import EventType
from bot.ids import FRESH, Action, Block
from bot.models import Dashboard

SUBSCRIPTION_BLOCKS = 10  # kept for notifications; event types get the rest


def _home(blocks: list[BlockDict]) -> dict[str, Any]:
    return {"type": "home", "blocks": blocks[: limits.VIEW_BLOCKS]}


def unlinked(url: str | None = None) -> dict[str, Any]:
    """Not connected: what calbot does, and the one button that starts it."""
    blocks = [
        header("Cal.com in Slack"),
        section(
            "Book meetings with anyone, see what's coming up, and manage your event types "
            "and working hours, all from here. Connect your Cal.com account once to start."
        ),
    ]
    if url:
        blocks.append(section("Open the link, approve access to Cal.com, then press *Done*."))
        blocks.append(
            actions(
                button("Connect Cal.com", Action.CONNECT_OPEN, url=url, style="primary"),
                button("Done", Action.HOME_REFRESH),
                block_id=Block.HOME_ACTIONS,
            )
        )
    else:
        blocks.append(
            actions(
                button("Connect Cal.com", Action.HOME_CONNECT, style="primary"),
                block_id=Block.HOME_ACTIONS,
            )
        )
    blocks.append(context("Or type `/cal connect` anywhere."))
    return _home(blocks)


def problem(text: str, *, reconnect: bool = False) -> dict[str, Any]:
    """The dashboard could not load: why, and the next step."""
    if reconnect:
        again = button("Reconnect Cal.com", Action.HOME_CONNECT, value=FRESH, style="primary")
    else:
        again = button("Try again", Action.HOME_REFRESH)
    return _home(
        [
            header("Your scheduling"),
            section(f":warning: {text}"),
            actions(again, block_id=Block.HOME_ACTIONS),
        ]
    )


def _profile(board: Dashboard) -> BlockDict:
    me = board.profile
    line = f"*{me.display_name}* (`{me.username}`) · {me.email} · {me.time_zone}"
    if me.bio:
        line += f"\n{me.bio}"
    return section(line, accessory=button("Edit profile", Action.EDIT_PROFILE))


def _bookings(board: Dashboard) -> list[BlockDict]:
    blocks = [section("*Upcoming bookings*")]
    if not board.upcoming:
        blocks.append(context("Nothing booked yet."))
    for booking in board.upcoming:
        blocks.append(section(summary_lines(booking)))
        buttons = booking_buttons(booking)
        if buttons:
            blocks.append(actions(*buttons, block_id=f"booking_{booking.uid}"[:255]))
    return blocks


def _type(board: Dashboard, event_type: EventType) -> list[BlockDict]:
    link = booking_link(board.profile.username, event_type)
    line = f"*{event_type.title}* · {event_type.length} min · `{event_type.slug}`"
    if event_type.hidden:
        line += " · hidden"
    elements = [
        button("Book", Action.OPEN_BOOKING, value=str(event_type.id)),
        button("Edit", Action.EDIT_EVENT_TYPE, value=str(event_type.id)),
    ]
    if link:
        elements.append(button("Copy link", Action.COPY_LINK, value=str(event_type.id)))
    return [section(line), actions(*elements, block_id=f"{Block.HOME_TYPES}_{event_type.id}")]


def _subscription(sub: Any) -> BlockDict:
    what = f"*{sub.event_type_title}*" if sub.event_type_title else "all your event types"
    line = f"{target_label(sub)}: {what}"
    if sub.broken:
        line += " · :warning: not delivered"
    return section(line, accessory=button("Turn off", Action.HOME_NOTIFY_OFF, value=str(sub.id)))


def dashboard(board: Dashboard) -> dict[str, Any]:
    """Profile, upcoming bookings, event types, working hours, notifications."""
    top = [
        header("Your scheduling"),
        _profile(board),
        actions(
            button("Book a meeting", Action.OPEN_BOOKING, style="primary"),
            block_id=Block.HOME_ACTIONS,
        ),
        divider(),
        *_bookings(board),
        divider(),
        section("*Event types*", accessory=button("New event type", Action.NEW_EVENT_TYPE)),
    ]
    hours = [
        divider(),
        section(
            f"*Working hours*\n{working_hours_text(board.schedule)}",
            accessory=button("Edit", Action.EDIT_SCHEDULE),
        ),
        divider(),
        section("*Booking notifications*"),
    ]
    subs = [_subscription(s) for s in board.subscriptions]
    if not subs:
        subs = [context("None yet. `/cal notify #channel` posts your bookings to a channel.")]
    fixed = len(top) + len(hours)
    room = limits.VIEW_BLOCKS - fixed - min(len(subs), SUBSCRIPTION_BLOCKS) - 2  # 2: "more"
    types: list[BlockDict] = []
    for event_type in board.types:
        if len(types) + 2 > room:
            break
        types += _type(board, event_type)
    if not board.types:
        types.append(context("No event types yet."))
    elif len(types) // 2 < len(board.types):
        types.append(context(f"{len(board.types) - len(types) // 2} more in Cal.com."))
    left = limits.VIEW_BLOCKS - fixed - len(types) - 1
    if len(subs) > left:
        subs = [*subs[:left], context(f"{len(subs) - left} more: `/cal notify list`.")]
    return _home([*top, *types, *hours, *subs])


def booking_link_view(event_type: EventType, url: str) -> dict[str, Any]:
    """Slack cannot write to the clipboard: the link, selectable, and a button to open it."""
    return notice(
        "Booking link",
        f"*{event_type.title}*\n`{url}`",
        extra=[
            actions(button("Open", Action.OPEN_LINK, url=url)),
            context("Select the link to copy it, or share it as it is."),
        ],
    )
