"""Run calbot: uvicorn serving the ASGI app, plus a Socket Mode connection when configured.

Both modes serve the HTTP routes (health, webhooks, OAuth); Socket Mode only changes
how Slack's requests arrive. On SIGTERM uvicorn stops accepting, then the app's
lifespan drains in-flight work for up to 10 s.
"""

from __future__ import annotations

import logging

import uvicorn

from bot.config import Settings
from bot.runtime import Runtime
from bot.web import create_app

log = logging.getLogger("calbot")


async def run(settings: Settings, *, port: int) -> None:
    from bot.when import warm_up

    warm_up()  # dateparser's first call costs ~250 ms: pay it before the first user does
    rt = Runtime.create(settings)
    app = create_app(rt)
    config = uvicorn.Config(
        app,
        host="0.0.0.0",
        port=port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=10,
        proxy_headers=True,
    )
    server = uvicorn.Server(config)
    socket_mode = None
    if settings.socket_mode:
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        socket_mode = AsyncSocketModeHandler(app.state.bolt, settings.slack_app_token)
        await socket_mode.connect_async()
        log.info("Socket Mode connected; HTTP routes on port %s", port)
    else:
        log.info("HTTP mode: Slack requests on port %s at /slack/events", port)
    try:
        await server.serve()
    finally:
        if socket_mode is not None:
            await socket_mode.close_async()
