"""Drive modals, the App Home and shortcuts as Slack does: signed requests built from the
Slack emulator's views, and the bot's answers to submissions applied back to them.

    views = ViewDriver(bot, slack)
    view = views.open_with(bot.slack.command(""))     # waits for views.open, then the fill
    view = views.choose(view, "booking_date", {"type": "datepicker", "selected_date": ...})
    answer = views.submit(view)                       # {} closed, or response_action
"""

from __future__ import annotations

import copy
import json
import time
from typing import Any

import httpx

from tests.emulators.slack import SlackEmulator
from tests.helpers import Bot

TEAM = {"id": "T111", "domain": "acme"}


def _user(user: str) -> dict[str, Any]:
    return {"id": user, "username": user.lower(), "name": user.lower(), "team_id": "T111"}


def find_block(view: dict[str, Any], prefix: str) -> dict[str, Any]:
    """The block whose id is `prefix` or `prefix.<rev>`."""
    for block in view["blocks"]:
        found = block.get("block_id", "")
        if found == prefix or found.startswith(f"{prefix}."):
            return block
    raise KeyError(f"no block {prefix} in {[b.get('block_id') for b in view['blocks']]}")


def has_block(view: dict[str, Any], prefix: str) -> bool:
    try:
        find_block(view, prefix)
    except KeyError:
        return False
    return True


def option_texts(view: dict[str, Any], prefix: str) -> list[str]:
    return [o["text"]["text"] for o in find_block(view, prefix)["element"]["options"]]


def option(view: dict[str, Any], prefix: str, text: str) -> dict[str, Any]:
    """The option shown as `text` in a select: what Slack sends when it is chosen."""
    element = find_block(view, prefix)["element"]
    options = element.get("options") or [
        o for g in element.get("option_groups") or [] for o in g["options"]
    ]
    return next(o for o in options if o["text"]["text"] == text)


_INITIAL = {
    "plain_text_input": ("initial_value", "value"),
    "number_input": ("initial_value", "value"),
    "email_text_input": ("initial_value", "value"),
    "static_select": ("initial_option", "selected_option"),
    "users_select": ("initial_user", "selected_user"),
    "multi_users_select": ("initial_users", "selected_users"),
    "datepicker": ("initial_date", "selected_date"),
    "timepicker": ("initial_time", "selected_time"),
    "checkboxes": ("initial_options", "selected_options"),
}


def submitted_state(view: dict[str, Any]) -> dict[str, Any]:
    """The state Slack submits: what the user changed, and untouched inputs' initial values."""
    values = copy.deepcopy(view["state"]["values"])
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element = block["element"]
        initial, key = _INITIAL.get(element["type"], (None, None))
        done = values.get(block["block_id"], {}).get(element["action_id"])
        if done is None and initial and element.get(initial) is not None:
            values.setdefault(block["block_id"], {})[element["action_id"]] = {
                "type": element["type"],
                key: element[initial],
            }
    return values


