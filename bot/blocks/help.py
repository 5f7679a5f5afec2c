"""The help message: the `/cal` grammar with examples, and a "did you mean" for typos."""

from __future__ import annotations

from typing import Any

from bot.blocks.kit import context, divider, header, message, section
from bot.grammar import HELP_EXAMPLES
from bot.ids import Block


def help_message(*, unknown: str | None = None, suggestion: str | None = None) -> dict[str, Any]:
    blocks = []
    if unknown is not None:
        hint = f" Did you mean `/cal {suggestion}`?" if suggestion else ""
        blocks.append(section(f":thinking_face: I don't know `/cal {unknown}`.{hint}"))
    blocks.append(header("calbot: Cal.com in Slack"))
    lines = [f"`{command}`  {description}" for command, description in HELP_EXAMPLES]
    blocks.append(section("\n".join(lines), block_id=Block.HELP_EXAMPLES))
    blocks.append(divider())
    blocks.append(
        context(
            "Times are read in your Slack time zone: _tomorrow_, _fri afternoon_, "
            "_next week_, _dec 5 3pm_. Replies are visible only to you."
        )
    )
    fallback = f"I don't know /cal {unknown}." if unknown is not None else "calbot help"
    return message(fallback, blocks)
