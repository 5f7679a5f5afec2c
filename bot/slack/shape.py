"""The shape of a Slack payload, checked before any listener reads it.

Slack signs what it sends, but a signed body can still be odd (a client bug, a replayed
and edited test payload, a new field type): `"user": "x"`, `"actions": 5`, a view whose
state is a number. Bolt's own parsing, authorization and matchers, then listeners, read
payloads as Slack documents them; rather than guard every read, the parts they read are
checked here, by payload type, and anything else is acked quietly (200, one warning line
naming the first wrong field, never a value). It runs before Bolt builds its request:
over HTTP on the raw body (bot/web.py), in Socket Mode on the envelope's payload
(bot/slack/socketmode.py). A Bolt middleware would be too late: Bolt reads
`body["actions"][0]` to build any middleware's arguments. Checked:
ids and values are strings, containers are objects, lists are lists of objects.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.request.internals import parse_body

log = logging.getLogger("calbot.slack.requests")

_OPTIONAL_TEXT = ("response_url", "trigger_id", "callback_id", "api_app_id")
_SELECTED_TEXT = ("value", "action_id", "block_id", "selected_date", "selected_user", "type")


class Odd(ValueError):
    """The first field that is not what Slack documents (its path, never its value)."""


# Slack's ids (users, teams, channels, views, message timestamps) are short: a long one is
# no id, and would overflow what calbot keeps it in (private_metadata's 3000 characters).
_IDS = frozenset(
    {"id", "user", "user_id", "team_id", "channel_id", "view_id", "message_ts", "ts"}
    | {"api_app_id", "enterprise_id", "root_view_id"}
)
MAX_ID = 64


def _text(node: dict[str, Any], key: str, where: str, *, required: bool = False) -> None:
    value = node.get(key)
    if value is None and not required:
        return
    if not isinstance(value, str) or (key in _IDS and len(value) > MAX_ID):
        raise Odd(f"{where}.{key}")


def _object(
    node: dict[str, Any], key: str, where: str, *, required: bool = False, strict: bool = False
) -> dict:
    """`strict`: present at all means an object (Bolt reads `body["view"]` unguarded)."""
    value = node.get(key)
    if value is None and not required and not (strict and key in node):
        return {}
    if not isinstance(value, dict):
        raise Odd(f"{where}.{key}")
    return value


def _objects(node: dict[str, Any], key: str, where: str, *, required: bool = False) -> list:
    value = node.get(key)
    if value is None and not required:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise Odd(f"{where}.{key}")
    if required and not value:
        raise Odd(f"{where}.{key}")
    return value


def _element(element: dict[str, Any], where: str) -> None:
    """A block element's state, or an action: strings where Slack puts strings."""
    for key in _SELECTED_TEXT:
        _text(element, key, where)
    option = _object(element, "selected_option", where)
    _text(option, "value", f"{where}.selected_option")
    for i, chosen in enumerate(_objects(element, "selected_options", where)):
        _text(chosen, "value", f"{where}.selected_options[{i}]")
    _strings(element, "selected_users", where)


def _strings(node: dict[str, Any], key: str, where: str) -> None:
    """`node[key]`, when present, is a list of strings (user ids)."""
    value = node.get(key)
    if value is not None and not (
        isinstance(value, list) and all(isinstance(v, str) for v in value)
    ):
        raise Odd(f"{where}.{key}")


def _view(body: dict[str, Any], *, required: bool) -> None:
    view = _object(body, "view", "body", required=required, strict=True)
    if not view:
        return
    for key in ("id", "callback_id", "private_metadata", "hash", "type", "root_view_id"):
        _text(view, key, "view")
    state = _object(view, "state", "view")
    values = _object(state, "values", "view.state")
    for block in values.values():
        if not isinstance(block, dict):
            raise Odd("view.state.values[]")
        for element in block.values():
            if not isinstance(element, dict):
                raise Odd("view.state.values[][]")
            _element(element, "view.state.values[][]")


def check(body: Any) -> None:
    """Raise `Odd` naming the first field calbot reads that is not of Slack's shape."""
    if not isinstance(body, dict):
        raise Odd("body")
    for key in ("user_id", "team_id", "channel_id", "text", "command", "type"):
        _text(body, key, "body")
    for key in _OPTIONAL_TEXT:
        _text(body, key, "body")
    user = _object(body, "user", "body", strict=True)
    _text(user, "id", "user")
    _text(user, "team_id", "user")
    _object(body, "event", "body", strict=True)  # Bolt's own authorization reads event.type
    _view(body, required=False)  # Bolt's matchers read view.callback_id on any payload
    for key in ("team", "channel", "container", "message", "enterprise"):
        node = _object(body, key, "body")
        for field in ("id", "channel_id", "message_ts", "ts", "user", "view_id"):
            _text(node, field, key)
    kind = body.get("type")
    if kind == "block_actions":
        for i, action in enumerate(_objects(body, "actions", "body", required=True)):
            _text(action, "action_id", f"actions[{i}]", required=True)
            _element(action, f"actions[{i}]")
    elif kind in ("view_submission", "view_closed"):
        _view(body, required=True)
        _text(body["view"], "callback_id", "view", required=True)
        _text(body["view"], "id", "view", required=True)
        if kind == "view_submission":  # its listeners echo the title in their answers
            title = _object(body["view"], "title", "view", required=True)
            _text(title, "text", "view.title", required=True)
        for i, url in enumerate(_objects(body, "response_urls", "body")):
            _text(url, "response_url", f"response_urls[{i}]")
            _text(url, "channel_id", f"response_urls[{i}]")
    elif kind == "event_callback":
        event = _object(body, "event", "body", required=True)
        _text(event, "type", "event", required=True)
        _text(event, "tab", "event")
        for key in ("user", "channel"):  # an id, or the object (user_change's user)
            if event.get(key) is not None and not isinstance(event[key], str | dict):
                raise Odd(f"event.{key}")
        tokens = _object(event, "tokens", "event")  # tokens_revoked: user ids, by kind
        for key in ("oauth", "bot"):
            _strings(tokens, key, "event.tokens")


def odd(body: bytes, content_type: str | None) -> str | None:
    """For the HTTP route, before Bolt parses anything (its authorization and matchers
    read the payload first): the first odd field of a raw request, or None."""
    try:
        payload = parse_body(body.decode("utf-8"), content_type)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, nested past any payload
        return "body"
    return odd_payload(payload)


def odd_payload(payload: Any) -> str | None:
    """The first odd field of a parsed payload (a Socket Mode envelope's), or None."""
    try:
        check(payload)
    except Odd as error:
        return str(error)
    return None
