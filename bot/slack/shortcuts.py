"""Shortcuts: "Book a meeting" (global) and "Schedule with this user" (on a message).

Both open the booking modal. On a message, its author is prefilled: as the host when
they have linked Cal.com (you attend), else as your guest (you host).
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.ids import Shortcut
from bot.runtime import Runtime
from bot.slack.context import Turn, handoff
from bot.slack.modals import open_booking


async def book_meeting(turn: Turn, body: dict[str, Any]) -> None:
    await open_booking(turn.rt, turn.client, turn.caller)


async def schedule_with_author(turn: Turn, body: dict[str, Any]) -> None:
    message = body.get("message") or {}
    author = None if message.get("bot_id") else message.get("user")
    await open_booking(turn.rt, turn.client, turn.caller, author=author)


def register(app: AsyncApp, rt: Runtime) -> None:
    app.shortcut(Shortcut.BOOK_MEETING)(handoff(rt, book_meeting))
    app.shortcut(Shortcut.SCHEDULE_WITH_AUTHOR)(handoff(rt, schedule_with_author))
