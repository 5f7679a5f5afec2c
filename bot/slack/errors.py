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
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.blocks.errors import error_message, error_reply
from bot.calcom.errors import CalcomError
from bot.logs import current_ref
from bot.runtime import Runtime
from bot.services.errors import ServiceError
from bot.slack.urls import is_slack_response_url

log = logging.getLogger("calbot.slack")


def slack_error_code(error: SlackApiError) -> str:
    response = error.response
    code = response.get("error") if isinstance(response.data, dict) else None
    return str(code or f"http_{response.status_code}")[:60]


def reply_for(error: BaseException) -> dict[str, Any]:
    """The message for `error` (bot/blocks/errors.py), or a reference for an unexpected one."""
    known = error_reply(error)
    if known is not None:
        return known
    ref = current_ref() or secrets.token_hex(4)  # the request's: it finds every line of it
    if isinstance(error, SlackApiError) and error.response.status_code < 500:
        # Slack refused a call for a reason it names (a stale trigger, an unknown user or
        # channel): a log line says which. Slack failing (5xx) falls through: a traceback.
        log.warning("Slack refused a call ref=%s: %s", ref, slack_error_code(error))
        if slack_error_code(error) in ("expired_trigger_id", "invalid_trigger_id"):
            return error_message("That took too long for Slack. Please try again.")
        return error_message(f"Something went wrong (ref {ref}). Please try again in a moment.")
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
    only ever on Slack's host (bot/slack/urls.py), posted on the workspace's shared session.
    Bolt's own `respond` would open a new HTTP session, and connection, for every reply."""
    urls = body.get("response_urls")
    first = urls[0] if isinstance(urls, list) and urls else None
    url = body.get("response_url") or _field(first, "response_url")
    if not is_slack_response_url(url, rt.settings.slack_api_url):
        return None
    team_id = (
        body.get("team_id") or _field(body.get("team"), "id") or _field(body.get("user"), "team_id")
    )
    session = rt.slack_session(team_id if isinstance(team_id, str) else "")
    webhook = AsyncWebhookClient(url, session=session)

    async def respond(**payload: Any) -> None:
        await webhook.send_dict(payload)

    return respond


def _field(value: object, key: str) -> Any:
    """`value[key]` when `value` is an object; None for anything odd a body may carry."""
    return value.get(key) if isinstance(value, dict) else None
