"""The Cal.com webhook behind reminders: one per user with reminders on, so a booking made,
moved or cancelled within the hour has its reminder planned, moved or dropped as it
happens, not at the next hourly sync (bot/services/routines.py).

It is the mechanism of `/cal notify` (bot/services/subscriptions.py), kept apart: its
`subscriberUrl` is `PUBLIC_URL/calcom/webhooks/{token}` with its own token and secret, and
what it delivers only moves reminders (bot/notify/reminder_deliveries.py), never a post.
One per user, reused: Cal.com refuses a second webhook with the same URL (409), and two
would deliver everything twice. Without PUBLIC_URL Cal.com has nowhere to deliver; the
hourly sync and the check before each reminder then do the work alone.
"""

from __future__ import annotations

import contextlib
import logging
import secrets

from bot.calcom.errors import CalcomError, NotFound
from bot.models import Link
from bot.runtime import Runtime
from bot.services.subscriptions import SECRET_BYTES, TOKEN_BYTES, subscriber_url
from bot.store import routines as rows

log = logging.getLogger("calbot.routines")

# what moves a reminder: a new booking, a reschedule (also arriving as a request, or as
# the cancellation of its old half), a cancellation, a request and its rejection
TRIGGERS = [
    "BOOKING_CREATED",
    "BOOKING_RESCHEDULED",
    "BOOKING_CANCELLED",
    "BOOKING_REQUESTED",
    "BOOKING_REJECTED",
]


def can_listen(rt: Runtime) -> bool:
    """Whether Cal.com can reach calbot (PUBLIC_URL is set)."""
    return bool(rt.settings.public_url)


async def ensure(rt: Runtime, link: Link) -> bool:
    """Make sure Cal.com delivers `link`'s owner's booking events to calbot: the webhook
    they have (made active again, or made again if deleted at Cal.com), or a new one.
    False when it cannot (no PUBLIC_URL, or Cal.com said no: logged); reminders then
    rely on the hourly sync."""
    if not can_listen(rt):
        return False
    try:
        async with rt.lock("reminder-hook", link.team_id, link.user_id):
            existing = rows.hook(rt.store.db, link.team_id, link.user_id)
            if existing is None:
                await _create(rt, link)
            else:
                await _reactivate(rt, link, existing)
        return True
    except CalcomError as error:
        why = type(error).__name__
        log.warning("reminder webhook of %s/%s not made: %s", link.team_id, link.user_id, why)
        return False


async def remove(rt: Runtime, link: Link | None, team_id: str, user_id: str) -> bool:
    """Stop the deliveries (reminders off, or `/cal disconnect`): the webhook deleted where
    the connection still can, the row regardless. True when there was one."""
    async with rt.lock("reminder-hook", team_id, user_id):
        existing = rows.hook(rt.store.db, team_id, user_id)
        if existing is None:
            return False
        if link is not None:
            try:
                await _delete(rt, link, existing.webhook_id)
            except CalcomError as error:
                why = type(error).__name__
                log.warning("reminder webhook %s left at Cal.com: %s", existing.webhook_id, why)
        rows.delete_hook(rt.store.db, existing)
    log.info("reminder webhook of %s/%s removed", team_id, user_id)
    return True


async def _create(rt: Runtime, link: Link) -> None:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    secret = secrets.token_urlsafe(SECRET_BYTES)
    made = await rt.calcom.create_webhook(
        link.connection_id,
        subscriber_url=subscriber_url(rt, token),
        triggers=TRIGGERS,
        secret=secret,
    )
    hook = rows.Hook(link.team_id, link.user_id, token, made.id, secret)
    if not rows.save_hook(rt.store.db, hook, rt.clock().timestamp()):
        await _delete(rt, link, made.id)  # another process made theirs meanwhile: one stays
        return
    log.info("reminder webhook of %s/%s made", link.team_id, link.user_id)


async def _reactivate(rt: Runtime, link: Link, hook: rows.Hook) -> None:
    conn = link.connection_id
    try:
        await rt.calcom.update_webhook(conn, hook.webhook_id, triggers=TRIGGERS, active=True)
    except NotFound:  # deleted at Cal.com: again, at the same URL with the same secret
        made = await rt.calcom.create_webhook(
            conn,
            subscriber_url=subscriber_url(rt, hook.token),
            triggers=TRIGGERS,
            secret=hook.secret,
        )
        rows.set_hook_webhook(rt.store.db, hook, made.id)
        log.info("reminder webhook of %s/%s made again", link.team_id, link.user_id)


async def _delete(rt: Runtime, link: Link, webhook_id: str) -> None:
    with contextlib.suppress(NotFound):  # deleted at Cal.com already
        await rt.calcom.delete_webhook(link.connection_id, webhook_id)
