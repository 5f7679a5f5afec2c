"""Confirming or declining a booking request from its notification.

The buttons carry only the outbox row id. Who may press them is decided here from what
the server holds: the row names its subscription, the subscription its owner, and only
the owner may act, through their own connection, and only if Cal.com names them the
booking's host (bot/services/authority.py, the check every booking action makes).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.models import BookingEvent, Subscription
from bot.notify import events
from bot.runtime import Runtime
from bot.services import authority
from bot.services.errors import NotTheHost, RequestGone
from bot.store import notifications as tables
from bot.store.notifications import OutboxRow

log = logging.getLogger("calbot.approvals")


@dataclass(frozen=True)
class BookingRequest:
    row: OutboxRow
    sub: Subscription
    event: BookingEvent


def load(rt: Runtime, team_id: str, user_id: str, ref: int) -> BookingRequest:
    """The request behind a notification's buttons, if `user_id` is its host."""
    row = tables.outbox_row(rt.store.db, ref)
    sub = tables.subscription_by_token(rt.store.db, row.token) if row else None
    if row is None or sub is None or sub.team_id != team_id:
        raise RequestGone()
    if sub.user_id != user_id:
        raise NotTheHost(sub.user_id)
    event = events.normalise(events.read_stored(row.body))
    if not event.needs_confirmation or not event.uid:
        raise RequestGone()
    return BookingRequest(row, sub, event)


async def confirm(rt: Runtime, team_id: str, user_id: str, ref: int) -> BookingRequest:
    request = load(rt, team_id, user_id, ref)
    link, _ = await authority.hosted_booking(rt, team_id, user_id, request.event.uid)
    await rt.calcom.confirm_booking(link.connection_id, request.event.uid)
    log.info("booking %s confirmed from Slack", request.event.uid)
    return request


async def decline(
    rt: Runtime, team_id: str, user_id: str, ref: int, reason: str | None
) -> BookingRequest:
    request = load(rt, team_id, user_id, ref)
    link, _ = await authority.hosted_booking(rt, team_id, user_id, request.event.uid)
    await rt.calcom.decline_booking(link.connection_id, request.event.uid, reason or None)
    log.info("booking %s declined from Slack", request.event.uid)
    return request
