"""The App Home tab: published when the user opens it, and again after any change they make
from Slack (a booking, an event type, working hours, their profile, a notification).

`refresh` is the one entry point other features call after a change. Buttons on the
Home have no response URL, so everything here answers by publishing the Home again.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.agenda import with_home_toggle
from bot.blocks.home import dashboard, problem, unlinked
from bot.calcom.errors import CalcomError, ConnectionExpired, NotConnected
from bot.ids import FRESH, Action
from bot.runtime import Runtime
from bot.services import accounts, routines, subscriptions
from bot.services import home as home_service
from bot.services.errors import ServiceError
from bot.slack.context import Turn, action_value, admitted, handoff
from bot.slack.errors import guarded, reply_for
from bot.slack.values import number

log = logging.getLogger("calbot.home")
DEFAULT_AT = routines.DEFAULT_AGENDA_MINUTE


async def refresh(
    rt: Runtime, client: AsyncWebClient, team_id: str, user_id: str, *, url: str | None = None
) -> None:
    """Publish `user_id`'s Home as it is now; `url`: a connect link to offer."""
    link = await accounts.current_link(rt, team_id, user_id)
    if link is None or not link.active:
        view = unlinked(url)
    else:
        try:
            view = dashboard(await home_service.dashboard(rt, link))
            view = with_home_toggle(view, routines.routine_of(rt, team_id, user_id), DEFAULT_AT)
        except (CalcomError, ServiceError) as error:
            again = isinstance(error, ConnectionExpired | NotConnected)
            view = problem(reply_for(error)["text"], reconnect=again)
    await client.views_publish(user_id=user_id, view=view)


def refresh_soon(rt: Runtime, client: AsyncWebClient, team_id: str, user_id: str) -> None:
    """Republish the Home in the background after a change, or when it is opened; a failure
    there only logs. Admitted like any handed-off work (bot/admission.py): past capacity it
    is skipped (the Home is published again the next time it is opened)."""
    ticket = rt.admission.admit((team_id, user_id))
    if ticket is None:
        log.debug("home refresh skipped: busy")
        return
    work = admitted(rt, ticket, refresh(rt, client, team_id, user_id))
    rt.spawn(guarded(work, None), name="home")


async def on_connect(turn: Turn, body: dict[str, Any]) -> None:
    """Start linking from the Home: its link shows right there, then Done checks it."""
    caller = turn.caller
    fresh = action_value(body) == FRESH
    result = await accounts.connect(turn.rt, caller.team_id, caller.user_id, fresh=fresh)
    url = result.url if isinstance(result, accounts.Pending) else None
    await refresh(turn.rt, turn.client, caller.team_id, caller.user_id, url=url)


async def on_refresh(turn: Turn, body: dict[str, Any]) -> None:
    await refresh(turn.rt, turn.client, turn.caller.team_id, turn.caller.user_id)


async def on_notify_off(turn: Turn, body: dict[str, Any]) -> None:
    """Turn off one of your notification subscriptions (its webhook goes too)."""
    rt, caller = turn.rt, turn.caller
    link = await accounts.current_link(rt, caller.team_id, caller.user_id)
    if (sub_id := number(action_value(body))) is not None:
        await subscriptions.unsubscribe_one(rt, link, sub_id)
    await refresh(rt, turn.client, caller.team_id, caller.user_id)


def register(app: AsyncApp, rt: Runtime) -> None:
    @app.event("app_home_opened")
    async def on_opened(body: dict[str, Any], event: dict[str, Any], client: Any) -> None:
        if event.get("tab") != "home":
            return  # the Messages tab
        team_id = body.get("team_id") or ""
        if isinstance(event.get("user"), str):
            refresh_soon(rt, client, team_id, event["user"])

    @app.action(Action.OPEN_LINK)
    async def on_open_link(ack: Any) -> None:
        await ack()  # a URL button: Slack opens the link, we only acknowledge

    app.action(Action.HOME_CONNECT)(handoff(rt, on_connect))
    app.action(Action.HOME_REFRESH)(handoff(rt, on_refresh))
    app.action(Action.HOME_NOTIFY_OFF)(handoff(rt, on_notify_off))
