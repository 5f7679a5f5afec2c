"""Linking a Slack user to their Cal.com account through a Maton connection.

The link moves PENDING → ACTIVE when the user completes OAuth at Maton's URL. We never
get a callback for that, so every later touch (the "I've connected" button, or any
command) asks the control plane once while the link is still pending.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import Any

from bot.calcom.errors import ConnectionExpired, Forbidden, NotConnected, NotFound
from bot.calcom.models import Me
from bot.models import AccountOverview, Link
from bot.runtime import Runtime
from bot.services import subscriptions
from bot.services.errors import LinkPending, NotLinked

log = logging.getLogger("calbot.accounts")


@dataclass(frozen=True)
class Pending:
    """The user must open `url` and approve access."""

    url: str


@dataclass(frozen=True)
class Linked:
    link: Link
    newly: bool  # True when this call finished the linking


async def connect(
    rt: Runtime, team_id: str, user_id: str, *, fresh: bool = False
) -> Pending | Linked:
    """Start linking, or report the link that exists. `fresh` replaces an expired connection."""
    async with rt.lock("connect", team_id, user_id):  # a double click makes one connection
        return await _connect(rt, team_id, user_id, fresh=fresh)


async def _connect(rt: Runtime, team_id: str, user_id: str, *, fresh: bool) -> Pending | Linked:
    link = rt.store.get_link(team_id, user_id)
    if link and not fresh:
        checked, url = await _check(rt, link)
        if checked and checked.active and (not link.active or await _still_works(rt, link)):
            return Linked(checked, newly=not link.active)
        if checked and url:
            return Pending(url)
    if link:
        await _forget_connection(rt, link.connection_id)
    connection = await rt.connections.create()
    rt.store.save_link(
        Link(
            team_id=team_id,
            user_id=user_id,
            connection_id=connection.connection_id,
            status="PENDING",
        )
    )
    log.info("connection created for %s/%s", team_id, user_id)
    return Pending(connection.url or "")


async def _still_works(rt: Runtime, link: Link) -> bool:
    """Whether an ACTIVE link's OAuth token still works (Maton keeps saying ACTIVE after
    it expires), so `/cal connect` can replace a dead connection instead of praising it."""
    try:
        rt.profiles.put(link.connection_id, await rt.calcom.me(link.connection_id))
    except (ConnectionExpired, NotConnected):
        return False
    return True


def active_link(
    team_id: str, user_id: str, connection_id: str, me: Me, created_at: str | None = None
) -> Link:
    """The link of a connection whose OAuth is done, filled from its Cal.com profile (the
    username saves a `/v2/me` before listing event types; the zone is the default)."""
    return Link(
        team_id=team_id,
        user_id=user_id,
        connection_id=connection_id,
        status="ACTIVE",
        calcom_user_id=me.id,
        username=me.username,
        email=me.email,
        name=me.name,
        time_zone=me.time_zone,
        created_at=created_at,
    )


async def _check(rt: Runtime, link: Link) -> tuple[Link | None, str | None]:
    """The link brought up to date, and the OAuth URL while it is still pending.

    None when Maton no longer knows the connection (deleted there): the link is dropped.
    """
    if link.active:
        return link, None
    try:
        connection = await rt.connections.get(link.connection_id)
    except NotFound:
        rt.store.delete_link(link.team_id, link.user_id)
        return None, None
    if connection.status != "ACTIVE":
        return link, connection.url
    me = await rt.calcom.me(link.connection_id)
    rt.profiles.put(link.connection_id, me)
    linked = rt.store.save_link(
        active_link(link.team_id, link.user_id, link.connection_id, me, link.created_at)
    )
    log.info("link active for %s/%s", link.team_id, link.user_id)
    await _routines().resume(rt, linked)  # a reconnect brings back what they had on
    return linked, None


def stored_link(rt: Runtime, team_id: str, user_id: str) -> Link | None:
    """The user's link as stored, without asking Maton (for an ack, or to undo it)."""
    return rt.store.get_link(team_id, user_id)


