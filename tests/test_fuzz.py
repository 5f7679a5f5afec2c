"""A fuzz run through the real ASGI app (issue 9): thousands of generated `/cal` texts and
mutated real interactive/event payloads, all validly signed. Nothing may answer 5xx, log
a traceback, or make calbot call any URL but the emulators'. Seeded, so a failure comes
back the same way; bounded by a case count (and a generous wall-clock guard).

`app_uninstalled` and `tokens_revoked` delete a whole workspace, so they are aimed at a
second one, T222, filled again with links before each and settled after: they run
against real rows every time, and the run's own workspace, T111, is never forgotten."""

from __future__ import annotations

import json
import logging
import os
import random
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes, urlencode

import pytest

from bot.blocks.notifications import booking_message
from bot.models import Link
from bot.notify import events
from tests.attacker import Attacker, attacker_server
from tests.emulators.blockkit import validate_blocks
from tests.emulators.calcom import CalcomEmulator
from tests.emulators.slack import SlackEmulator
from tests.fuzzgen import (
    FORGOTTEN_TEAM,
    command_texts,
    event_payload,
    interactive_payload,
    kept_away,
    lifecycle_payload,
    mutate,
)
from tests.helpers import Bot

FIXTURES = Path(__file__).parent / "fixtures" / "calcom"
SEED = int(os.environ.get("CALBOT_FUZZ_SEED") or 20261202)  # another seed explores more
TEXTS = 1000
PAYLOADS = 1500
WALL_GUARD = 120.0  # seconds: far above a normal run; only a hang reaches it
USERS = ["U1", "U1", "U1", "U2", "U3", "U000NOPE"]


