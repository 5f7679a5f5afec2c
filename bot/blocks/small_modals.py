"""Small modals of the command flow: who to invite, and why a booking is cancelled."""

from __future__ import annotations

import json
from typing import Any

from bot.blocks.kit import plain, section
from bot.blocks.limits import PRIVATE_METADATA
from bot.ids import Block, View


def _input(
    block_id: str, label: str, element: dict[str, Any], *, optional: bool = False
) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, 2000),
        "element": element,
        "optional": optional,
    }


def _modal(
    callback_id: str, title: str, submit: str, blocks: list[dict[str, Any]], meta: dict[str, Any]
) -> dict[str, Any]:
    metadata = json.dumps(meta)
    if len(metadata) > PRIVATE_METADATA:
        raise ValueError("private_metadata too long")
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, 24),
        "submit": plain(submit, 24),
        "close": plain("Cancel", 24),
        "private_metadata": metadata,
        "blocks": blocks,
    }


def guest_modal(what: str, meta: dict[str, Any]) -> dict[str, Any]:
    """Asked when you are the host and named no guest: who is the meeting with?"""
    blocks = [
        section(f"Who is {what} with? They get the invitation by email."),
        _input(
            Block.GUEST_NAME,
            "Name",
            {"type": "plain_text_input", "action_id": "value", "max_length": 100},
        ),
        _input(
            Block.GUEST_EMAIL,
            "Email",
            {"type": "email_text_input", "action_id": "value"},
        ),
    ]
    return _modal(View.GUEST, "Who's it with?", "Book", blocks, meta)


def cancel_modal(title: str, meta: dict[str, Any]) -> dict[str, Any]:
    """Cal.com asks hosts for a reason; the attendee sees it in the cancellation email."""
    blocks = [
        section(f"Cancel *{title}*?"),
        _input(
            Block.CANCEL_REASON,
            "Reason (the attendee sees it)",
            {
                "type": "plain_text_input",
                "action_id": "value",
                "multiline": True,
                "max_length": 500,
            },
        ),
    ]
    return _modal(View.CANCEL_REASON, "Cancel booking", "Cancel booking", blocks, meta)


def decline_modal(title: str, meta: dict[str, Any]) -> dict[str, Any]:
    """Declining a booking request (from a notification); the reason is optional."""
    blocks = [
        section(f"Decline the request for *{title}*?"),
        _input(
            Block.DECLINE_REASON,
            "Reason (the attendee sees it)",
            {
                "type": "plain_text_input",
                "action_id": "value",
                "multiline": True,
                "max_length": 500,
            },
            optional=True,
        ),
    ]
    return _modal(View.DECLINE_REASON, "Decline request", "Decline", blocks, meta)


def submitted_value(view: dict[str, Any], block_id: str) -> str:
    """A plain or email input's value from a view_submission, stripped ('' when empty)."""
    state = view.get("state", {}).get("values", {}).get(block_id, {})
    value = next(iter(state.values()), {}).get("value") if state else None
    return (value or "").strip()