def active_link_or_none(rt: Runtime, team_id: str, user_id: str) -> Link | None:
    """The user's link if it is active, from the database alone (no gateway call)."""
    link = rt.store.get_link(team_id, user_id)
    return link if link is not None and link.active else None


async def current_link(rt: Runtime, team_id: str, user_id: str) -> Link | None:
    """The user's link, refreshed if pending; None when they never connected."""
    link = rt.store.get_link(team_id, user_id)
    if link is None:
        return None
    checked, _ = await _check(rt, link)
    return checked


async def require_link(rt: Runtime, team_id: str, user_id: str) -> Link:
    """The user's active link, or a NotLinked/LinkPending the user can act on."""
    link = rt.store.get_link(team_id, user_id)
    if link is None:
        raise NotLinked()
    checked, url = await _check(rt, link)
    if checked is None:
        raise NotLinked()
    if not checked.active:
        raise LinkPending(url or "")
    return checked


async def profile(rt: Runtime, link: Link) -> Any:
    """The Cal.com profile, from the 5-minute cache when it is there."""
    return await rt.profiles.get_or_load(
        link.connection_id, lambda: rt.calcom.me(link.connection_id)
    )


async def overview(rt: Runtime, link: Link) -> AccountOverview:
    conn = link.connection_id
    me, schedule, conferencing, calendars, teams, emails = await asyncio.gather(
        profile(rt, link),
        rt.calcom.default_schedule(conn),
        rt.calcom.default_conferencing(conn),  # None on its own 404: none set
        _optional(rt.calcom.calendars(conn)),
        _optional(rt.calcom.teams(conn)),
        _optional(rt.calcom.verified_emails(conn)),
    )
    return AccountOverview(me, schedule, conferencing, calendars, teams, emails)


async def _optional(call: Any) -> Any:
    """A side lookup of `/cal me`: a 404 or 403 there (a plan or scope without it) leaves
    that line out instead of failing the whole overview."""
    try:
        return await call
    except (NotFound, Forbidden) as error:
        log.info("overview lookup skipped: %s", type(error).__name__)
        return None


async def disconnect(rt: Runtime, team_id: str, user_id: str) -> bool:
    """Delete the user's notification webhooks and subscriptions (while the connection can
    still reach Cal.com), the Maton connection, and the link. False when nothing was linked."""
    link = rt.store.get_link(team_id, user_id)
    if link is None:
        return False
    await subscriptions.remove_all(rt, link)
    await _routines().pause(rt, link)
    await _forget_connection(rt, link.connection_id)
    rt.store.delete_link(team_id, user_id)
    rt.profiles.drop(link.connection_id)
    rt.event_types.drop(link.connection_id)
    log.info("link removed for %s/%s", team_id, user_id)
    return True


def _routines() -> Any:
    """bot.services.routines, imported late: it imports this module (for require_link)."""
    from bot.services import routines

    return routines


async def forget_team(rt: Runtime, team_id: str) -> int:
    """Forget a workspace that uninstalled calbot or revoked its token; the links removed.

    Each link goes through `disconnect` (its Maton connection, and whatever else a
    disconnect undoes, such as the user's Cal.com webhooks). One failing link does not
    stop the rest: the workspace is gone either way, so every row keyed by the team is
    deleted afterwards, then the installation and cached people.
    """
    links = rt.store.links(team_id)
    removed = 0
    for link in links:
        try:
            removed += await disconnect(rt, team_id, link.user_id)
        except Exception as exc:
            log.warning(
                "forgetting %s: could not disconnect %s (connection %s): %s",
                team_id,
                link.user_id,
                link.connection_id,
                type(exc).__name__,
            )
    deleted = rt.store.purge_team(team_id)
    rt.forget_installation(team_id)
    rt.slack_people.drop_where(lambda key: isinstance(key, tuple) and key[0] == team_id)
    log.info(
        "workspace %s forgotten: %d links disconnected, rows swept %s", team_id, removed, deleted
    )
    return removed


async def _forget_connection(rt: Runtime, connection_id: str) -> None:
    with contextlib.suppress(NotFound):  # already gone at Maton: nothing to undo
        await rt.connections.delete(connection_id)
