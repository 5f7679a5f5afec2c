"""Send requests to the bot exactly as Slack does: signed, form- or JSON-encoded, over HTTP.

Response URLs and trigger ids come from the Slack emulator, so whatever the bot does
after acking lands there, where tests wait for it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx

from tests.emulators.slack import SlackEmulator


def sign(secret: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    base = b"v0:" + ts.encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


@dataclass
class Sent:
    """A request sent to the bot: its HTTP answer, and where its replies will arrive."""

    response: httpx.Response
    response_url: str


class SlackDriver:
    def __init__(
        self, bot_url: str, signing_secret: str, slack: SlackEmulator, team_id: str = "T111"
    ):
        self.url = f"{bot_url}/slack/events"
        self.secret = signing_secret
        self.slack = slack
        self.team_id = team_id
        self.http = httpx.Client(timeout=10)

    def close(self) -> None:
        self.http.close()

    def post(
        self, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        sent = {"Content-Type": content_type, **sign(self.secret, body), **(headers or {})}
        return self.http.post(self.url, content=body, headers=sent)

    def command(self, text: str, *, user: str = "U1", channel: str = "C1") -> Sent:
        response_url = self.slack.new_response_url(channel=channel, user_id=user)
        form = {
            "token": "legacy-unused",
            "team_id": self.team_id,
            "team_domain": "acme",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": user.lower(),
            "command": "/cal",
            "text": text,
            "api_app_id": "A111",
            "response_url": response_url,
            "trigger_id": self.slack.new_trigger_id(user_id=user),
        }
        body = urlencode(form).encode()
        return Sent(self.post(body, "application/x-www-form-urlencoded"), response_url)

    def interact(self, payload: dict[str, Any]) -> httpx.Response:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.post(body, "application/x-www-form-urlencoded")

    def click(
        self,
        action_id: str,
        *,
        value: str | None = None,
        user: str = "U1",
        block_id: str = "b",
        message: dict[str, Any] | None = None,
        channel: str = "C1",
    ) -> Sent:
        """Press a button on a message: ephemeral, as the bot's replies are, unless
        `message` (one the bot posted, with its `ts`) is given."""
        response_url = self.slack.new_response_url(channel=channel, user_id=user)
        action: dict[str, Any] = {
            "action_id": action_id,
            "block_id": block_id,
            "type": "button",
            "text": {"type": "plain_text", "text": "Button"},
            "action_ts": f"{time.time():.6f}",
        }
        if value is not None:
            action["value"] = value
        payload = {
            "type": "block_actions",
            "user": {"id": user, "username": user.lower(), "team_id": self.team_id},
            "api_app_id": "A111",
            "container": {
                "type": "message",
                "message_ts": (message or {}).get("ts", "111.222"),
                "channel_id": channel,
                "is_ephemeral": message is None or "ts" not in message,
            },
            "trigger_id": self.slack.new_trigger_id(user_id=user),
            "team": {"id": self.team_id, "domain": "acme"},
            "channel": {"id": channel, "name": "general"},
            "message": message or {"type": "message", "ts": "111.222", "text": "", "blocks": []},
            "response_url": response_url,
            "actions": [action],
        }
        return Sent(self.interact(payload), response_url)

    def click_unfurl(
        self,
        action_id: str,
        *,
        value: str,
        url: str,
        blocks: list[dict[str, Any]],
        user: str = "U1",
        channel: str = "C1",
        message_ts: str = "111.222",
    ) -> Sent:
        """Press a button on an app unfurl, in Slack's documented shape ("Unfurling links in
        messages"): no `message` (the message is someone else's), an `app_unfurl` with the
        card's blocks, a `message_attachment` container, and a response URL."""
        response_url = self.slack.new_response_url(
            channel=channel, user_id=user, message_ts=message_ts
        )
        action = {
            "action_id": action_id,
            "block_id": "b",
            "type": "button",
            "text": {"type": "plain_text", "text": "Button"},
            "value": value,
            "action_ts": f"{time.time():.6f}",
        }
        payload = {
            "type": "block_actions",
            "actions": [action],
            "app_unfurl": {"id": 1, "blocks": blocks, "app_unfurl_url": url, "is_app_unfurl": True},
            "team": {"id": self.team_id, "domain": "acme"},
            "channel": {"id": channel, "name": "sales"},
            "user": {"id": user, "name": user.lower(), "team_id": self.team_id},
            "api_app_id": "A111",
            "token": "legacy-unused",
            "container": {
                "type": "message_attachment",
                "message_ts": message_ts,
                "attachment_id": 1,
                "channel_id": channel,
                "is_ephemeral": False,
                "is_app_unfurl": True,
                "app_unfurl_url": url,
            },
            "trigger_id": self.slack.new_trigger_id(user_id=user),
            "response_url": response_url,
        }
        return Sent(self.interact(payload), response_url)

    def submit_view(
        self, view: dict[str, Any], values: dict[str, Any], *, user: str = "U1"
    ) -> httpx.Response:
        """Submit a modal as the user would. `values`: block id → a text input's string, or
        that block's full state dict ({action_id: {"type": ..., ...}})."""
        state = {
            block: value
            if isinstance(value, dict)
            else {"value": {"type": "plain_text_input", "value": value}}
            for block, value in values.items()
        }
        submitted = {**view, "state": {"values": state}}
        payload = {
            "type": "view_submission",
            "team": {"id": self.team_id, "domain": "acme"},
            "user": {"id": user, "username": user.lower(), "team_id": self.team_id},
            "api_app_id": "A111",
            "trigger_id": self.slack.new_trigger_id(user_id=user),
            "view": submitted,
            "response_urls": [],
        }
        return self.interact(payload)

    def replies(self, sent: Sent, *, count: int = 1, timeout: float = 5) -> list[dict[str, Any]]:
        """Wait for `count` answers to `sent`; return them all. A message in the ack itself
        (a command answered without I/O, or "busy") is the first, as Slack shows it first;
        the rest arrive on the response URL.

        Interim lines ("Looking up free times…", shown when an answer is slow, whatever the
        machine's load) are left out: see `interims` for those."""
        acked = ack_message(sent.response)
        if acked is not None:
            if count == 1:
                return [acked]
            return [acked, *self._posted(sent, count - 1, timeout)]
        return self._posted(sent, count, timeout)

    def _posted(self, sent: Sent, count: int, timeout: float) -> list[dict[str, Any]]:
        url_id = sent.response_url.rsplit("/", 1)[1]

        def answer(c: Any) -> bool:
            return c.url_id == url_id and not is_interim(c.args)

        self.slack.wait_for("response_url", answer, count=count, timeout=timeout)
        return [c.args for c in self.slack.calls_to("response_url") if answer(c)]

    def interims(self, sent: Sent, *, timeout: float = 5) -> list[dict[str, Any]]:
        """Wait for the interim line on `sent`'s response URL; the ones posted so far."""
        url_id = sent.response_url.rsplit("/", 1)[1]

        def interim(c: Any) -> bool:
            return c.url_id == url_id and is_interim(c.args)

        self.slack.wait_for("response_url", interim, timeout=timeout)
        return [c.args for c in self.slack.calls_to("response_url") if interim(c)]

    def reply(self, sent: Sent, *, timeout: float = 5) -> dict[str, Any]:
        """The bot's first reply to `sent`."""
        return self.replies(sent, timeout=timeout)[0]


