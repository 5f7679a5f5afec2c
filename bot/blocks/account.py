"""Messages about the user's Cal.com link: connect, status, profile overview, disconnect."""

from __future__ import annotations

from typing import Any

from bot.blocks.kit import actions, button, confirm_dialog, context, message, section
from bot.ids import FRESH, Action, Block
from bot.models import Link


def connect_prompt(url: str, *, again: bool = False) -> dict[str, Any]:
    """The OAuth link as a button, and a button to press once it is done."""
    intro = (
        "That connection isn't finished yet. Open the link, approve access to Cal.com, "
        "then press *Done*."
        if again
        else "Connect your Cal.com account: open the link, approve access, then press *Done*. "
        "You do this once; the bot then books with your account."
    )
    blocks = [
        section(f":link: {intro}"),
        actions(
            button("Connect Cal.com", Action.CONNECT_OPEN, url=url, style="primary"),
            button("Done", Action.CONNECT_DONE),
            block_id=Block.CONNECT_ACTIONS,
        ),
    ]
    return message("Connect your Cal.com account", blocks)


def _who(link: Link) -> str:
    name = link.name or link.username or "your account"
    username = f" (`{link.username}`)" if link.username else ""
    return f"*{name}*{username}"


def linked(link: Link, *, newly: bool) -> dict[str, Any]:
    lead = ":white_check_mark: Connected" if newly else "You're already connected"
    text = f"{lead} to Cal.com as {_who(link)}, {link.email or 'no email'}."
    blocks = [
        section(text),
        context("Try `/cal book 30min tomorrow`, `/cal types`, or `/cal me`."),
    ]
    return message(f"Connected to Cal.com as {link.username or link.email}", blocks)


def status(link: Link | None) -> dict[str, Any]:
    if link is None:
        return message(
            "Not connected",
            [
                section("You haven't connected Cal.com yet."),
                actions(button("Connect Cal.com", Action.CONNECT_START, style="primary")),
            ],
        )
    if not link.active:
        return message(
            "Connection not finished",
            [
                section("You started connecting Cal.com but haven't approved access yet."),
                actions(button("Start again", Action.CONNECT_START, value=FRESH)),
            ],
        )
    zone = link.time_zone or "unknown"
    return message(
        f"Connected as {link.username}",
        [
            section(
                f":white_check_mark: Connected to Cal.com as {_who(link)}, {link.email}; "
                f"zone {zone}."
            )
        ],
    )


def disconnect_confirm(link: Link) -> dict[str, Any]:
    blocks = [
        section(
            f"Disconnect Cal.com account {_who(link)}? The bot will no longer see or book "
            "with it, and your booking notifications stop."
        ),
        actions(
            button(
                "Disconnect",
                Action.DISCONNECT_CONFIRM,
                style="danger",
                confirm=confirm_dialog(
                    "Disconnect Cal.com?", "You can connect again any time.", "Disconnect"
                ),
            ),
            button("Keep it", Action.DISCONNECT_CANCEL),
            block_id=Block.DISCONNECT_ACTIONS,
        ),
    ]
    return message("Disconnect Cal.com?", blocks)


def disconnected(was_linked: bool) -> dict[str, Any]:
    text = (
        "Disconnected. Your Cal.com account is no longer linked; `/cal connect` links it again."
        if was_linked
        else "There was nothing to disconnect."
    )
    return message(text, [section(text)])


def plain_notice(text: str) -> dict[str, Any]:
    return message(text, [section(text)])


def invitation(inviter_id: str) -> dict[str, Any]:
    """The DM an unlinked teammate gets when someone wants to book time with them."""
    text = (
        f"<@{inviter_id}> wants to book time with you through calbot. "
        "Connect your Cal.com account once and teammates can book you from Slack."
    )
    return message(
        "Connect Cal.com so teammates can book you",
        [
            section(f":wave: {text}"),
            actions(button("Connect Cal.com", Action.CONNECT_START, style="primary")),
        ],
    )


def invited(teammate_id: str) -> dict[str, Any]:
    """What the inviter sees once the invitation is on its way."""
    text = f"Invited <@{teammate_id}> to connect Cal.com. Try again once they have."
    return message(text, [section(f":envelope: {text}")])
