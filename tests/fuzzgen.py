"""Seeded generators of hostile-but-signed Slack input for tests/test_fuzz.py.

`/cal` texts are built from the grammar's own words, time phrases, mentions (real and
not), huge numbers and junk. Interactive and event payloads start from Slack's real
payloads (tests/reference/slack-payloads, from bolt-python's tests), are pointed at
calbot's own action, view and shortcut ids, then mutated: values of the wrong type,
keys removed, huge strings, nested junk. Every URL they carry is the Slack emulator's or
an attacker's, never the internet's.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from typing import Any

from bot.ids import Action, Block, Shortcut, View
from tests.reference import REFERENCE

PAYLOADS = REFERENCE / "slack-payloads"

WORDS = [
    "book",
    "slots",
    "types",
    "list",
    "bookings",
    "cancel",
    "reschedule",
    "connect",
    "disconnect",
    "status",
    "me",
    "help",
    "notify",
    "off",
    "settings",
    "schedule",
    "home",
    "tomorrow",
    "today",
    "next",
    "week",
    "monday",
    "fri",
    "at",
    "3pm",
    "15:00",
    "noon",
    "in",
    "2",
    "days",
    "hours",
    "30",
    "30min",
    "1h",
    "1.5h",
    "15m",
    "with",
    "for",
    "on",
    "created",
    "rescheduled",
    "cancelled",
    "requested",
    "all",
    "me",
    "#general",
    "<#C1|general>",
    "<#C999|nope>",
    "<@U1|sam>",
    "<@U2|alice>",
    "<@U3|bob>",
    "<@U000NOPE|ghost>",
    "<@W999>",
    "jane@example.com",
    "<mailto:a@b.test|a@b.test>",
    "<https://cal.com/sam/30min|link>",
    "a@b",
    "@",
    "<",
    ">",
    "|",
    "<@>",
    "<#>",
    "!",
    "\u202e",
    "\x00",
    "\t",
    "🙂",
    "ßüñ",
    "..",
    "--",
    "-1",
    "0",
    "00:99",
    "25:61",
    "31/02",
    "2026-02-30",
    "1e309",
    "nan",
    "inf",
    "9" * 20,
    "1" + "0" * 309,
    "9" * 400 + "h",
    "a" * 300,
    "x" * 3000,
    "'",
    '"',
    "`",
    "*",
    "_",
    "~",
    "&amp;",
    "&lt;",
    "%s",
    "{}",
]

JUNK: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    5,
    1.5,
    10**30,
    1e308,
    "",
    " ",
    "x",
    "\x00",
    "🙂" * 50,
    "a" * 5000,
    [],
    {},
    [1, "a"],
    {"a": {"b": [None]}},
    [[[[[[[[[[]]]]]]]]]],
    "U1",
    "T111",
    "C1",
    "V1",
    "1",
    "9" * 40,
    "nope:1",
    ":",
    "a:b:c",
    "../../etc",
    "javascript:alert(1)",
]


def command_texts(rng: random.Random, count: int) -> Iterator[str]:
    for _ in range(count):
        size = rng.choice((0, 1, 1, 2, 3, 3, 4, 5, 8, 20))
        yield " ".join(rng.choice(WORDS) for _ in range(size))


def _load(name: str) -> dict[str, Any]:
    return json.loads((PAYLOADS / name).read_text())


def _action_id(rng: random.Random) -> str:
    action = str(rng.choice(list(Action)))
    suffix = rng.choice(["", "", f":{rng.randrange(10**10)}", ":x", ".on", ":"])
    return action + suffix


def _value(rng: random.Random, attacker: str) -> Any:
    return rng.choice(
        [
            "",
            "1",
            "42",
            "fresh",
            "abc",
            "uid-123456",
            "x" * 200,
            f"{rng.randrange(10**12)}",
            f"intent:{rng.randrange(10**10)}",
            "upcoming:0",
            "past:-5",
            "upcoming:1e9",
            f"{attacker}/v",
            "1:2:3",
            "9" * 400,
            None,
            5,
            [],
            {},
        ]
    )


def _private_metadata(rng: random.Random, attacker: str) -> Any:
    return rng.choice(
        [
            "",
            "{",
            "[]",
            "null",
            "5",
            '"x"',
            json.dumps({"url": f"{attacker}/meta"}),
            json.dumps({"intent": "nope", "start": 10**30, "url": f"{attacker}/m"}),
            json.dumps({"ref": "x"}),
            json.dumps({"ref": 10**40}),
            json.dumps({"uid": 5}),
            json.dumps({"uid": "uid-1", "url": None, "list": 7, "replace": "yes"}),
            json.dumps({"rev": -1, "host": [], "type": {}, "day": "2026-99-99"}),
            "[" * 500 + "]" * 500,
            None,
            7,
        ]
    )


def _state(rng: random.Random) -> Any:
    values: dict[str, Any] = {}
    for _ in range(rng.randrange(4)):
        block = str(rng.choice(list(Block))) + rng.choice(["", ".1", ".x"])
        element = rng.choice(
            [
                {"type": "plain_text_input", "value": rng.choice(JUNK)},
                {
                    "type": "static_select",
                    "selected_option": rng.choice([None, {}, {"value": "7"}]),
                },
                {"type": "datepicker", "selected_date": rng.choice(["2026-11-27", "x", None, 5])},
                {"type": "users_select", "selected_user": rng.choice(["U1", "U000NOPE", None])},
                {"type": "checkboxes", "selected_options": rng.choice([[], [{"value": "on"}], 5])},
                rng.choice(JUNK),
            ]
        )
        values[block] = {rng.choice(["value", str(rng.choice(list(Action)))]): element}
    return rng.choice([{"values": values}, {"values": values}, {"values": 5}, [], None])


def interactive_payload(
    rng: random.Random, slack_url: str, attacker: str, user: str
) -> dict[str, Any]:
    """One payload of a random kind, pointed at calbot's ids, not yet mutated."""
    kind = rng.choice(["block_actions"] * 4 + ["view_submission"] * 3 + ["view_closed", "shortcut"])
    response_url = rng.choice([slack_url, slack_url, slack_url, f"{attacker}/response"])
    if kind == "block_actions":
        body = _load("block_actions.json")
        action = body["actions"][0]
        action["action_id"] = _action_id(rng)
        action["block_id"] = str(rng.choice(list(Block))) + rng.choice(["", ":uid-1", ":x:0:y"])
        action["value"] = _value(rng, attacker)
        if rng.random() < 0.3:
            action["selected_option"] = {"value": _value(rng, attacker)}
        if rng.random() < 0.3:
            body["view"] = {
                "id": f"V{rng.randrange(100)}",
                "callback_id": str(rng.choice(list(View))),
                "private_metadata": _private_metadata(rng, attacker),
                "state": _state(rng),
                "hash": "h",
            }
            body["container"] = {"type": "view", "view_id": body["view"]["id"]}
        body["response_url"] = response_url
    elif kind in ("view_submission", "view_closed"):
        body = _load(f"{kind}.json")
        view = body["view"]
        view["callback_id"] = str(rng.choice(list(View)))
        view["private_metadata"] = _private_metadata(rng, attacker)
        view["state"] = _state(rng)
        if rng.random() < 0.3:
            body["response_urls"] = [{"response_url": response_url, "channel_id": "C1"}]
    else:
        body = _load(rng.choice(["shortcut_global.json", "shortcut_message_action.json"]))
        body["callback_id"] = str(rng.choice(list(Shortcut)))
        if "response_url" in body:
            body["response_url"] = response_url
    body["user"] = {"id": user, "username": "someone", "team_id": "T111"}
    body["team"] = {"id": "T111", "domain": "acme"}
    body.pop("enterprise", None)
    body["trigger_id"] = rng.choice(["1.2.3", "", "x"])
    return body