def ack_message(response: Any) -> dict[str, Any] | None:
    """The message an ack carries (Slack shows it to the person at once), if any."""
    if not response.content.strip():
        return None
    try:
        body = response.json()
    except ValueError:
        return None  # a plain-text answer (an error page), no message
    if not isinstance(body, dict) or not ("text" in body or "blocks" in body):
        return None  # a view_submission's response_action, an options list...
    return body


def is_interim(payload: dict[str, Any]) -> bool:
    """An interim progress line (bot/blocks/progress.py)."""
    return str(payload.get("text") or "").startswith(":hourglass_flowing_sand:")


def _nodes(node: Any) -> list[dict[str, Any]]:
    """Every dict inside a Block Kit structure, depth first."""
    if isinstance(node, dict):
        return [node, *(n for value in node.values() for n in _nodes(value))]
    if isinstance(node, list):
        return [n for item in node for n in _nodes(item)]
    return []


def text_of(payload: dict[str, Any]) -> str:
    """Every piece of text in a message or view, joined: what a reader would see."""
    texts = [
        n["text"]
        for n in _nodes(payload.get("blocks") or [])
        if n.get("type") in ("plain_text", "mrkdwn") and isinstance(n.get("text"), str)
    ]
    return "\n".join([payload.get("text") or "", *texts])


def action_ids(payload: dict[str, Any]) -> list[str]:
    """The action ids of every interactive element in a message or view."""
    return [n["action_id"] for n in _nodes(payload.get("blocks") or []) if "action_id" in n]


def button_value(payload: dict[str, Any], action_id: str) -> str:
    """The value of the button `action_id` in a message or view."""
    return next(
        n["value"] for n in _nodes(payload.get("blocks") or []) if n.get("action_id") == action_id
    )
