"""Run calbot: uvicorn serving the ASGI app, plus a Socket Mode connection when configured.

Both modes serve the HTTP routes (health, webhooks, OAuth); Socket Mode only changes
how Slack's requests arrive.

On SIGTERM (or Ctrl-C): first stop taking requests (close the Socket Mode connection,
stop accepting HTTP connections), then let requests in progress answer, then the app's
lifespan drains handed-off work and the outbox post in flight (`Runtime.drain`), and the
process exits 0. The signal starts one clock (`Runtime.begin_shutdown`): every stage
waits only until its deadline, so the whole shutdown takes at most `SHUTDOWN_SECONDS`
(10 s) however long any stage would have liked. uvicorn on its own re-raises the signal
after its graceful shutdown, which would end a clean drain with status 143;
`CalbotServer` keeps the exit clean.

The event loop is uvloop's (installed with `uvicorn[standard]`) when it is there: `start`
picks it, since uvicorn only does when it creates the loop itself, and calbot runs its own
(Socket Mode shares it).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
from collections.abc import Awaitable, Callable, Iterator
from socket import socket

import uvicorn

from bot.config import Settings
from bot.runtime import SHUTDOWN_SECONDS, Runtime
from bot.web import create_app

log = logging.getLogger("calbot")

SHUTDOWN_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class CalbotServer(uvicorn.Server):
    """uvicorn's server with calbot's shutdown order and a clean exit after a signal."""

    def __init__(
        self,
        config: uvicorn.Config,
        *,
        rt: Runtime,
        after_startup: Callable[[], Awaitable[None]] | None = None,
        before_shutdown: Callable[[], Awaitable[None]] | None = None,
    ):
        super().__init__(config)
        self.rt = rt
        self.after_startup = after_startup
        self.before_shutdown = before_shutdown

    async def startup(self, sockets: list[socket] | None = None) -> None:
        """uvicorn's start-up (the app's lifespan: the shared Slack session, the workers,
        the checkpointer), then `after_startup`: Socket Mode connects only once everything
        an envelope needs is there."""
        await super().startup(sockets=sockets)
        if self.after_startup is not None and not self.should_exit:
            await self.after_startup()

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        loop = asyncio.get_running_loop()
        for sig in SHUTDOWN_SIGNALS:
            loop.add_signal_handler(sig, self._on_signal, sig)
        try:
            yield
        finally:
            for sig in SHUTDOWN_SIGNALS:
                loop.remove_signal_handler(sig)

    def _on_signal(self, sig: signal.Signals) -> None:
        self.rt.begin_shutdown()
        log.info(
            "%s received: finishing work in progress (at most %g s), taking no new requests",
            sig.name,
            SHUTDOWN_SECONDS,
        )
        self.handle_exit(sig, None)

    async def shutdown(self, sockets: list[socket] | None = None) -> None:
        if self.before_shutdown is not None:
            try:
                await asyncio.wait_for(self.before_shutdown(), timeout=self.rt.time_left())
            except TimeoutError:
                log.warning("closing Socket Mode took too long: going on without it")
        # uvicorn waits this long for requests in progress, then cancels them; the
        # lifespan (bot/web.py) then has what is left of the same deadline.
        self.config.timeout_graceful_shutdown = self.rt.time_left()
        await super().shutdown(sockets)


def loop_factory(loop: str = "auto") -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's loop for "auto" (when installed) or "uvloop"; None (asyncio's) otherwise."""
    if loop == "asyncio":
        return None
    try:
        import uvloop
    except ImportError:
        if loop == "uvloop":
            raise
        return None
    return uvloop.new_event_loop


def start(settings: Settings, *, port: int, loop: str = "auto") -> None:
    """Run calbot until a signal stops it (`calbot serve`)."""
    with asyncio.Runner(loop_factory=loop_factory(loop)) as runner:
        runner.run(run(settings, port=port))


async def run(settings: Settings, *, port: int) -> None:
    from bot.when import warm_up

    warm_up()  # dateparser's first call costs ~250 ms: pay it before the first user does
    rt = Runtime.create(settings)
    app = create_app(rt)
    # The stack's ~50 MB of modules, dateparser's data and the app live as long as the
    # process: frozen out of the collector's sight, a full collection (which a burst's
    # garbage triggers) does not walk them all again.
    gc.freeze()
    config = uvicorn.Config(
        app,
        host="0.0.0.0",
        port=port,
        log_config=None,
        access_log=False,  # bot/logs.py writes one line a request (see log_access)
        timeout_graceful_shutdown=SHUTDOWN_SECONDS,  # CalbotServer.shutdown shortens it
        proxy_headers=True,
    )
    socket_mode = None
    if settings.socket_mode:
        from bot.slack.socketmode import ShapedSocketModeHandler

        socket_mode = ShapedSocketModeHandler(app.state.bolt, settings.slack_app_token)
    else:
        log.info("HTTP mode: Slack requests on port %s at /slack/events", port)
    log.info("event loop: %s", type(asyncio.get_running_loop()).__module__.split(".")[0])

    async def start_socket_mode() -> None:
        if socket_mode is not None:
            await socket_mode.connect_async()
            log.info("Socket Mode connected; HTTP routes on port %s", port)

    async def stop_socket_mode() -> None:
        if socket_mode is not None:
            await socket_mode.close_async()
            log.info("Socket Mode connection closed")

    server = CalbotServer(
        config, rt=rt, after_startup=start_socket_mode, before_shutdown=stop_socket_mode
    )
    await server.serve()
