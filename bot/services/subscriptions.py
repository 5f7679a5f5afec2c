"""Subscribing a channel (or your DMs) to your booking events, each through its own webhook.

Every subscription gets its own Cal.com webhook, user-level or on one event type, whose
`subscriberUrl` is `PUBLIC_URL/calcom/webhooks/{token}`: Cal.com refuses a second webhook
with the same URL (409), and a token per subscription tells the endpoint whose secret
checks the signature and where the message goes. Token (192 bits) and secret (32 random
bytes) come from `secrets`, and both live only in SQLite and at Cal.com.

Subscribing the same place to the same scope again changes the existing webhook's
triggers instead of adding a second one, even when both commands arrive at once.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
from collections.abc import Iterable

from bot.calcom.errors import CalcomError, NotFound
from bot.calcom.models import EventType
from bot.models import Link, Subscription
from bot.notify import events
from bot.runtime import Runtime
from bot.services import event_types
from bot.services.errors import NoPublicUrl, NoSuchSubscription
from bot.store import notifications as tables

log = logging.getLogger("calbot.subscriptions")

TOKEN_BYTES = 24
SECRET_BYTES = 32
WEBHOOK_PATH = "/calcom/webhooks/"


def require_public_url(rt: Runtime) -> str:
    if not rt.settings.public_url:
        raise NoPublicUrl()
    return rt.settings.public_url


def subscriber_url(rt: Runtime, token: str) -> str:
    return f"{require_public_url(rt)}{WEBHOOK_PATH}{token}"


async def subscribe(
    rt: Runtime,
    link: Link,
    channel_id: str | None,
    type_query: str | None,
    triggers: Iterable[str],
) -> tuple[Subscription, bool]:
    """Subscribe `channel_id` (None: the owner's DM); the subscription, and whether it
    replaced the triggers of one that existed.

    Looking for an existing subscription and creating one are a few awaits apart, so two
    quick `/cal notify #sales` would both find none: the owner's lock serialises them in
    this process, and the unique index catches a second process (its webhook is deleted
    and the one subscription updated instead)."""
    require_public_url(rt)
    chosen = tuple(triggers)
    event_type = await event_types.resolve(rt, link, type_query) if type_query else None
    et_id = event_type.id if event_type else None
    async with rt.lock("subscriptions", link.team_id, link.user_id):
        existing = _existing(rt, link, channel_id, et_id)
        if existing is None:
            sub = await _create(rt, link, channel_id, event_type, chosen)
            if sub is not None:
                return sub, False
            existing = _existing(rt, link, channel_id, et_id)
            if existing is None:
                raise RuntimeError("subscription conflict without a subscription")
        return await _update(rt, link, existing, chosen), True


def _existing(
    rt: Runtime, link: Link, channel_id: str | None, et_id: int | None
) -> Subscription | None:
    """The owner's subscription to the same place and scope, if any."""
    subs = tables.subscriptions_to(rt.store.db, link.team_id, link.user_id, channel_id)
    return next((s for s in subs if s.event_type_id == et_id), None)


async def _update(
    rt: Runtime, link: Link, existing: Subscription, chosen: tuple[str, ...]
) -> Subscription:
    webhook_id = await _retarget(rt, link, existing, events.calcom_triggers(chosen))
    tables.update_subscription(rt.store.db, existing.id, triggers=chosen, webhook_id=webhook_id)
    updated = tables.subscription_by_id(rt.store.db, existing.id)
    assert updated is not None
    return updated


async def _create(
    rt: Runtime,
    link: Link,
    channel_id: str | None,
    event_type: EventType | None,
    chosen: tuple[str, ...],
) -> Subscription | None:
    """A new subscription and its webhook; None (and no webhook) if another process
    subscribed the same place and scope meanwhile."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    secret = secrets.token_urlsafe(SECRET_BYTES)
    et_id = event_type.id if event_type else None
    wanted = events.calcom_triggers(chosen)
    webhook_id = await _create_webhook(rt, link, token, secret, et_id, wanted)
    try:
        sub = tables.insert_subscription(
            rt.store.db,
            token=token,
            team_id=link.team_id,
            user_id=link.user_id,
            channel_id=channel_id,
            event_type_id=et_id,
            event_type_title=event_type.title if event_type else None,
            triggers=chosen,
            webhook_id=webhook_id,
            secret=secret,
            created_at=rt.clock().isoformat(timespec="seconds"),
        )
    except Exception:
        await _delete_webhook(rt, link, et_id, webhook_id)
        raise
    if sub is None:
        await _delete_webhook(rt, link, et_id, webhook_id)
        log.info("%s/%s subscribed there from elsewhere meanwhile", link.team_id, link.user_id)
        return None
    log.info("subscription %s: %s/%s -> %s", sub.id, link.team_id, link.user_id, sub.target)
    return sub


def subscriptions_of(rt: Runtime, team_id: str, user_id: str) -> list[Subscription]:
    return tables.subscriptions_of(rt.store.db, team_id, user_id)


async def unsubscribe(
    rt: Runtime, link: Link | None, team_id: str, user_id: str, channel_id: str | None
) -> int:
    """Stop the owner's notifications to `channel_id` (None: DMs); how many stopped."""
    # not while a subscribe there is half done
    async with rt.lock("subscriptions", team_id, user_id):
        subs = tables.subscriptions_to(rt.store.db, team_id, user_id, channel_id)
        for sub in subs:
            await _remove(rt, link, sub)
    return len(subs)


async def unsubscribe_one(rt: Runtime, link: Link | None, sub_id: int) -> Subscription:
    """One subscription, by id, if `link`'s owner owns it."""
    sub = tables.subscription_by_id(rt.store.db, sub_id)
    if sub is None or link is None or (sub.team_id, sub.user_id) != (link.team_id, link.user_id):
        raise NoSuchSubscription()
    await _remove(rt, link, sub)
    return sub


async def remove_all(rt: Runtime, link: Link) -> int:
    """Every subscription of `link`'s owner, for `/cal disconnect`: webhooks deleted where
    the gateway lets us, rows deleted regardless (the link is going away)."""
    subs = tables.subscriptions_of(rt.store.db, link.team_id, link.user_id)
    for sub in subs:
        try:
            await _delete_webhook(rt, link, sub.event_type_id, sub.webhook_id)
        except CalcomError as error:
            log.warning("webhook %s of %s left at Cal.com: %s", sub.webhook_id, sub.id, error)
        tables.delete_subscription(rt.store.db, sub)
    return len(subs)


async def _remove(rt: Runtime, link: Link | None, sub: Subscription) -> None:
    if link is not None:
        await _delete_webhook(rt, link, sub.event_type_id, sub.webhook_id)
    tables.delete_subscription(rt.store.db, sub)
    log.info("subscription %s removed", sub.id)


async def _create_webhook(
    rt: Runtime, link: Link, token: str, secret: str, et_id: int | None, triggers: list[str]
) -> str:
    url = subscriber_url(rt, token)
    conn = link.connection_id
    if et_id is None:
        hook = await rt.calcom.create_webhook(
            conn, subscriber_url=url, triggers=triggers, secret=secret
        )
    else:
        hook = await rt.calcom.create_event_type_webhook(
            conn, et_id, subscriber_url=url, triggers=triggers, secret=secret
        )
    return hook.id


async def _retarget(rt: Runtime, link: Link, sub: Subscription, triggers: list[str]) -> str:
    """New triggers on the subscription's webhook; a new webhook if it was deleted at Cal.com."""
    conn = link.connection_id
    try:
        if sub.event_type_id is None:
            await rt.calcom.update_webhook(conn, sub.webhook_id, triggers=triggers, active=True)
        else:
            await rt.calcom.update_event_type_webhook(
                conn, sub.event_type_id, sub.webhook_id, triggers=triggers, active=True
            )
        return sub.webhook_id
    except NotFound:
        return await _create_webhook(rt, link, sub.token, sub.secret, sub.event_type_id, triggers)


async def _delete_webhook(rt: Runtime, link: Link, et_id: int | None, webhook_id: str) -> None:
    with contextlib.suppress(NotFound):  # deleted at Cal.com already: nothing to undo
        if et_id is None:
            await rt.calcom.delete_webhook(link.connection_id, webhook_id)
        else:
            await rt.calcom.delete_event_type_webhook(link.connection_id, et_id, webhook_id)
