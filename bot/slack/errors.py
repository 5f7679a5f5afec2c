"""The one error handler: every failure becomes a friendly ephemeral message and a log line.

Errors the user can act on (a Cal.com or service error) say what to do. Anything else
is logged with a short reference the user can quote; the user never sees a trace.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.blocks.errors import error_message, error_reply
from bot.calcom.errors import CalcomError
from bot.logs import current_ref
from bot.runtime import Runtime
from bot.services.errors import ServiceError

log = logging.getLogger("calbot.slack")


def reply_for(error: BaseException) -> dict[str, Any]:
    """The message for `error` (bot/blocks/errors.py), or a reference for an unexpected one."""
    known = error_reply(error)
    if known is not None:
        return known
    ref = current_ref() or secrets.token_hex(4)  # the request's: it finds every line of it
    log.error("unexpected error ref=%s: %s", ref, type(error).__name__, exc_info=error)
    return error_message(f"Something went wrong (ref {ref}). Please try again in a moment.")


async def report(error: BaseException, respond: Any | None) -> None:
    """Tell the user about `error` through `respond` (a response_url), if there is one."""
    if isinstance(error, CalcomError | ServiceError):
        log.info("user-facing error: %s", type(error).__name__)
    payload = reply_for(error)
    if respond is None:
        return
    try:
        await respond(**payload, response_type="ephemeral", replace_original=False)
    except Exception as exc:  # the response_url may have expired; the log is all we have
        log.warning("could not report an error to the user: %s", type(exc).__name__)


async def guarded(work: Awaitable[Any], respond: Any | None) -> None:
    """Run work handed off after ack(); route any failure to `report`."""
    try:
        await work
    except Exception as error:
        await report(error, respond)


def register(app: AsyncApp, rt: Runtime) -> None:
    @app.error
    async def on_error(error: Exception, body: dict[str, Any]) -> None:
        await report(error, _responder(rt, body))


def _responder(rt: Runtime, body: dict[str, Any]) -> Any | None:
    """Where to tell the user: the request's response URL (a modal's first, as Bolt picks),
    posted on the workspace's shared session. Bolt's own `respond` would open a new HTTP
    session, and connection, for every error reply."""
    urls = body.get("response_urls") or [{}]
    url = body.get("response_url") or urls[0].get("response_url")
    if not url:
        return None
    team = body.get("team") or {}
    team_id = body.get("team_id") or team.get("id") or (body.get("user") or {}).get("team_id")
    webhook = AsyncWebhookClient(url, session=rt.slack_session(team_id or ""))

    async def respond(**payload: Any) -> None:
        await webhook.send_dict(payload)

    return respond
