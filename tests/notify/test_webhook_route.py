"""The webhook route in bare ASGI (bot/notify/asgi.py) answers as the Starlette route it
replaced did: 405 for another method, 404 for other paths, 413 for a chunked body over
1 MB before its end, a 500 with one line and no traceback for a fault of ours; and every
other path still reaches Starlette."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import random
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.notify.asgi import WebhookRoute
from bot.notify.endpoint import MAX_BODY, ReadBody
from tests.fuzzgen import mutate
from tests.helpers import raw_post
from tests.notifying import NotifyBot, delivery, only_subscription, signed_post, subscribe

FIXTURES = Path(__file__).parent.parent / "fixtures" / "calcom"


def test_other_methods_and_paths_are_answered_as_starlette_did(bot: NotifyBot, sam: Any) -> None:
    subscribe(bot, "me")
    sub = only_subscription(bot)
    url = f"{bot.url}/calcom/webhooks/{sub.token}"
    for method in ("GET", "PUT", "DELETE"):
        refused = httpx.request(method, url)
        assert (refused.status_code, refused.headers["allow"]) == (405, "POST")
    for path in ("/calcom/webhooks/", f"/calcom/webhooks/{sub.token}/more"):
        assert httpx.post(f"{bot.url}{path}", content=b"{}").status_code == 404
    unknown = signed_post(bot, "no-such-token", delivery("BOOKING_CREATED"), sub.secret)
    assert (unknown.status_code, unknown.json()) == (
        404,
        {"ok": False, "error": "unknown subscription"},
    )
    assert httpx.get(f"{bot.url}/healthz").json()["ok"] is True  # Starlette's, as before


def test_a_chunked_body_over_a_megabyte_is_refused_before_its_end(bot: NotifyBot, sam: Any) -> None:
    """No Content-Length to refuse by: counted while read, refused one chunk past the cap,
    without the body's end (never sent here)."""
    subscribe(bot, "me")
    sub = only_subscription(bot)
    body = delivery("BOOKING_CREATED", description="x" * MAX_BODY)
    signature = hmac.new(sub.secret.encode(), body, hashlib.sha256).hexdigest()
    head = {
        "Content-Type": "application/json",
        "Transfer-Encoding": "chunked",
        "X-Cal-Signature-256": signature,
    }
    step = 64 * 1024
    framed = [b"%x\r\n%s\r\n" % (step, body[i : i + step]) for i in range(0, MAX_BODY, step)]
    status, answer = raw_post(bot, f"/calcom/webhooks/{sub.token}", head, framed + framed[:1])
    assert (status, answer) == (413, {"ok": False, "error": "body over 1 MB"})
    assert bot.rt.store.db["outbox"].count == 0


async def test_a_fault_of_ours_is_a_500_with_one_line_and_no_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Cal.com retries a 5xx; the operator gets the fault's name, never a traceback."""

    async def broken(token: str, signature: str | None, read: ReadBody) -> Any:
        await read(MAX_BODY)
        raise KeyError("a bug")

    async def inside(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    route = WebhookRoute(inside, endpoint=broken)
    transport = httpx.ASGITransport(app=route)
    async with httpx.AsyncClient(transport=transport, base_url="http://calbot") as client:
        with caplog.at_level(logging.INFO):
            failed = await client.post("/calcom/webhooks/t0k", content=b"{}")
        passed = await client.post("/calcom/webhookz/t0k", content=b"{}")
    assert (failed.status_code, failed.json()) == (500, {"ok": False, "error": "internal error"})
    assert passed.status_code == 204  # any other path: the app inside
    [error] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "KeyError" in error.getMessage() and error.exc_info is None
    [access] = [r for r in caplog.records if r.name == "calbot.http"]
    assert access.getMessage().startswith("POST /calcom/webhooks/[redacted] 500 ")


async def test_a_request_cut_short_still_leaves_its_access_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A stop's deadline cancels a delivery waiting on its commit: the operator still sees
    the request, as a 500, and nothing is sent for a client no longer served."""
    waiting = asyncio.Event()

    async def stuck(token: str, signature: str | None, read: ReadBody) -> Any:
        waiting.set()
        await asyncio.Event().wait()

    sent: list[Any] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"{}", "more_body": False}

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/calcom/webhooks/t0k", "headers": []}
    route = WebhookRoute(lambda *_: None, endpoint=stuck)  # type: ignore[arg-type, return-value]
    with caplog.at_level(logging.INFO):
        request = asyncio.ensure_future(route(scope, receive, send))
        await waiting.wait()
        request.cancel()
        with pytest.raises(asyncio.CancelledError):
            await request
    assert sent == []
    [access] = [r for r in caplog.records if r.name == "calbot.http"]
    assert access.getMessage().startswith("POST /calcom/webhooks/[redacted] 500 ")


def test_hostile_requests_to_the_webhook_route_never_crash_or_store(
    bot: NotifyBot, sam: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """Seeded: methods, paths, signatures (right, wrong, short, missing, doubled, upper
    case), content types and bodies (Cal.com's real deliveries mutated, junk, deep
    nesting) in every mix. The route parses its own headers and path now that Starlette
    does not: never a 5xx or an error line, and a row only for a delivery signed right."""
    subscribe(bot, "me")
    sub = only_subscription(bot)
    rng = random.Random(20261202)
    fixtures = [json.loads(p.read_text()) for p in sorted(FIXTURES.glob("*.json"))]
    queued = 0
    with caplog.at_level(logging.WARNING), httpx.Client(base_url=bot.url) as client:
        for n in range(400):
            kind = rng.random()
            if kind < 0.6:
                payload = mutate(rng, rng.choice(fixtures), rng.choice((0, 1, 2, 3)))
                if isinstance(payload, dict) and isinstance(payload.get("payload"), dict):
                    payload["payload"]["uid"] = f"fuzz-{n}"  # each a booking of its own
                body = json.dumps(payload).encode()
            elif kind < 0.8:
                body = rng.randbytes(rng.randrange(0, 300))
            else:
                body = b"[" * rng.choice((10, 1000, 1025, 5000)) + b"]" * rng.choice((0, 10))
            good = hmac.new(sub.secret.encode(), body, hashlib.sha256).hexdigest()
            signature = rng.choice(
                (good, good, good.upper(), good[:-1], "0" * 64, "", "sha256=" + good, None)
            )
            headers = [("content-type", rng.choice(("application/json", "text/plain", "")))]
            if signature is not None:
                headers.append(("x-cal-signature-256", signature))
            if rng.random() < 0.1:  # doubled: the first one counts, as with Starlette
                headers.append(("x-cal-signature-256", "f" * 64))
            token = rng.choice((sub.token,) * 6 + ("", "nope", f"{sub.token}/x", "%2F"))
            method = rng.choice(("POST",) * 8 + ("GET", "PUT", "HEAD", "OPTIONS"))
            answer = client.request(
                method, f"/calcom/webhooks/{token}", content=body, headers=headers
            )
            assert answer.status_code < 500, (method, token, body[:200], answer.text)
            if answer.status_code == 200 and answer.json().get("queued"):
                assert signature in (good, good.upper()), signature  # signed right, or no row
                queued += 1
    assert [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info] == []
    assert bot.rt.store.db["outbox"].count == queued > 5  # the signed ones, and only those
