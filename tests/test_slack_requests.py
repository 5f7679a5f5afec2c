"""The Slack route: signatures are checked, and the HTTP answer never waits for the gateway."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import httpx
from slack_sdk.signature import SignatureVerifier

from tests.emulators.calcom import CalcomEmulator
from tests.helpers import SIGNING_SECRET, Bot, link_user
from tests.reference import REFERENCE
from tests.slackdriver import sign, text_of

FORM = "application/x-www-form-urlencoded"


def test_signing_test_vector_verifies_with_pinned_clock() -> None:
    vector = json.loads((REFERENCE / "slack-signing-test-vector.json").read_text())
    verifier = SignatureVerifier(vector["signing_secret"], clock=_Pinned(int(vector["timestamp"])))
    headers = {
        "x-slack-request-timestamp": vector["timestamp"],
        "x-slack-signature": vector["expected_signature"],
    }
    assert verifier.is_valid_request(vector["body"], headers)
    assert not verifier.is_valid_request(vector["body"] + "x", headers)
    # our test signer produces the same signature
    ours = sign(vector["signing_secret"], vector["body"].encode(), int(vector["timestamp"]))
    assert ours["X-Slack-Signature"] == vector["expected_signature"]


class _Pinned:
    def __init__(self, now: int):
        self._now = now

    def now(self) -> float:
        return float(self._now)


def _command_body(text: str = "help") -> bytes:
    return urlencode(
        {"team_id": "T111", "user_id": "U1", "command": "/cal", "text": text, "trigger_id": "1.2"}
    ).encode()


def test_unsigned_request_is_401(bot: Bot) -> None:
    response = httpx.post(
        f"{bot.url}/slack/events", content=_command_body(), headers={"Content-Type": FORM}
    )
    assert response.status_code == 401


def test_wrongly_signed_request_is_401(bot: Bot) -> None:
    headers = {"Content-Type": FORM, **sign("not-the-secret", _command_body())}
    response = httpx.post(f"{bot.url}/slack/events", content=_command_body(), headers=headers)
    assert response.status_code == 401


def test_stale_request_is_401(bot: Bot) -> None:
    stale = int(time.time()) - 6 * 60
    headers = {"Content-Type": FORM, **sign(SIGNING_SECRET, _command_body(), stale)}
    response = httpx.post(f"{bot.url}/slack/events", content=_command_body(), headers=headers)
    assert response.status_code == 401


def test_slash_command_acks_before_a_slow_gateway(bot: Bot, calcom: CalcomEmulator) -> None:
    link_user(bot, calcom, "U1", "sam", name="Sam Jones")
    calcom.fault("delay", path="/cal-com/v2/me", seconds=5)

    started = time.perf_counter()
    sent = bot.slack.command("me")
    elapsed = time.perf_counter() - started

    assert sent.response.status_code == 200
    assert elapsed < 2, f"the HTTP answer took {elapsed:.2f} s; Slack gives up at 3 s"
    # the answer still comes, after the delay, through the response URL
    assert "Sam Jones" in text_of(bot.slack.reply(sent, timeout=15))
