"""Bolt's Socket Mode handler, with the payload's shape checked before Bolt reads it.

Over HTTP bot/web.py checks the raw body (bot/slack/shape.py) before Bolt; an envelope
arriving over the socket skipped that, and Bolt, building its request and the arguments
of its first middleware, read `body["actions"][0]` of a payload whose `actions` was a
number: a traceback in the log and no ack, so Slack retried the envelope. Here an odd
payload is acked empty, with one warning line naming the field, and goes no further; so is
one that passes the check but trips Bolt's own reading (over HTTP bot/web.py catches that
too), with one line naming the error's type.
"""

from __future__ import annotations

import logging
import time

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.adapter.socket_mode.async_internals import run_async_bolt_app, send_async_response
from slack_sdk.socket_mode.async_client import AsyncBaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.slack import shape

log = logging.getLogger("calbot.slack.requests")


class ShapedSocketModeHandler(AsyncSocketModeHandler):
    async def handle(  # type: ignore[override]
        self, client: AsyncBaseSocketModeClient, req: SocketModeRequest
    ) -> None:
        if odd := shape.odd_payload(req.payload):
            log.warning("odd Slack payload acked and ignored: %s is not as Slack sends it", odd)
            await client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
            return
        started = time.time()
        try:  # as bot/web.py does over HTTP: a payload Bolt's own reading trips on
            answer = await run_async_bolt_app(self.app, req)
        except Exception as error:
            log.warning("unreadable Slack payload acked and ignored: %s", type(error).__name__)
            await client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
            return
        await send_async_response(client, req, answer, started)
