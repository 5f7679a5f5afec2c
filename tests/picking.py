"""Helpers of the booking tests: reading a slot picker and pressing its buttons as Slack does."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from tests.helpers import Bot

NY = ZoneInfo("America/New_York")
THU = [f"{h % 12 or 12}:{m:02d} {'AM' if h < 12 else 'PM'}" for h in range(9, 17) for m in (0, 30)]


def slot_buttons(payload: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        e
        for b in payload["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"].startswith("pick_slot:")
    ]


def slot_at(payload: dict[str, Any], day: str, label: str) -> dict[str, Any]:
    """The slot button labelled `label` ("11:00 AM") under the day `day` ("2026-11-26")."""
    block = next(b for b in payload["blocks"] if b.get("block_id") == f"day_{day}")
    return next(e for e in block["elements"] if e["text"]["text"] == label)


def button(payload: dict[str, Any], action_id: str) -> dict[str, Any]:
    return next(
        e
        for b in payload["blocks"]
        for e in (b.get("elements") or [b.get("accessory") or {}])
        if e.get("action_id") == action_id
    )


def press(bot: Bot, element: dict[str, Any], user: str = "U1") -> dict[str, Any]:
    return bot.slack.reply(
        bot.slack.click(element["action_id"], value=element.get("value"), user=user)
    )