def event_payload(rng: random.Random, user: str) -> dict[str, Any]:
    """app_home_opened as Slack sends it, or calbot's other events in its envelope:
    link_shared (a booking link) and user_change (the whole user object)."""
    body = _load("event_app_home_opened.json")
    body["team_id"] = "T111"
    body.pop("enterprise_id", None)
    body.pop("authorizations", None)
    kind = rng.choice(["app_home_opened", "app_home_opened", "link_shared", "user_change"])
    if kind == "link_shared":
        link = rng.choice(["https://cal.com/sam/30min", "https://cal.com/x", "https://x.test/"])
        body["event"] = {
            "type": "link_shared",
            "channel": "C1",
            "user": user,
            "message_ts": "1.2",
            "links": [{"url": link, "domain": "cal.com"}],
            "source": rng.choice(["conversations_history", "composer"]),
            "unfurl_id": "U.1",
        }
    elif kind == "user_change":
        tz = rng.choice(["Europe/London", "Nowhere/Else", "", 5])
        body["event"] = {"type": "user_change", "user": {"id": user, "team_id": "T111", "tz": tz}}
    else:
        body["event"]["user"] = user
        body["event"]["tab"] = rng.choice(["home", "home", "messages", 5, None])
    body["event_id"] = f"Ev{rng.randrange(10**9)}"
    return body


