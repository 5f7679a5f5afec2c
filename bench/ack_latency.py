"""How fast does a slash command get its HTTP answer? Bolt's default ack wait vs ours.

Serves three apps on loopback with uvicorn and sends signed `/cal` requests with aiohttp
(httpx costs 3-5 ms of client CPU a request and would blur the figures):

- bolt-default: AsyncApp, ack-only listener, default runner (polls for ack())
- bolt-before-response: AsyncApp(process_before_response=True), ack-only listener
- calbot: the real app (`/cal help`), whose listener acks and hands work to a task

Prints p50/p99 latency one request at a time, and requests/second at 50 at once.
Run: .venv/bin/python bench/ack_latency.py [--requests 300]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import logging
import os
import statistics
import sys
import tempfile
import time
from urllib.parse import urlencode

import aiohttp
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient
from starlette.applications import Starlette
from starlette.routing import Route

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tests.emulators.server import serve
from tests.emulators.slack import SlackEmulator

SECRET = "bench-signing-secret"


def bare_bolt(process_before_response: bool, slack_api: str) -> Starlette:
    app = AsyncApp(
        client=AsyncWebClient(token="xoxb-bench", base_url=slack_api),
        signing_secret=SECRET,
        process_before_response=process_before_response,
    )

    @app.command("/cal")
    async def on_cal(ack):
        await ack()

    handler = AsyncSlackRequestHandler(app)

    async def events(request):
        return await handler.handle(request)

    return Starlette(routes=[Route("/slack/events", events, methods=["POST"])])


def calbot_app(slack_api: str) -> Starlette:
    from bot.config import load_settings
    from bot.runtime import Runtime
    from bot.web import create_app

    db = os.path.join(tempfile.mkdtemp(), "bench.db")
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": SECRET,
            "MATON_API_KEY": "bench-key",
            "DATABASE_PATH": db,
            "SLACK_API_URL": slack_api,
        }
    )
    return create_app(Runtime.create(settings))


def signed(body: str) -> dict[str, str]:
    ts = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest}",
        "Content-Type": "application/x-www-form-urlencoded",
    }


BODY = urlencode(
    {
        "team_id": "T1",
        "user_id": "U1",
        "channel_id": "C1",
        "command": "/cal",
        "text": "help",
        "response_url": "http://127.0.0.1:9/response/x",
        "trigger_id": "1.2.3",
    }
)


async def measure(url: str, requests: int) -> tuple[float, float, float]:
    async with aiohttp.ClientSession() as session:
        for _ in range(20):  # warm up
            async with session.post(url, data=BODY, headers=signed(BODY)) as r:
                await r.read()
        latencies = []
        for _ in range(requests):
            started = time.perf_counter()
            async with session.post(url, data=BODY, headers=signed(BODY)) as r:
                await r.read()
                assert r.status == 200, r.status
            latencies.append((time.perf_counter() - started) * 1000)
        latencies.sort()
        p50 = statistics.median(latencies)
        p99 = latencies[int(len(latencies) * 0.99) - 1]

        async def one() -> None:
            async with session.post(url, data=BODY, headers=signed(BODY)) as r:
                await r.read()

        started = time.perf_counter()
        total = requests * 2
        for start in range(0, total, 50):
            await asyncio.gather(*(one() for _ in range(min(50, total - start))))
        rate = total / (time.perf_counter() - started)
    return p50, p99, rate


def main() -> None:
    # the work after ack posts to an unreachable response URL; its warnings are noise here
    logging.disable(logging.WARNING)
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    slack = SlackEmulator(bot_token="xoxb-bench")  # auth.test for Bolt's first request
    slack_server = slack.start()
    apps = {
        "bolt-default": bare_bolt(False, slack.api_url),
        "bolt-before-response": bare_bolt(True, slack.api_url),
        "calbot": calbot_app(slack.api_url),
    }
    print(f"{'app':<22} {'p50 ms':>8} {'p99 ms':>8} {'req/s @50':>10}")
    for name, app in apps.items():
        server = serve(app)
        try:
            p50, p99, rate = asyncio.run(measure(f"{server.url}/slack/events", args.requests))
        finally:
            server.stop()
        print(f"{name:<22} {p50:>8.2f} {p99:>8.2f} {rate:>10.0f}")
    slack_server.stop()


if __name__ == "__main__":
    main()
