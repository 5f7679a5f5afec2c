"""Workspace lifecycle events: `app_uninstalled` and `tokens_revoked`.

Both mean the workspace is done with calbot: its token no longer works, so everything
kept for it (installation, links and their Maton connections, subscriptions and their
Cal.com webhooks) is removed. Bolt skips authorization for these two events, so they
arrive even though the team's token is already dead.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.runtime import Runtime
from bot.services import accounts
from bot.slack.context import Turn, handoff

log = logging.getLogger("calbot.slack.events")


async def on_app_uninstalled(turn: Turn, body: dict[str, Any]) -> None:
    await accounts.forget_team(turn.rt, turn.caller.team_id)
    if isinstance(body.get("enterprise_id"), str):  # Grid: the row is keyed by the org too
        turn.rt.forget_installation(turn.caller.team_id, enterprise_id=body["enterprise_id"])


async def on_tokens_revoked(turn: Turn, body: dict[str, Any]) -> None:
    """Only a revoked bot token matters: calbot asks for no user tokens."""
    tokens = (body.get("event") or {}).get("tokens") or {}
    if tokens.get("bot"):
        await accounts.forget_team(turn.rt, turn.caller.team_id)
    else:
        log.info("user tokens revoked in %s: calbot keeps none", turn.caller.team_id)


def register(app: AsyncApp, rt: Runtime) -> None:
    app.event("app_uninstalled")(handoff(rt, on_app_uninstalled))
    app.event("tokens_revoked")(handoff(rt, on_tokens_revoked))