FORGOTTEN_TEAM = "T222"  # the workspace lifecycle events forget; the run's own is T111


def lifecycle_payload(rng: random.Random) -> dict[str, Any]:
    """`app_uninstalled` or `tokens_revoked` (the bot's token, a user's, both or neither)
    in the Events API envelope, for FORGOTTEN_TEAM: they delete everything kept for their
    team, so they never name T111, whose links the rest of the run reads."""
    body = _load("event_app_home_opened.json")
    body["team_id"] = FORGOTTEN_TEAM
    body.pop("enterprise_id", None)
    body.pop("authorizations", None)
    kind = rng.choice(["app_uninstalled", "tokens_revoked"])
    body["event"] = {"type": kind, "event_ts": "1606810927.510671"}
    if kind == "tokens_revoked":
        body["event"]["tokens"] = rng.choice(
            [{"bot": ["UB222"]}, {"oauth": ["U91"]}, {"oauth": ["U91"], "bot": ["UB222"]}, {}]
        )
    body["event_id"] = f"Ev{rng.randrange(10**9)}"
    return body


def kept_away(body: Any) -> Any:
    """A mutated lifecycle event that names T111 (JUNK has it) aimed back at
    FORGOTTEN_TEAM: calbot reads an event's team from `team_id` alone."""
    if isinstance(body, dict) and body.get("team_id") == "T111":
        body["team_id"] = FORGOTTEN_TEAM
    return body


def mutate(rng: random.Random, body: Any, times: int) -> Any:
    """`body` with `times` random changes at random depths: a value replaced by junk, a key
    removed, a list emptied. Never touches a URL into anything but junk."""
    body = copy.deepcopy(body)
    for _ in range(times):
        parent, key = _random_slot(rng, body)
        if parent is None:
            continue
        choice = rng.random()
        if choice < 0.35 and isinstance(parent, dict):
            parent.pop(key, None)
        else:
            parent[key] = copy.deepcopy(rng.choice(JUNK))
    return body


def _random_slot(rng: random.Random, node: Any) -> tuple[Any, Any]:
    parent, key = None, None
    while isinstance(node, dict | list) and node:
        keys = list(node.keys()) if isinstance(node, dict) else list(range(len(node)))
        chosen = rng.choice(keys)
        parent, key = node, chosen
        if key in ("response_url",) or rng.random() < 0.35:
            break
        node = node[chosen]
    if key == "response_url":
        return None, None
    return parent, key
