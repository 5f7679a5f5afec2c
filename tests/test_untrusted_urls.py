"""Section 2 of issue 9: calbot never talks to a URL an unverified request named, and
answers through response URLs only on Slack's host."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from bot.slack.urls import is_slack_response_url
from tests.attacker import Attacker, attacker_server
from tests.emulators.calcom import CalcomEmulator
from tests.emulators.slack import SlackEmulator
from tests.helpers import SIGNING_SECRET, Bot
from tests.notifying import THU_10AM_NY, book_via_api
from tests.slackdriver import action_ids, sign, text_of

FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def attacker() -> Iterator[Attacker]:
    with attacker_server() as server:
        yield server


def _command(response_url: str, text: str = "help") -> bytes:
    return urlencode(
        {
            "team_id": "T111",
            "user_id": "U1",
            "command": "/cal",
            "text": text,
            "response_url": response_url,
            "trigger_id": "1.2.3",
        }
    ).encode()


def _interaction(response_url: str) -> bytes:
    payload = {
        "type": "block_actions",
        "user": {"id": "U1", "team_id": "T111"},
        "team": {"id": "T111"},
        "response_url": response_url,
        "actions": [{"action_id": "no_such_action", "value": "x"}],
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


@pytest.mark.parametrize("timestamp", ["abc", "", "1.5", "1e9", "-5", "+12", "9" * 40])
@pytest.mark.parametrize("make_body", [_command, _interaction], ids=["command", "interaction"])
def test_malformed_timestamp_is_401_and_nothing_is_sent(
    bot: Bot, slack: SlackEmulator, attacker: Attacker, timestamp: str, make_body: object
) -> None:
    body = make_body(f"{attacker.url}/hook")  # type: ignore[operator]
    headers = {"Content-Type": FORM, "X-Slack-Request-Timestamp": timestamp}
    headers["X-Slack-Signature"] = "v0=" + "0" * 64
    response = httpx.post(f"{bot.url}/slack/events", content=body, headers=headers)

    assert response.status_code == 401
    bot.settle()
    assert attacker.requests == []
    assert slack.calls == []


@pytest.mark.parametrize(
    "signature", ["", "v0=", "v1=" + "a" * 64, "v0=" + "g" * 64, "v0=" + "A" * 64, "v0=abc"]
)
def test_malformed_signature_is_401_and_nothing_is_sent(
    bot: Bot, slack: SlackEmulator, attacker: Attacker, signature: str
) -> None:
    body = _command(f"{attacker.url}/hook")
    headers = {"Content-Type": FORM, **sign(SIGNING_SECRET, body)}
    headers["X-Slack-Signature"] = signature
    response = httpx.post(f"{bot.url}/slack/events", content=body, headers=headers)

    assert response.status_code == 401
    bot.settle()
    assert attacker.requests == []
    assert slack.calls == []


def test_wrong_signature_with_a_response_url_is_401_and_nothing_is_sent(
    bot: Bot, slack: SlackEmulator, attacker: Attacker
) -> None:
    body = _interaction(f"{attacker.url}/hook")
    headers = {"Content-Type": FORM, **sign("not-the-secret", body)}
    response = httpx.post(f"{bot.url}/slack/events", content=body, headers=headers)

    assert response.status_code == 401
    bot.settle()
    assert attacker.requests == [] and slack.calls == []


def test_signed_request_naming_a_foreign_response_url_is_answered_by_dm(
    bot: Bot, slack: SlackEmulator, attacker: Attacker
) -> None:
    # help needs no I/O: its answer is the ack itself, the URL is not even looked at
    helped = bot.slack.post(_command(f"{attacker.url}/hook"), FORM)
    assert helped.status_code == 200 and "/cal book" in text_of(helped.json())

    # an answer that comes later goes by DM, never to the URL named in the body
    body = _command(f"{attacker.url}/hook", text="bookings")
    response = bot.slack.post(body, FORM)

    assert response.status_code == 200
    dm = slack.wait_for("chat.postMessage", lambda c: c.args["channel"] == "U1")[0]
    assert "/cal" in text_of(dm.args)
    bot.settle()
    assert attacker.requests == []


@pytest.mark.parametrize(
    ("url", "trusted"),
    [
        ("https://hooks.slack.com/commands/T111/1/abc", True),
        ("https://hooks.slack.com/actions/T111/1/abc", True),
        ("http://hooks.slack.com/commands/T111/1/abc", False),
        ("https://hooks.slack.com.attacker.test/x", False),
        ("https://attacker.test@hooks.slack.com/x", False),
        ("https://hooks.slack.com:8443/x", False),
        ("https://attacker.test/hooks.slack.com", False),
        ("file:///etc/passwd", False),
        ("", False),
        (None, False),
        (["https://hooks.slack.com/x"], False),
    ],
)
def test_only_slacks_host_is_a_response_url(url: object, trusted: bool) -> None:
    assert is_slack_response_url(url, "https://slack.com/api/") is trusted


def test_govslack_response_urls_follow_its_api_host() -> None:
    gov = "https://slack-gov.com/api/"
    assert is_slack_response_url("https://hooks.slack-gov.com/commands/T1/1/x", gov)
    assert not is_slack_response_url("https://hooks.slack-gov.com/commands/T1/1/x", None)
    assert not is_slack_response_url("https://hooks.evil.test/x", gov)


def test_the_slack_api_host_counts_as_slack(slack: SlackEmulator) -> None:
    """In tests the emulator is Slack: its host comes from SLACK_API_URL, no new setting."""
    assert is_slack_response_url(slack.new_response_url(user_id="U1"), slack.api_url)
    assert not is_slack_response_url("http://127.0.0.1:1/response/x", slack.api_url)


def test_a_modal_whose_private_metadata_names_a_foreign_url_answers_by_dm(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, attacker: Attacker, sam: Any
) -> None:
    """The cancel-reason modal keeps the list's response URL in private_metadata; a
    payload naming another address there gets its answer by DM instead."""
    uid = book_via_api(calcom, calcom.account("sam").event_type("30min")["id"], THU_10AM_NY)["uid"]
    listing = bot.slack.reply(bot.slack.command("bookings"))
    row = next(b for b in listing["blocks"] if "cancel_booking" in action_ids({"blocks": [b]}))
    bot.slack.click("cancel_booking", value=uid, block_id=row["block_id"])
    [opened] = slack.wait_for("views.open")
    view = opened.response["view"]
    meta = json.loads(view["private_metadata"])
    view = {**view, "private_metadata": json.dumps({**meta, "url": f"{attacker.url}/meta"})}

    bot.slack.submit_view(view, {"cancel_reason": "Double-booked, sorry"})
    dm = slack.wait_for("chat.postMessage", lambda c: c.args["channel"] == "U1")[0]
    assert "No upcoming bookings" in text_of(dm.args)
    assert calcom.bookings[uid]["status"] == "cancelled"
    bot.settle()
    assert attacker.requests == []
