"""Posting a notification once, as far as Slack lets a bot check.

chat.postMessage has no idempotency key: a worker that dies after Slack accepted a post
and before the row was marked sent leaves a row that the next worker, after the lease,
posts again. So every notification carries Slack message metadata naming its outbox row
(`marker`), and before posting a row that was tried before (a crash, a timeout, a 5xx that
Slack may have acted on) the worker reads the channel's recent history for that marker
(`earlier_post`). Found: the row is marked sent with that message, nothing is posted.

What remains: reading history needs `channels:history` / `groups:history` / `im:history`,
which calbot does not ask for (they let a bot read every message in its channels). In a
workspace that granted them the window is closed; elsewhere Slack answers `missing_scope`
and the row is posted again, as before. A DM subscription is checked only once a post
there told calbot the DM's channel id.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.models import Subscription
from bot.runtime import Runtime
from bot.store.notifications import OutboxRow

log = logging.getLogger("calbot.notify")

MARKER = "calbot_notification"
HISTORY_PAGE = 200
SLACK_CLOCK_SKEW = 60.0  # seconds: look a little before the row was received


def marker(row: OutboxRow) -> dict[str, Any]:
    """The message metadata that names `row` (visible to apps that read history)."""
    return {"event_type": MARKER, "event_payload": {"row": row.id, "key": row.dedupe_key[:32]}}


def _conversation(rt: Runtime, sub: Subscription) -> str | None:
    """The channel id history is read from: the target, or for a DM (a user id) the
    DM channel an earlier post reported."""
    if not sub.target.startswith(("U", "W")):
        return sub.target
    found = rt.store.db.execute(
        "select channel from outbox where token = ? and channel like 'D%' order by id desc limit 1",
        [sub.token],
    ).fetchone()
    return found[0] if found else None


def _is_ours(message: dict[str, Any], row: OutboxRow) -> bool:
    metadata = message.get("metadata")
    if not isinstance(metadata, dict) or metadata.get("event_type") != MARKER:
        return False
    payload = metadata.get("event_payload")
    return isinstance(payload, dict) and payload == marker(row)["event_payload"]


async def earlier_post(rt: Runtime, sub: Subscription, row: OutboxRow) -> tuple[str, str] | None:
    """(channel, ts) of the message an earlier attempt at `row` already posted, if Slack
    shows one; None when none was found or history cannot be read."""
    if row.attempts <= 1:
        return None  # the first attempt: nothing can have been posted
    channel = _conversation(rt, sub)
    if channel is None:
        return None
    try:
        response = await rt.slack_client(sub.team_id).conversations_history(
            channel=channel,
            oldest=f"{row.received_at - SLACK_CLOCK_SKEW:.6f}",
            limit=HISTORY_PAGE,
            include_all_metadata=True,
        )
    except SlackApiError as error:  # missing_scope where history was not granted
        log.info("row %s: earlier posts not checked (%s)", row.id, error.response.get("error"))
        return None
    except Exception as error:  # network, not installed: posting again is the old behaviour
        log.info("row %s: earlier posts not checked (%s)", row.id, type(error).__name__)
        return None
    for message in response.get("messages") or []:
        if isinstance(message, dict) and _is_ours(message, row) and message.get("ts"):
            return channel, str(message["ts"])
    return None