class Tracebacks(logging.Handler):
    """Every log record that carries a traceback, or is an error."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info or record.stack_info or record.levelno >= logging.ERROR:
            self.records.append(record)

    def report(self) -> str:
        lines = []
        for record in self.records[:10]:
            lines.append(f"{record.name} {record.levelname}: {record.getMessage()[:300]}")
            if record.exc_info and record.exc_info[1] is not None:
                lines.append(f"  {type(record.exc_info[1]).__name__}: {record.exc_info[1]}"[:300])
        return "\n".join(lines)


@pytest.fixture
def tracebacks() -> Iterator[Tracebacks]:
    handler = Tracebacks()
    loggers = [
        logging.getLogger(),
        logging.getLogger("uvicorn"),
        logging.getLogger("uvicorn.error"),
    ]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield handler
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


@pytest.fixture
def attacker() -> Iterator[Attacker]:
    with attacker_server() as server:
        yield server


def _command_form(rng: random.Random, text: str, slack: SlackEmulator, attacker: str) -> bytes:
    user = rng.choice(USERS)
    form: dict[str, Any] = {
        "token": "legacy-unused",
        "team_id": "T111",
        "team_domain": "acme",
        "channel_id": rng.choice(["C1", "C1", "D1", "C999", ""]),
        "channel_name": "general",
        "user_id": user,
        "user_name": "someone",
        "command": "/cal",
        "text": text,
        "api_app_id": "A111",
        "response_url": rng.choice(
            [slack.new_response_url(channel="C1", user_id=user)] * 3 + [f"{attacker}/cmd"]
        ),
        "trigger_id": slack.new_trigger_id(user_id=user),
    }
    if rng.random() < 0.05:
        form.pop(rng.choice(list(form)))
    return urlencode(form).encode()


class ForgottenTeam:
    """FORGOTTEN_TEAM's links, each with its own Cal.com account and Maton connection, put
    back whenever a lifecycle event has forgotten them, so every such event has a whole
    workspace to delete (while the rest of the run, in T111, keeps its own)."""

    def __init__(self, bot: Bot, calcom: CalcomEmulator) -> None:
        self.bot, self.calcom = bot, calcom
        self.seeded = 0

    def ensure(self) -> None:
        # the store's one connection is the server loop's: read and written there, not from
        # this thread (a write from here inside one of its transactions breaks both)
        server, store = self.bot.server, self.bot.rt.store
        assert server is not None

        async def kept() -> bool:
            return bool(store.links(FORGOTTEN_TEAM))

        if server.call(kept):
            return
        self.seeded += 1
        links = []
        for user in ("U91", "U92"):
            username = f"gone{self.seeded}{user.lower()}"
            self.calcom.add_account(username=username, name=username, email=f"{username}@b.test")
            connection = self.calcom.add_connection(username)
            links.append(Link(FORGOTTEN_TEAM, user, connection.connection_id, "ACTIVE"))

        async def save() -> None:
            for link in links:
                store.save_link(link)

        server.call(save)


def test_fuzzed_commands_and_payloads_never_crash(
    bot: Bot,
    sam: Any,
    slack: SlackEmulator,
    calcom: CalcomEmulator,
    attacker: Attacker,
    tracebacks: Tracebacks,
) -> None:
    rng = random.Random(SEED)
    slack_url = slack.new_response_url(channel="C1", user_id="U1")
    started = time.monotonic()
    failures: list[str] = []
    forgotten = ForgottenTeam(bot, calcom)

    def send(body: bytes, content_type: str, what: str) -> None:
        # every URL a body names is the Slack emulator's or the attacker's: never the internet
        assert b"hooks.slack.com" not in body and b"hooks.slack.com" not in unquote_to_bytes(body)
        response = bot.slack.post(body, content_type)
        if response.status_code >= 500:
            failures.append(f"{response.status_code} for {what[:200]}")

    for text in command_texts(rng, TEXTS):
        send(
            _command_form(rng, text, slack, attacker.url), "application/x-www-form-urlencoded", text
        )
        assert time.monotonic() - started < WALL_GUARD
    for _ in range(PAYLOADS):
        user = rng.choice(USERS)
        kind = rng.random()
        if kind < 0.04:  # they delete a workspace: T222's, put back first, settled after
            forgotten.ensure()
            body = kept_away(mutate(rng, lifecycle_payload(rng), rng.randrange(3)))
            send(json.dumps(body).encode(), "application/json", json.dumps(body))
            bot.settle(timeout=30)
        elif kind < 0.15:
            body = mutate(rng, event_payload(rng, user), rng.randrange(3))
            send(json.dumps(body).encode(), "application/json", json.dumps(body))
        else:
            payload = interactive_payload(rng, slack_url, attacker.url, user)
            payload = mutate(rng, payload, rng.choice((0, 1, 1, 2, 3)))
            encoded = urlencode({"payload": json.dumps(payload)}).encode()
            send(encoded, "application/x-www-form-urlencoded", json.dumps(payload))
        assert time.monotonic() - started < WALL_GUARD
    bot.settle(timeout=60)

    assert failures == [], failures[:10]
    assert tracebacks.records == [], tracebacks.report()
    assert attacker.requests == []
    assert forgotten.seeded > 10  # many lifecycle events, mutated or not, forgot T222


def test_mutated_cal_com_deliveries_always_render() -> None:
    """Signed deliveries of the wrong types (tests/fixtures/calcom, mutated): each is read
    and rendered into blocks Slack accepts, or refused as not a delivery, never a crash."""
    rng = random.Random(SEED)
    bodies = [json.loads(p.read_text()) for p in sorted(FIXTURES.glob("*.json"))]
    rendered = 0
    for _ in range(3000):
        body = mutate(rng, rng.choice(bodies), rng.choice((1, 1, 2, 3, 5)))
        raw = json.dumps(body).encode()
        try:
            key = events.read_delivery(raw)
        except events.Malformed:
            continue
        if not key.is_booking:
            continue
        message = booking_message(events.normalise(body), ref=1, host_user_id="U1")
        assert validate_blocks(message["blocks"], "message") == [], body
        rendered += 1
    assert rendered > 500  # many mutations still name a booking, and every one renders
