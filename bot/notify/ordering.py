"""Out-of-order deliveries: the channel ends up telling the truth whatever the order.

Cal.com sends each change of a booking as its own delivery, retried independently, so
they can arrive in any order and many seconds apart. The outbox already holds every
delivery a subscription received, so the latest known fact about a booking uid is one
query away. Two rules, checked just before a post:

- `superseded`: a post that a later fact already contradicts is skipped. A booking whose
  uid was rescheduled away (a row with `rescheduled_from` = this uid) no longer happens at
  this time; a booking cancelled or declined (any BOOKING_CANCELLED or BOOKING_REJECTED row
  for this uid) is not "new", "requested" or "rescheduled" any more, whatever came later.
  So CREATED after CANCELLED, and reschedules A→B then B→C delivered C first, leave the
  channel with the last word.
- `correct_earlier`: a reschedule that arrives after its booking's old half was posted
  as "Cancelled" (the cancellation's grace period was over) edits that message to say
  where the booking went, so the channel does not keep a false "Cancelled". It runs after
  the reschedule is marked sent, so it is best effort: an edit that fails (Slack's refusal,
  the network, a timeout) is one warning and the next edit is still tried; nothing here
  changes the sent row.

Queries filter on the subscription's token (indexed) and scan its rows, which the worker
prunes after a week.
"""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
import sqlite_utils
from slack_sdk.errors import SlackClientError

from bot.blocks.notifications import moved_message
from bot.models import BookingEvent, Subscription
from bot.notify import events
from bot.runtime import Runtime

log = logging.getLogger("calbot.notify")

# kinds a later cancellation or rejection of the same uid makes untrue
_STALE_WHEN_ENDED = frozenset({"created", "requested", "rescheduled"})
# kinds a reschedule away from the same uid makes untrue
_STALE_WHEN_MOVED = frozenset({"created", "requested", "rescheduled", "reschedule_asked"})
# the partial index outbox_endings's condition, word for word: SQLite uses a partial index
# only for a query whose WHERE repeats it (with literals, not bound values)
_ENDINGS = "trigger_event in ('BOOKING_CANCELLED', 'BOOKING_REJECTED')"
# an edit that did not happen: Slack's answer or slack_sdk's own error, the workspace gone
# (LookupError), or the network: refused, reset, timed out (OSError, TimeoutError), or
# closed unanswered (aiohttp's ServerDisconnectedError and ClientPayloadError: no OSError)
_EDIT_FAILED = (SlackClientError, LookupError, OSError, aiohttp.ClientError)


def superseded(
    db: sqlite_utils.Database, token: str, row_id: int, event: BookingEvent
) -> str | None:
    """Why `event` (outbox row `row_id`) must not be posted; None when it may."""
    if not event.uid:
        return None
    if event.kind in _STALE_WHEN_MOVED:
        moved = db.execute(
            "select 1 from outbox where token = ? and rescheduled_from = ? and id != ? limit 1",
            [token, event.uid, row_id],
        ).fetchone()
        if moved:
            return "superseded: the booking was rescheduled again"
    if event.kind in _STALE_WHEN_ENDED:
        ended = db.execute(
            f"select 1 from outbox where token = ? and booking_uid = ? and id != ? "
            f"and {_ENDINGS} limit 1",
            [token, event.uid, row_id],
        ).fetchone()
        if ended:
            return "superseded: the booking was cancelled or declined"
    return None


def _posted_cancellations(
    db: sqlite_utils.Database, token: str, uid: str
) -> list[tuple[int, str, str, dict[str, Any]]]:
    rows = db.execute(
        f"select id, channel, message_ts, body from outbox where token = ? and booking_uid = ? "
        f"and {_ENDINGS} and trigger_event = 'BOOKING_CANCELLED' and status = 'sent' "
        f"and message_ts is not null",
        [token, uid],
    ).fetchall()
    return [(r[0], r[1], r[2], events.read_stored(r[3])) for r in rows]


async def correct_earlier(
    rt: Runtime, sub: Subscription, event: BookingEvent, old_uid: str | None
) -> int:
    """After posting a reschedule of `old_uid`: edit that booking's "Cancelled" post, if
    one went out, into "Rescheduled" with both times. Returns how many were edited."""
    if event.kind != "rescheduled" or not old_uid:
        return 0
    edited = 0
    for row_id, channel, ts, body in _posted_cancellations(rt.store.db, sub.token, old_uid):
        old = events.normalise(body)
        if old.kind != "cancelled":
            continue
        try:
            client = rt.slack_client(sub.team_id)
            await client.chat_update(channel=channel, ts=ts, **moved_message(old, event))
        except _EDIT_FAILED as error:
            log.warning("could not correct row %s's cancellation: %s", row_id, type(error).__name__)
            continue
        except Exception:  # a bug: said loudly, but the reschedule was posted all the same
            log.exception("could not correct row %s's cancellation", row_id)
            continue
        edited += 1
        log.info("row %s: its cancellation was a reschedule, message edited", row_id)
    return edited
