"""A pasted booking link as a card: the event type, its length, the owner, their next free
times as buttons for whoever reads it, and "More times".

Everyone in the channel sees the same card, so times in text are Slack date tokens (each
reader's own zone); button labels cannot hold tokens, so they read in the owner's zone,
with its abbreviation.
"""

from __future__ import annotations

from typing import Any

from bot.blocks.kit import actions, button, context, section, truncate
from bot.blocks.timefmt import day_and_clock, slack_date
from bot.ids import Action
from bot.models import LinkCard


def card_value(card: LinkCard, epoch: int | None = None) -> str:
    """What a card's button carries: ids only; the reader's authority comes from Slack."""
    base = f"{card.owner_user_id}:{card.event_type.id}"
    return base if epoch is None else f"{base}:{epoch}"


def link_card(card: LinkCard) -> dict[str, Any]:
    """The unfurl of one link (`chat.unfurl`'s value for its URL)."""
    et = card.event_type
    lines = [
        f"*<{card.url}|{truncate(et.title, 200)}>* · {et.length} min · <@{card.owner_user_id}>"
    ]
    if et.description:
        lines.append(truncate(et.description, 300))
    blocks = [section("\n".join(lines))]
    if card.times:
        tokens = " · ".join(slack_date(t, "{date_short_pretty} {time}") for t in card.times)
        blocks.append(context(f"Next free: {tokens}"))
        buttons = [
            button(
                f"{day_and_clock(t)} {t:%Z}".strip(),
                f"{Action.UNFURL_SLOT}:{n}",
                value=card_value(card, int(t.timestamp())),
            )
            for n, t in enumerate(card.times)
        ]
    else:
        blocks.append(context("No free times in the next two weeks."))
        buttons = []
    buttons.append(button("More times", Action.UNFURL_MORE, value=card_value(card)))
    blocks.append(actions(*buttons, block_id=f"unfurl:{card.owner_user_id}:{et.id}"))
    return {"blocks": blocks}


def unfurls(cards: list[LinkCard]) -> dict[str, dict[str, Any]]:
    """`chat.unfurl`'s `unfurls` argument: each URL as Slack sent it, to its card."""
    return {card.url: link_card(card) for card in cards}
