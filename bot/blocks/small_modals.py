"""Small modals of the command flow: who to invite, and why a booking is cancelled or declined.

Built from the primitives in bot/blocks/viewkit.py, and read back with its `picked`.
"""

from __future__ import annotations

from typing import Any

from bot.blocks.kit import section
from bot.blocks.viewkit import input_block, modal, picked, text_input
from bot.ids import Action, Block, View

REASON_LENGTH = 500
NEED_REASON = "Say why, please."
NEED_NAME = "Who is it? A name, please."
BAD_EMAIL = "That doesn't look like an email address."


def guest_modal(what: str, meta: dict[str, Any]) -> dict[str, Any]:
    """Asked when you are the host and named no guest: who is the meeting with?"""
    blocks = [
        section(f"Who is {what} with? They get the invitation by email."),
        input_block(Block.GUEST_NAME, "Name", text_input(Action.INPUT, max_length=100)),
        input_block(
            Block.GUEST_EMAIL, "Email", {"type": "email_text_input", "action_id": Action.INPUT}
        ),
    ]
    return modal(View.GUEST, "Who's it with?", blocks, submit="Book", meta=meta)


def _reason(block_id: str, *, optional: bool = False) -> dict[str, Any]:
    """A reason the attendee sees (Cal.com puts it in its email)."""
    element = text_input(Action.INPUT, multiline=True, max_length=REASON_LENGTH)
    return input_block(block_id, "Reason (the attendee sees it)", element, optional=optional)


def cancel_modal(title: str, meta: dict[str, Any]) -> dict[str, Any]:
    """Cal.com asks hosts for a reason; the attendee sees it in the cancellation email."""
    blocks = [section(f"Cancel *{title}*?"), _reason(Block.CANCEL_REASON)]
    return modal(View.CANCEL_REASON, "Cancel booking", blocks, submit="Cancel booking", meta=meta)


def decline_modal(title: str, meta: dict[str, Any]) -> dict[str, Any]:
    """Declining a booking request (from a notification); the reason is optional."""
    blocks = [
        section(f"Decline the request for *{title}*?"),
        _reason(Block.DECLINE_REASON, optional=True),
    ]
    return modal(View.DECLINE_REASON, "Decline request", blocks, submit="Decline", meta=meta)


def submitted_value(view: dict[str, Any], block_id: str) -> str:
    """A plain or email input's value from a view_submission, stripped ('' when empty)."""
    return (picked(view, block_id) or "").strip()