class ViewDriver:
    def __init__(self, bot: Bot, slack: SlackEmulator) -> None:
        self.bot, self.slack = bot, slack

    def refused(self) -> list[Any]:
        """Every view Slack would have refused (invalid blocks, dead trigger, bad answer)."""
        return [
            c
            for c in self.slack.failed_calls()
            if c.method.startswith("views.") or c.method == "view_submission_response"
        ]

    # ------------------------------------------------------------------ waiting

    def updates(self, view_id: str) -> int:
        return len([c for c in self.slack.calls_to("views.update") if c.args["view_id"] == view_id])

    def after_update(self, view_id: str, seen: int, *, timeout: float = 5) -> dict[str, Any]:
        """The view once the bot has updated it more than `seen` times."""
        self.slack.wait_for(
            "views.update", lambda c: c.args["view_id"] == view_id, count=seen + 1, timeout=timeout
        )
        [last] = [c for c in self.slack.calls_to("views.update") if c.args["view_id"] == view_id][
            seen : seen + 1
        ]
        assert last.ok, last.response
        return self.slack.views[view_id]

    def opened(self, count: int = 1) -> dict[str, Any]:
        """The `count`-th modal the bot opened, once it has filled it in."""
        calls = self.slack.wait_for("views.open", count=count)
        call = calls[count - 1]
        assert call.ok, call.response
        return self.after_update(call.response["view"]["id"], 0)

    # ------------------------------------------------------------------ requests

    def _action_payload(
        self, view: dict[str, Any], action: dict[str, Any], user: str
    ) -> dict[str, Any]:
        container = {"type": "view", "view_id": view["id"]}
        return {
            "type": "block_actions",
            "team": TEAM,
            "user": _user(user),
            "api_app_id": "A111",
            "token": "legacy-unused",
            "container": container,
            "trigger_id": self.slack.new_trigger_id(user_id=user, view_id=view["id"]),
            "view": copy.deepcopy(view),
            "actions": [{**action, "action_ts": f"{time.time():.6f}"}],
        }

    def choose(
        self, view: dict[str, Any], prefix: str, value: dict[str, Any], *, user: str = "U1"
    ) -> httpx.Response:
        """Change a dispatching input (select, date...) as a user would."""
        block = find_block(self.slack.views[view["id"]], prefix)
        action_id = block["element"]["action_id"]
        self.slack.set_view_state(view["id"], {block["block_id"]: {action_id: value}})
        current = self.slack.views[view["id"]]
        action = {"action_id": action_id, "block_id": block["block_id"], **value}
        return self.bot.slack.interact(self._action_payload(current, action, user))

    def type_in(self, view: dict[str, Any], values: dict[str, Any]) -> None:
        """Fill inputs without dispatching: {block prefix: text or element state}."""
        current = self.slack.views[view["id"]]
        state = {}
        for prefix, value in values.items():
            block = find_block(current, prefix)
            element = block.get("element") or {}
            if isinstance(value, str):
                value = {"type": element.get("type", "plain_text_input"), "value": value}
            state[block["block_id"]] = {element["action_id"]: value}
        self.slack.set_view_state(view["id"], state)

    def press(
        self, view: dict[str, Any], action_id: str, *, value: str | None = None, user: str = "U1"
    ) -> httpx.Response:
        """Press a button in a view (a modal or the Home tab)."""
        current = self.slack.views[view["id"]]
        block_id = next(
            b["block_id"]
            for b in current["blocks"]
            for e in (b.get("elements") or [b.get("accessory") or {}])
            if e.get("action_id") == action_id and (value is None or e.get("value") == value)
        )
        action = {"type": "button", "action_id": action_id, "block_id": block_id}
        if value is not None:
            action["value"] = value
        return self.bot.slack.interact(self._action_payload(current, action, user))

    def submit(self, view: dict[str, Any], *, user: str = "U1") -> dict[str, Any]:
        """Submit the modal; apply the bot's answer as Slack would (it must be valid)."""
        current = copy.deepcopy(self.slack.views[view["id"]])
        current["state"]["values"] = submitted_state(current)
        payload = {
            "type": "view_submission",
            "team": TEAM,
            "user": _user(user),
            "api_app_id": "A111",
            "token": "legacy-unused",
            "trigger_id": self.slack.new_trigger_id(user_id=user),
            "view": current,
            "response_urls": [],
        }
        response = self.bot.slack.interact(payload)
        assert response.status_code == 200, response.text
        answer = response.json() if response.content.strip() else {}
        call = self.slack.answer_submission(view["id"], answer)
        assert call.ok, call.response
        return answer

    def close(self, view: dict[str, Any], *, user: str = "U1") -> httpx.Response | None:
        """The user closes the modal; Slack tells the bot when notify_on_close is set."""
        current = copy.deepcopy(self.slack.views[view["id"]])
        self.slack.close_view(view["id"])
        if not current.get("notify_on_close"):
            return None
        payload = {
            "type": "view_closed",
            "team": TEAM,
            "user": _user(user),
            "api_app_id": "A111",
            "token": "legacy-unused",
            "view": current,
            "is_cleared": False,
        }
        return self.bot.slack.interact(payload)

    def shortcut(self, callback_id: str, *, user: str = "U1") -> httpx.Response:
        """A global shortcut from the composer or search."""
        payload = {
            "type": "shortcut",
            "token": "legacy-unused",
            "action_ts": f"{time.time():.6f}",
            "team": TEAM,
            "user": _user(user),
            "callback_id": callback_id,
            "trigger_id": self.slack.new_trigger_id(user_id=user),
        }
        return self.bot.slack.interact(payload)

    def message_shortcut(
        self, callback_id: str, *, author: str, user: str = "U1", channel: str = "C1"
    ) -> httpx.Response:
        """A message shortcut on a message `author` wrote."""
        return self.bot.slack.interact(
            self.message_action(callback_id, author=author, user=user, channel=channel)
        )

    def message_action(
        self,
        callback_id: str,
        *,
        author: str,
        user: str = "U1",
        channel: str = "C1",
        **message_fields: Any,
    ) -> dict[str, Any]:
        """The payload of a message shortcut on a message `author` wrote (`message_fields`
        replace or add to the message's: its text, its blocks)."""
        message = {"type": "message", "text": "let's meet", "user": author, "ts": "1700.000100"}
        message.update(message_fields)
        return {
            "type": "message_action",
            "token": "legacy-unused",
            "action_ts": f"{time.time():.6f}",
            "team": TEAM,
            "user": _user(user),
            "channel": {"id": channel, "name": "general"},
            "callback_id": callback_id,
            "trigger_id": self.slack.new_trigger_id(user_id=user),
            "message_ts": message["ts"],
            "message": message,
            "response_url": self.slack.new_response_url(channel=channel, user_id=user),
        }

    def open_home(self, user: str = "U1") -> dict[str, Any]:
        """The user opens the App Home; the Home as the bot published it in answer."""
        before = len(self.published(user))
        body = {
            "token": "legacy-unused",
            "team_id": "T111",
            "api_app_id": "A111",
            "event": {
                "type": "app_home_opened",
                "user": user,
                "channel": f"D{user[1:]}",
                "tab": "home",
                "event_ts": f"{time.time():.6f}",
            },
            "type": "event_callback",
            "event_id": f"Ev{time.monotonic_ns()}",
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "team_id": "T111",
                    "user_id": "UB111",
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
        }
        response = self.bot.slack.post(json.dumps(body).encode(), "application/json")
        assert response.status_code == 200, response.text
        return self.home(user, count=before + 1)

    def published(self, user: str) -> list[Any]:
        return [c for c in self.slack.calls_to("views.publish") if c.args.get("user_id") == user]

    def home(self, user: str = "U1", *, count: int = 1) -> dict[str, Any]:
        """The Home once the bot has published it `count` times for `user`."""
        calls = self.slack.wait_for(
            "views.publish", lambda c: c.args.get("user_id") == user, count=count
        )
        assert calls[count - 1].ok, calls[count - 1].response
        return self.slack.home_tabs[user]
