"""The handful of Block Kit primitives every surface uses, each respecting Slack's limits."""

from __future__ import annotations

from typing import Any

from bot.blocks import limits

BlockDict = dict[str, Any]  # one block as JSON; block ids are the enum `bot.ids.Block`


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plain(text: str, limit: int = limits.SECTION_TEXT) -> dict[str, Any]:
    return {"type": "plain_text", "text": truncate(text, limit), "emoji": True}


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": truncate(text, limits.SECTION_TEXT)}


def section(
    text: str, *, accessory: dict[str, Any] | None = None, block_id: str | None = None
) -> BlockDict:
    block: BlockDict = {"type": "section", "text": mrkdwn(text)}
    if accessory:
        block["accessory"] = accessory
    if block_id:
        block["block_id"] = block_id
    return block


def fields_section(pairs: list[tuple[str, str]]) -> BlockDict:
    return {
        "type": "section",
        "fields": [mrkdwn(truncate(f"*{k}*\n{v}", limits.FIELD_TEXT)) for k, v in pairs[:10]],
    }


def header(text: str) -> BlockDict:
    return {"type": "header", "text": plain(text, limits.HEADER_TEXT)}


def context(*texts: str) -> BlockDict:
    return {"type": "context", "elements": [mrkdwn(t) for t in texts[: limits.CONTEXT_ELEMENTS]]}


def divider() -> BlockDict:
    return {"type": "divider"}


def button(
    text: str,
    action_id: str,
    *,
    value: str | None = None,
    url: str | None = None,
    style: str | None = None,
    confirm: dict[str, Any] | None = None,
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "text": plain(text, limits.BUTTON_TEXT),
        "action_id": action_id,
    }
    if value is not None:
        element["value"] = value[: limits.BUTTON_VALUE]
    if url:
        element["url"] = url
    if style:
        element["style"] = style
    if confirm:
        element["confirm"] = confirm
    return element


def confirm_dialog(title: str, text: str, confirm: str, deny: str = "Cancel") -> dict[str, Any]:
    return {
        "title": plain(title, 100),
        "text": mrkdwn(truncate(text, 300)),
        "confirm": plain(confirm, 30),
        "deny": plain(deny, 30),
        "style": "danger",
    }


def actions(*elements: dict[str, Any], block_id: str | None = None) -> BlockDict:
    block: BlockDict = {"type": "actions", "elements": list(elements[: limits.ACTIONS_ELEMENTS])}
    if block_id:
        block["block_id"] = block_id
    return block


def message(text: str, blocks: list[BlockDict]) -> dict[str, Any]:
    """A message payload: `text` is the notification fallback, blocks capped at Slack's 50."""
    return {"text": truncate(text, 3000), "blocks": blocks[: limits.MESSAGE_BLOCKS]}
