"""One log line per Slack request, under the request's reference.

Over HTTP the reference is the one `bot.logs.RequestRefMiddleware` gave the request;
in Socket Mode (no HTTP request) a new one is made here. It is Bolt's only global
middleware: Bolt builds each middleware's arguments by inspection on every request,
~10 µs of the ack apiece. The line names what arrived
(command and subcommand, action, view, shortcut or event), the team and the user, but
never the text a user typed: it may hold names and emails.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot import logs

log = logging.getLogger("calbot.slack.requests")


def summary(body: dict[str, Any]) -> str:
    """`command /cal book`, `action pick_slot:…`, `view_submission guest_details`, …"""
    kind = body.get("type")
    if body.get("command"):
        words = (body.get("text") or "").split()
        return f"command {body['command']} {words[0] if words else ''}".rstrip()
    if kind == "block_actions":
        actions = body.get("actions") or [{}]
        return f"action {actions[0].get('action_id', '?')}"
    if kind in ("view_submission", "view_closed"):
        return f"{kind} {(body.get('view') or {}).get('callback_id', '?')}"
    if kind in ("shortcut", "message_action"):
        return f"{kind} {body.get('callback_id', '?')}"
    if kind == "event_callback":
        return f"event {(body.get('event') or {}).get('type', '?')}"
    return str(kind or "request")


def _who(body: dict[str, Any]) -> tuple[str, str]:
    team = body.get("team_id") or (body.get("team") or {}).get("id") or "-"
    user = body.get("user_id") or (body.get("user") or {}).get("id") or "-"
    return team, user


def register(app: AsyncApp) -> None:
    @app.middleware
    async def log_request(body: dict[str, Any], next: Callable[[], Awaitable[Any]]) -> None:
        team, user = _who(body)
        with logs.request_ref(logs.current_ref()):
            log.info("slack %s team=%s user=%s", summary(body), team, user)
            await next()
