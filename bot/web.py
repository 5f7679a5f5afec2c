"""The ASGI app: Slack's routes and the health check in Starlette; Cal.com's webhook route
ahead of it, in bare ASGI (bot/notify/asgi.py).

Its lifespan runs the notification worker (bot/notify/worker.py) for as long as it serves,
and at shutdown waits for it and for handed-off work until the runtime's one deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from slack_bolt.adapter.starlette.async_handler import (
    to_async_bolt_request,
    to_starlette_response,
)
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.blocks.limits import REQUEST_BODY
from bot.bodies import HungUp, TooLarge, read_limited
from bot.logs import RequestRefMiddleware
from bot.notify.asgi import WebhookRoute
from bot.notify.endpoint import webhook_endpoint
from bot.notify.reminder_deliveries import or_else
from bot.notify.worker import Notifier
from bot.routines.worker import Scheduler
from bot.runtime import Runtime
from bot.slack import shape, signing
from bot.slack.app import build_app
from bot.slack.install import INSTALL_PATH, REDIRECT_PATH
from bot.store.checkpoint import Checkpointer

log = logging.getLogger("calbot.web")


def create_app(rt: Runtime) -> Starlette:
    bolt = build_app(rt)
    notifier = Notifier(rt)
    scheduler = Scheduler(rt)  # the daily agenda and reminders (bot/routines/)
    checkpoints = Checkpointer(rt.store.path, rt.store.db.conn)  # WAL copied back off the loop

    async def slack_oauth(request: Request) -> Response:
        """The install page and Slack's redirect, as Bolt's Starlette adapter serves them,
        but without reading a body: a GET has none, and the adapter read whatever anyone
        sent, however long, into memory before answering."""
        flow = bolt.oauth_flow
        if request.method != "GET" or flow is None:  # HEAD: the adapter's 404, as before
            return Response(status_code=404, content="Not found")
        unread = to_async_bolt_request(request, b"")
        if request.url.path == flow.install_path:
            return to_starlette_response(await flow.handle_installation(unread))
        if request.url.path == flow.redirect_uri_path:
            return to_starlette_response(await flow.handle_callback(unread))
        return Response(status_code=404, content="Not found")

    async def slack_events(request: Request) -> Response:
        """Slack's POSTs: capped in size (bot/blocks/limits.py, REQUEST_BODY), verified and
        shape-checked here (bot/slack/signing.py, shape.py) before Bolt reads a byte of them."""
        secret = rt.settings.slack_signing_secret
        try:
            declared = request.headers.get("content-length")
            body = await read_limited(request.receive, declared, REQUEST_BODY)
        except TooLarge:  # before the signature: anyone can send this, so nothing is kept
            log.warning("Slack request refused: body over %d bytes", REQUEST_BODY)
            return JSONResponse({"error": "body too large"}, status_code=413)
        except HungUp:  # the client left: an answer nobody reads, for the access line
            return Response(status_code=400)
        if not signing.verified(secret, request.headers, body):
            return JSONResponse({"error": "invalid request"}, status_code=401)
        if odd := shape.odd(body, request.headers.get("content-type")):
            log.warning("odd Slack payload acked and ignored: %s is not as Slack sends it", odd)
            return Response(status_code=200)  # signed by Slack: a quiet ack, no retry
        try:  # the body already read, handed to Bolt as its Starlette adapter would
            answer = await bolt.async_dispatch(to_async_bolt_request(request, body))
            return to_starlette_response(answer)
        except Exception as error:  # Bolt could not read a signed payload (wrong types)
            log.warning("unreadable Slack payload ignored: %s", type(error).__name__)
            return Response(status_code=200)  # signed by Slack: a quiet ack, no retry

    # a reminder webhook's token is answered there, any other by the subscriptions' endpoint
    calcom_webhooks = or_else(rt, webhook_endpoint(rt, notifier.wake))

    async def healthz(request: Request) -> Response:
        try:
            ok = rt.store.ping()
        except Exception as exc:
            log.error("health check: database does not answer: %s", type(exc).__name__)
            ok = False
        body = {"ok": ok, "database": "ok" if ok else "unavailable", "in_flight": rt.in_flight}
        return JSONResponse(body, status_code=200 if ok else 503)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        bolt.client.session = rt.slack_session()  # one HTTP session, made inside the loop
        checkpoints.start()
        notifier.start()
        scheduler.start()
        yield
        # The shutdown's one deadline (bot/runtime.py), started by SIGTERM or else now,
        # bounds both: the post in flight, and the work listeners handed off.
        await asyncio.gather(
            notifier.stop(timeout=rt.time_left()),
            scheduler.stop(timeout=rt.time_left()),
            rt.drain(),
        )
        checkpoints.stop()
        await rt.close()

    app = Starlette(
        routes=[
            Route("/slack/events", slack_events, methods=["POST"]),
            *(
                [
                    Route(INSTALL_PATH, slack_oauth, methods=["GET"]),
                    Route(REDIRECT_PATH, slack_oauth, methods=["GET"]),
                ]
                if rt.settings.oauth
                else []
            ),
            Route("/healthz", healthz, methods=["GET"]),
        ],
        lifespan=lifespan,
        middleware=[
            # `/calcom/webhooks/{token}`, the route of delivery bursts, in bare ASGI
            Middleware(WebhookRoute, endpoint=calcom_webhooks),
            Middleware(RequestRefMiddleware),
        ],
    )
    app.state.bolt = bolt
    app.state.runtime = rt
    app.state.notifier = notifier
    app.state.scheduler = scheduler
    app.state.checkpoints = checkpoints
    return app
