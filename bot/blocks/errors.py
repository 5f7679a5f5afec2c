"""How an error looks to the user: what happened and what to do, never a stack trace."""

from __future__ import annotations

from typing import Any

from bot.blocks.kit import actions, button, message, section
from bot.ids import FRESH, Action, Block


def error_message(
    text: str, *, connect: bool = False, reconnect: bool = False, invite: str | None = None
) -> dict[str, Any]:
    """The message for a failure; with a button when there is one obvious next step."""
    blocks = [section(f":warning: {text}")]
    if invite:
        blocks.append(
            actions(
                button("Invite them", Action.INVITE_TEAMMATE, value=invite, style="primary"),
                block_id=Block.ERROR_ACTIONS,
            )
        )
    elif reconnect:
        blocks.append(
            actions(
                button("Reconnect Cal.com", Action.CONNECT_START, value=FRESH, style="primary"),
                block_id=Block.ERROR_ACTIONS,
            )
        )
    elif connect:
        blocks.append(
            actions(
                button("Connect Cal.com", Action.CONNECT_START, style="primary"),
                block_id=Block.ERROR_ACTIONS,
            )
        )
    return message(text, blocks)
