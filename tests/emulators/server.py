"""Run an ASGI app on a loopback port in a background thread, for tests.

Each server has its own event loop in its own thread, so tests talk to it over real
HTTP exactly as Slack, Cal.com or the bot would, and a slow handler in one never
blocks another.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import uvicorn


@dataclass
class LoopbackServer:
    """A started server: its base URL, its loop, and how to stop it."""

    url: str
    port: int
    loop: asyncio.AbstractEventLoop
    _server: uvicorn.Server = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    def call(self, fn: Callable[[], Any], timeout: float = 10) -> Any:
        """Run a coroutine function on the server's loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(fn(), self.loop).result(timeout)

    def stop(self, *, wait: bool = True) -> None:
        """Ask the server to exit; `wait=False` lets it finish in the background.

        uvicorn notices the request on its next 0.1 s tick, so a fixture tearing down
        three servers saves most of half a second a test by not waiting for each.
        """
        self._server.should_exit = True
        if wait:
            self._thread.join(timeout=10)


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def serve(app: Any, *, lifespan: str = "auto") -> LoopbackServer:
    """Start ``app`` on 127.0.0.1 at a free port; return once it accepts connections."""
    sock = _free_socket()
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app, log_level="warning", lifespan=lifespan, loop="asyncio", http="h11", ws="none"
    )
    server = uvicorn.Server(config)
    started = threading.Event()
    holder: dict[str, asyncio.AbstractEventLoop] = {}

    def run() -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        holder["loop"] = loop

        async def main() -> None:
            task = asyncio.create_task(server.serve(sockets=[sock]))
            while not server.started and not task.done():
                await asyncio.sleep(0.005)
            started.set()
            await task

        loop.run_until_complete(main())
        loop.close()

    thread = threading.Thread(target=run, name=f"loopback-{port}", daemon=True)
    thread.start()
    if not started.wait(10):
        raise RuntimeError("loopback server did not start")
    return LoopbackServer(f"http://127.0.0.1:{port}", port, holder["loop"], server, thread)
