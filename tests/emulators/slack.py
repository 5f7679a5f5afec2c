"""A Slack Web API emulator (Starlette ASGI app) for tests.

Started on loopback with ``tests.emulators.server.serve``; the bot points ``SLACK_API_URL``
at ``f"{server.url}/api/"`` and talks to it with slack_sdk exactly as it talks to Slack.

    slack = SlackEmulator(clock=clock)
    server = slack.start()                # serve(slack.app) and set slack.base_url
    slack.add_user("U1", name="alice", email="alice@example.com", tz="Europe/Paris")
    slack.add_channel("C1", "general", members={"U1"})
    ...                                   # drive the bot
    [call] = slack.wait_for("chat.postMessage", lambda c: c.args["channel"] == "C1")
    server.stop()

What it does like Slack:
- ``POST|GET /api/{method}``: arguments from the query string, a form body or a JSON body;
  JSON-valued arguments (``blocks``, ``view``, ``attachments``, ``metadata``) may arrive as
  JSON strings (form bodies) or as JSON values (JSON bodies). The token comes from
  ``Authorization: Bearer`` or a ``token`` argument; none is ``not_authed``, an unknown one
  ``invalid_auth``, a revoked one ``token_revoked``; an unknown method ``unknown_method``.
- Block Kit is validated (``tests/emulators/blockkit.py``): messages answer
  ``invalid_blocks`` with ``errors`` and ``response_metadata.messages``; views answer
  ``invalid_arguments`` with ``response_metadata.messages``.
- ``trigger_id`` lives 3 s on the injected clock and serves once: ``expired_trigger_id``,
  ``exchanged_trigger_id`` (Slack's name for a reused trigger), ``invalid_trigger_id``.
- ``POST /response/{id}``: response URLs, 5 uses within 30 minutes, then 404.
- ``fail_next`` injects errors, 429s carrying ``Retry-After``; ``drop_next`` hangs up on a
  call unanswered, as a network failure does.
- ``hold`` (a test instrument, not Slack behaviour) keeps the next calls to a method
  waiting, in flight, until the test releases them: a test sees which other calls arrive
  while that one is in flight (calls made one after another never do).

Every request is recorded as a ``Call`` (failed ones too, with ``ok=False`` and ``error``)
under a lock; ``wait_for`` blocks on a condition until matching calls exist.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import copy
import itertools
import json
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.emulators.blockkit import error_messages, validate_blocks, validate_view
from tests.emulators.server import LoopbackServer, serve

TRIGGER_TTL = 3.0
RESPONSE_URL_USES = 5
RESPONSE_URL_TTL = 30 * 60.0
MAX_MESSAGE_TEXT = 40_000
MAX_VIEW_STACK = 3
DEFAULT_SCOPES = (
    "commands,chat:write,chat:write.public,im:write,users:read,users:read.email,"
    "channels:read,groups:read,channels:join,usergroups:read,links:read,links:write"
)
_JSON_ARGS = ("blocks", "view", "attachments", "metadata", "unfurls")
UNFURL_SOURCES = ("composer", "conversations_history")
DROPPED = "connection_dropped"  # a Call's error when drop_next hung up on it
HOLD_LIMIT = 10.0  # real seconds a held call waits for its release at most


@dataclass(frozen=True)
class Call:
    """One request the emulator answered.

    ``args`` are decoded (JSON-valued arguments parsed to Python; the token removed).
    ``ok``/``error``/``response`` say how it was answered. Response-URL posts have
    ``method == "response_url"`` and ``url_id`` set.
    """

    method: str
    args: dict[str, Any]
    token: str | None
    time: float
    ok: bool = True
    error: str | None = None
    response: Any = None
    team_id: str | None = None
    url_id: str | None = None
    peer_port: int | None = None  # the caller's TCP port: one kept-alive connection, one port


@dataclass
class _Failure:
    error: str
    status: int
    retry_after: int | None
    times: int
    hang_up: bool = False


@dataclass
class Hold:
    """Calls kept in flight by ``hold``: ``arrived`` is set when one comes in; they are
    answered (as usual) once ``release()`` (or ``set()``) is called, or after ``seconds``."""

    method: str
    times: int = 1
    seconds: float = HOLD_LIMIT
    arrived: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)

    def release(self) -> None:
        self.released.set()

    set = release  # read as an event: `held.set()`


class _HangUp(Exception):
    """An injected network failure: the call is recorded and its connection closed."""


class _HungUp(Response):
    """The status line and headers of an answer, then the connection closes before its body.

    ASGI gives an app no way to close a socket before it starts a response; uvicorn closes
    the connection when the app returns without finishing one (and logs that it did). The
    client sees what a connection lost mid-request looks like: aiohttp raises
    ``ClientPayloadError``, no Slack answer (``SlackApiError``) at all.
    """

    def __init__(self) -> None:
        super().__init__(status_code=200, media_type="application/json")

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        headers = [(b"content-type", b"application/json"), (b"content-length", b"64")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})


@dataclass
class _Trigger:
    id: str
    issued: float
    user_id: str | None
    view_id: str | None
    used: bool = False


@dataclass
class _ResponseUrl:
    id: str
    created: float
    channel: str | None
    user_id: str | None
    message_ts: str | None
    uses: int = 0
    last: tuple[str, str, str] | None = None  # (kind, channel, ts) of the last message posted


@dataclass
class _Ctx:
    method: str
    args: dict[str, Any]
    token: str | None
    team: dict[str, Any] | None
    now: float
    headers: dict[str, str] = field(default_factory=dict)


class SlackError(Exception):
    """An ``{"ok": false, "error": ...}`` answer, with optional extra fields and status."""

    def __init__(
        self,
        error: str,
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(error)
        self.error = error
        self.status = status
        self.headers = headers or {}
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"ok": False, "error": self.error, **self.extra}


class SlackEmulator:
    """The Slack Web API, response URLs and OAuth token exchange, in memory."""

    def __init__(
        self,
        *,
        bot_token: str = "xoxb-test-token",
        team_id: str = "T111",
        clock: Callable[[], float] | None = None,
        client_id: str = "111.222",
        client_secret: str = "test-client-secret",
        app_id: str = "A111",
    ) -> None:
        self.clock: Callable[[], float] = clock or time.time
        self.client_id = client_id
        self.client_secret = client_secret
        self.app_id = app_id
        self.team_id = team_id
        self.base_url: str | None = None

        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        self._seq = itertools.count(1)

        self.calls: list[Call] = []
        self.views: dict[str, dict[str, Any]] = {}
        self.messages: dict[str, list[dict[str, Any]]] = {}
        self.ephemerals: dict[str, list[dict[str, Any]]] = {}
        self.home_tabs: dict[str, dict[str, Any]] = {}
        # link unfurls: (channel, ts) or unfurl_id -> the links shared there, and the
        # unfurls an app attached (chat.unfurl)
        self.shared_links: dict[tuple[str, str] | str, list[str]] = {}
        self.unfurls: dict[tuple[str, str] | str, dict[str, Any]] = {}
        self.responses: dict[str, list[dict[str, Any]]] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self.usergroups: dict[str, dict[str, Any]] = {}  # id -> {team_id, handle, users, ...}
        self.channels: dict[str, dict[str, Any]] = {}
        self.teams: dict[str, dict[str, Any]] = {}
        self.tokens: dict[str, str] = {}  # bot token -> team id
        self.revoked_tokens: set[str] = set()
        self.app_tokens: set[str] = set()  # app-level tokens (xapp-) for Socket Mode
        self.socket_mode: Any = None  # a SocketModeEmulator, once attached

        self._failures: dict[str, deque[_Failure]] = {}
        self._holds: dict[str, deque[Hold]] = {}
        self._triggers: dict[str, _Trigger] = {}
        self._response_urls: dict[str, _ResponseUrl] = {}
        self._oauth_codes: dict[str, dict[str, Any]] = {}
        self._stacks: dict[str, list[str]] = {}  # root view id -> open modal stack
        self._view_users: dict[str, str | None] = {}
        self._external_ids: dict[tuple[str, str], str] = {}  # (team, external_id) -> view id

        self.add_team(team_id, bot_token)

        self._methods: dict[str, Callable[[_Ctx], dict[str, Any]]] = {
            "api.test": self._api_test,
            "auth.test": self._auth_test,
            "users.info": self._users_info,
            "users.lookupByEmail": self._users_lookup_by_email,
            "usergroups.users.list": self._usergroups_users_list,
            "chat.postMessage": self._chat_post_message,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.update": self._chat_update,
            "chat.delete": self._chat_delete,
            "chat.unfurl": self._chat_unfurl,
            "conversations.open": self._conversations_open,
            "conversations.info": self._conversations_info,
            "conversations.join": self._conversations_join,
            "conversations.members": self._conversations_members,
            "conversations.history": self._conversations_history,
            "views.open": self._views_open,
            "views.update": self._views_update,
            "views.push": self._views_push,
            "views.publish": self._views_publish,
            "oauth.v2.access": self._oauth_v2_access,
            "apps.connections.open": self._apps_connections_open,
        }
        self._no_auth = {"api.test", "oauth.v2.access", "apps.connections.open"}

        self.app = Starlette(
            routes=[
                Route("/api/{method}", self._handle_api, methods=["GET", "POST"]),
                Route("/response/{url_id}", self._handle_response_url, methods=["POST"]),
            ]
        )

    # ------------------------------------------------------------------ setup helpers

    def start(self) -> LoopbackServer:
        """Serve the app on loopback and set ``base_url``; stop it with ``.stop()``."""
        server = serve(self.app, lifespan="off")
        self.base_url = server.url
        return server

    @property
    def api_url(self) -> str:
        """``SLACK_API_URL`` for the bot: ``f"{base_url}/api/"``."""
        if self.base_url is None:
            raise RuntimeError("base_url is not set: serve the app first")
        return f"{self.base_url}/api/"

    def add_team(
        self,
        team_id: str,
        bot_token: str,
        *,
        name: str | None = None,
        bot_user_id: str | None = None,
        bot_id: str | None = None,
        scopes: str = DEFAULT_SCOPES,
    ) -> None:
        """Register a workspace and a bot token for it (more tokens for a known team add up)."""
        with self._lock:
            team = self.teams.get(team_id)
            if team is None:
                suffix = team_id[1:] if len(team_id) > 1 else team_id
                team = {
                    "id": team_id,
                    "name": name or f"Workspace {team_id}",
                    "domain": f"ws-{team_id.lower()}",
                    "bot_user_id": bot_user_id or f"UB{suffix}",
                    "bot_id": bot_id or f"B{suffix}",
                    "scopes": scopes,
                }
                self.teams[team_id] = team
                self.users[team["bot_user_id"]] = self._user_record(
                    team["bot_user_id"],
                    name="calbot",
                    real_name="calbot",
                    email=None,
                    tz="America/Los_Angeles",
                    is_bot=True,
                    team_id=team_id,
                    display_name="calbot",
                )
                self.users[team["bot_user_id"]]["profile"]["bot_id"] = team["bot_id"]
            else:
                if name:
                    team["name"] = name
            self.tokens[bot_token] = team_id
            self.revoked_tokens.discard(bot_token)

    def add_app_token(self, token: str) -> None:
        """An app-level token ``apps.connections.open`` accepts (Socket Mode)."""
        with self._lock:
            self.app_tokens.add(token)

    def attach_socket_mode(self, socket_mode: Any) -> None:
        """``apps.connections.open`` then answers with ``socket_mode.new_url()``
        (tests/emulators/socketmode.py); unattached, with a URL nothing serves."""
        with self._lock:
            self.socket_mode = socket_mode

    def revoke_token(self, token: str) -> None:
        """Later calls with ``token`` answer ``token_revoked`` (an uninstalled app)."""
        with self._lock:
            self.revoked_tokens.add(token)

    def add_user(
        self,
        user_id: str,
        *,
        name: str,
        real_name: str | None = None,
        email: str | None = None,
        tz: str = "America/New_York",
        is_bot: bool = False,
        team_id: str | None = None,
        display_name: str = "",
    ) -> dict[str, Any]:
        """Add a user; returns the stored user object (mutable: edit it to change the user)."""
        with self._lock:
            user = self._user_record(
                user_id,
                name=name,
                real_name=real_name if real_name is not None else name,
                email=email,
                tz=tz,
                is_bot=is_bot,
                team_id=team_id or self.team_id,
                display_name=display_name,
            )
            self.users[user_id] = user
            return user

    def add_usergroup(
        self,
        usergroup_id: str,
        handle: str,
        members: Iterable[str],
        *,
        team_id: str | None = None,
    ) -> dict[str, Any]:
        """A user group (``<!subteam^S1|@handle>`` in a message); its mutable record."""
        with self._lock:
            group = {
                "id": usergroup_id,
                "team_id": team_id or self.team_id,
                "handle": handle,
                "users": list(members),
            }
            self.usergroups[usergroup_id] = group
            return group

    def add_channel(
        self,
        channel_id: str,
        name: str,
        *,
        is_private: bool = False,
        members: Iterable[str] = (),
        bot_is_member: bool = True,
        is_archived: bool = False,
        team_id: str | None = None,
    ) -> dict[str, Any]:
        """Add a channel; returns its mutable record (``members`` is a set of user ids)."""
        with self._lock:
            record = {
                "id": channel_id,
                "name": name,
                "is_private": is_private,
                "is_archived": is_archived,
                "is_im": False,
                "is_mpim": False,
                "user": None,
                "members": set(members),
                "bot_is_member": bot_is_member,
                "team_id": team_id or self.team_id,
                "created": int(self.clock()),
            }
            self.channels[channel_id] = record
            return record

    def share_links(
        self, channel: str, user: str, urls: list[str], *, source: str = "conversations_history"
    ) -> dict[str, Any]:
        """A user posts (or, with `source="composer"`, types) a message with `urls`; the
        `link_shared` event Slack then sends, in the shape of Slack's events reference."""
        with self._lock:
            now = self.clock()
            event: dict[str, Any] = {
                "type": "link_shared",
                "channel": channel,
                "is_bot_user_member": True,
                "user": user,
                "links": [{"domain": u.split("/")[2], "url": u} for u in urls],
                "event_ts": f"{now:.6f}",
            }
            if source == "composer":
                unfurl_id = f"{user}-{secrets.token_hex(16)}"
                event.update(channel="COMPOSER", message_ts=unfurl_id, unfurl_id=unfurl_id)
                self.shared_links[unfurl_id] = list(urls)
            else:
                ts = self._next_ts(now)
                text = " ".join(f"<{u}>" for u in urls)
                message = {"type": "message", "user": user, "text": text, "ts": ts}
                self.messages.setdefault(channel, []).append(message)
                unfurl_id = f"{channel}.{ts}.{secrets.token_hex(32)}"
                event.update(message_ts=ts, unfurl_id=unfurl_id)
                self.shared_links[(channel, ts)] = list(urls)
                self.shared_links[unfurl_id] = list(urls)
            event["source"] = source
            return {
                "token": "legacy-unused",
                "team_id": self.team_id,
                "api_app_id": self.app_id,
                "event": event,
                "type": "event_callback",
                "event_id": f"Ev{next(self._seq):08d}",
                "event_time": int(now),
                "authorizations": [
                    {
                        "team_id": self.team_id,
                        "user_id": self.teams[self.team_id]["bot_user_id"],
                        "is_bot": True,
                        "is_enterprise_install": False,
                    }
                ],
            }

    def dm_channel_id(self, user_id: str) -> str:
        """The id of the bot's DM with ``user_id`` (``U123`` -> ``D123``); opens it."""
        with self._lock:
            return self._open_dm(user_id)["id"]

    def new_trigger_id(self, *, user_id: str | None = None, view_id: str | None = None) -> str:
        """A trigger_id valid 3 s from now; ``view_id`` when it comes from inside a modal."""
        with self._lock:
            now = self.clock()
            trigger_id = f"{next(self._seq)}.{int(now)}.{secrets.token_hex(16)}"
            self._triggers[trigger_id] = _Trigger(trigger_id, now, user_id, view_id)
            return trigger_id

    def new_response_url(
        self,
        *,
        channel: str | None = None,
        user_id: str | None = None,
        message_ts: str | None = None,
    ) -> str:
        """A response URL ``f"{base_url}/response/{id}"``.

        ``channel`` and ``user_id`` say where its messages land (``messages`` for
        in_channel, ``ephemerals`` otherwise); ``message_ts`` names the original message
        that ``replace_original``/``delete_original`` act on.
        """
        if self.base_url is None:
            raise RuntimeError("base_url is not set: serve the app first")
        with self._lock:
            url_id = secrets.token_hex(12)
            self._response_urls[url_id] = _ResponseUrl(
                url_id, self.clock(), channel, user_id, message_ts
            )
            return f"{self.base_url}/response/{url_id}"

    def add_oauth_code(
        self,
        code: str,
        *,
        team_id: str,
        team_name: str,
        bot_token: str,
        bot_user_id: str,
        scopes: str,
        authed_user_id: str,
        redirect_uri: str | None = None,
    ) -> None:
        """A code ``oauth.v2.access`` will exchange once for ``bot_token``."""
        with self._lock:
            self._oauth_codes[code] = {
                "team_id": team_id,
                "team_name": team_name,
                "bot_token": bot_token,
                "bot_user_id": bot_user_id,
                "scopes": scopes,
                "authed_user_id": authed_user_id,
                "redirect_uri": redirect_uri,
            }

    def fail_next(
        self,
        method: str,
        *,
        error: str = "ratelimited",
        status: int = 429,
        retry_after: int | None = 1,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` calls to ``method`` (or ``"response_url"``) with ``error``.

        429 answers carry ``Retry-After: retry_after``; use ``status=200`` for ordinary
        Slack errors such as ``channel_not_found``.
        """
        with self._lock:
            self._failures.setdefault(method, deque()).append(
                _Failure(error, status, retry_after, times)
            )

    def drop_next(self, method: str, *, times: int = 1) -> None:
        """Hang up on the next ``times`` calls to ``method`` (or ``"response_url"``) unanswered.

        The call is recorded (``ok=False``, ``error="connection_dropped"``) and nothing is
        done: the connection closes after the status line, before the body, as when the
        network fails mid-request. In order with ``fail_next``'s failures for ``method``.
        """
        with self._lock:
            self._failures.setdefault(method, deque()).append(
                _Failure(DROPPED, 0, None, times, hang_up=True)
            )

    def hold(self, method: str, *, times: int = 1, seconds: float = HOLD_LIMIT) -> Hold:
        """Keep the next ``times`` calls to ``method`` waiting, in flight, unanswered and
        unrecorded, until the returned hold is released (or ``seconds`` at most); then they
        are answered as any call (``fail_next``/``drop_next`` included)."""
        hold = Hold(method, times, seconds)
        with self._lock:
            self._holds.setdefault(method, deque()).append(hold)
        return hold

    def _take_hold(self, method: str) -> Hold | None:
        with self._lock:
            queue = self._holds.get(method)
            if not queue:
                return None
            hold = queue[0]
            hold.times -= 1
            if hold.times <= 0:
                queue.popleft()
            return hold

    def set_view_state(self, view_id: str, values: dict[str, dict[str, dict[str, Any]]]) -> None:
        """Simulate user input: merge ``{block_id: {action_id: value}}`` into the view state."""
        with self._lock:
            view = self.views[view_id]
            ids = _interactive_ids(view["blocks"])
            state = view["state"]["values"]
            for block_id, actions in values.items():
                for action_id, value in actions.items():
                    if (block_id, action_id) not in ids:
                        raise KeyError(f"view {view_id} has no element {block_id}/{action_id}")
                    state.setdefault(block_id, {})[action_id] = value

    def close_view(self, view_id: str) -> None:
        """Simulate the user closing a modal: it and the views pushed above it are gone."""
        with self._lock:
            for root, stack in list(self._stacks.items()):
                if view_id in stack:
                    del stack[stack.index(view_id) :]
                    if not stack:
                        del self._stacks[root]

    def answer_submission(self, view_id: str, answer: dict[str, Any] | None) -> Call:
        """Do what Slack does with the bot's HTTP answer to a ``view_submission``.

        No ``response_action``: the view closes; ``clear``: its whole stack; ``errors``:
        nothing changes (keys must be input block ids of the view); ``update`` / ``push``:
        the view is validated, then replaces the submitted one (state kept for unchanged
        ids, as ``views.update``) or goes on top. Recorded as a ``view_submission_response``
        call, failed (``invalid_arguments``, ``invalid_errors``) where Slack would refuse.
        """
        answer = answer or {}
        with self._cond:
            now = self.clock()
            current = self.views[view_id]
            action = answer.get("response_action")
            ok, error, detail = True, None, None
            try:
                if not action:
                    self.close_view(view_id)
                elif action == "clear":
                    self.close_view(current["root_view_id"])
                elif action == "errors":
                    errors = answer.get("errors")
                    inputs = {b.get("block_id") for b in current["blocks"] if b["type"] == "input"}
                    if not isinstance(errors, dict) or not errors or set(errors) - inputs:
                        raise SlackError("invalid_errors", errors=errors)
                elif action in ("update", "push"):
                    self._answer_with_view(current, answer.get("view"), now, push=action == "push")
                else:
                    raise SlackError("invalid_response_action")
            except SlackError as e:
                ok, error, detail = False, e.error, e.body()
            call = Call(
                "view_submission_response",
                {"view_id": view_id, **answer},
                None,
                now,
                ok=ok,
                error=error,
                response=detail,
                team_id=current["team_id"],
            )
            self.calls.append(call)
            self._cond.notify_all()
            return call

    def _answer_with_view(
        self, current: dict[str, Any], spec: Any, now: float, *, push: bool
    ) -> None:
        if not isinstance(spec, dict):
            raise _invalid_arguments(["must provide an object [json-pointer:/view]"])
        errors = validate_view(spec)
        if errors:
            raise _invalid_arguments(errors)
        ctx = _Ctx("view_submission", {}, None, self.teams[current["team_id"]], now)
        user = self._view_users.get(current["id"])
        stack = next((s for s in self._stacks.values() if current["id"] in s), None)
        if push:
            if stack is None or len(stack) >= MAX_VIEW_STACK:
                raise SlackError("push_limit_reached")
            view = self._materialize(
                ctx,
                spec,
                view_id=self._new_view_id(),
                root_id=stack[0],
                previous_id=current["id"],
                state={},
            )
            stack.append(view["id"])
        else:
            keep = _interactive_ids(spec.get("blocks", []))
            state = {
                block_id: kept
                for block_id, actions in current["state"]["values"].items()
                if (kept := {a: v for a, v in actions.items() if (block_id, a) in keep})
            }
            view = self._materialize(
                ctx,
                spec,
                view_id=current["id"],
                root_id=current["root_view_id"],
                previous_id=current["previous_view_id"],
                state=state,
            )
        self._store_view(ctx, view, user)

    def open_modals(self, user_id: str | None = None) -> list[dict[str, Any]]:
        """Views on open modal stacks (of ``user_id`` when given), bottom first."""
        with self._lock:
            return [
                self.views[v]
                for stack in self._stacks.values()
                for v in stack
                if user_id is None or self._view_users.get(v) == user_id
            ]

    # ------------------------------------------------------------------ inspection

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def failed_calls(self) -> list[Call]:
        """Calls answered with an error (injected failures included)."""
        with self._lock:
            return [c for c in self.calls if not c.ok]

    def wait_for(
        self,
        method: str,
        predicate: Callable[[Call], bool] = lambda c: True,
        *,
        timeout: float = 5,
        count: int = 1,
    ) -> list[Call]:
        """Block until ``count`` calls to ``method`` match ``predicate``; return all that match.

        A predicate that raises counts as no match. Waits on a condition notified by every
        recorded call (no polling); on timeout raises AssertionError listing what was
        recorded. From async code use ``wait_for_async`` so the event loop keeps running.
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                matched = [c for c in self.calls if c.method == method and _safe(predicate, c)]
                if len(matched) >= count:
                    return matched
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"expected {count} matching {method} call(s) within {timeout}s, "
                        f"got {len(matched)}; recorded calls:\n{self.summary()}"
                    )
                self._cond.wait(remaining)

    async def wait_for_async(
        self,
        method: str,
        predicate: Callable[[Call], bool] = lambda c: True,
        *,
        timeout: float = 5,
        count: int = 1,
    ) -> list[Call]:
        """``wait_for`` in a worker thread, for tests whose event loop must keep running."""
        return await asyncio.to_thread(
            self.wait_for, method, predicate, timeout=timeout, count=count
        )

    def summary(self) -> str:
        """One line per recorded call, for assertion messages."""
        with self._lock:
            if not self.calls:
                return "  (none)"
            return "\n".join(f"  {_describe(c)}" for c in self.calls)

    # ------------------------------------------------------------------ HTTP: Web API

    async def _handle_api(self, request: Request) -> Response:
        method = request.path_params["method"]
        body = await request.body()
        args: dict[str, Any] = dict(request.query_params)
        content_type = request.headers.get("content-type", "")
        try:
            if "json" in content_type:
                if body.strip():
                    parsed = json.loads(body)
                    if not isinstance(parsed, dict):
                        raise ValueError("not an object")
                    args.update(parsed)
            elif body:
                args.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        except (ValueError, UnicodeDecodeError):
            return JSONResponse({"ok": False, "error": "invalid_json"})
        token = args.pop("token", None)
        basic: tuple[str, str] | None = None
        auth = request.headers.get("authorization", "")
        scheme, _, credentials = auth.partition(" ")
        if scheme.lower() == "bearer" and credentials.strip():
            token = credentials.strip()
        elif scheme.lower() == "basic":
            try:
                user, _, password = base64.b64decode(credentials).decode().partition(":")
                basic = (user, password)
            except ValueError:
                basic = ("", "")
        for key in _JSON_ARGS:
            if isinstance(args.get(key), str):
                # left as a string when it does not parse: the method answers *_format errors
                with contextlib.suppress(ValueError):
                    args[key] = json.loads(args[key])
        if basic is not None:
            args.setdefault("client_id", basic[0])
            args.setdefault("client_secret", basic[1])
        hold = self._take_hold(method)
        if hold is not None:  # waits in a worker thread: other calls are answered meanwhile
            hold.arrived.set()
            await asyncio.to_thread(hold.released.wait, hold.seconds)
        return self._dispatch(method, args, token)

    def _dispatch(self, method: str, args: dict[str, Any], token: str | None) -> Response:
        with self._cond:
            now = self.clock()
            ctx = _Ctx(method, args, token, None, now)
            status = 200
            headers: dict[str, str] = {}
            dropped = False
            try:
                self._injected_failure(method)
                handler = self._methods.get(method)
                if handler is None:
                    raise SlackError("unknown_method", req_method=method)
                if method not in self._no_auth:
                    ctx.team = self._authenticate(token)
                body = handler(ctx)
                headers.update(ctx.headers)
                ok, error = True, None
            except SlackError as e:
                body, status, ok, error = e.body(), e.status, False, e.error
                headers.update(e.headers)
            except _HangUp:
                body, ok, error, dropped = None, False, DROPPED, True
            recorded_args = {k: v for k, v in args.items() if k != "client_secret"}
            self.calls.append(
                Call(
                    method,
                    recorded_args,
                    token,
                    now,
                    ok=ok,
                    error=error,
                    response=body,
                    team_id=ctx.team["id"] if ctx.team else None,
                )
            )
            self._cond.notify_all()
        if dropped:
            return _HungUp()
        return JSONResponse(body, status_code=status, headers=headers)

    def _injected_failure(self, method: str) -> None:
        queue = self._failures.get(method)
        if not queue:
            return
        failure = queue[0]
        failure.times -= 1
        if failure.times <= 0:
            queue.popleft()
        if failure.hang_up:
            raise _HangUp(method)
        headers = {}
        if failure.status == 429 and failure.retry_after is not None:
            headers["Retry-After"] = str(failure.retry_after)
        raise SlackError(failure.error, status=failure.status, headers=headers)

    def _authenticate(self, token: str | None) -> dict[str, Any]:
        if not token:
            raise SlackError("not_authed")
        if token in self.revoked_tokens:
            raise SlackError("token_revoked")
        team_id = self.tokens.get(token)
        if team_id is None:
            raise SlackError("invalid_auth")
        return self.teams[team_id]

    # ------------------------------------------------------------------ methods: auth, users

    def _api_test(self, ctx: _Ctx) -> dict[str, Any]:
        return {"ok": True, "args": {k: v for k, v in ctx.args.items() if isinstance(v, str)}}

    def _auth_test(self, ctx: _Ctx) -> dict[str, Any]:
        team = ctx.team
        assert team is not None
        ctx.headers["x-oauth-scopes"] = team["scopes"]
        return {
            "ok": True,
            "url": f"https://{team['domain']}.slack.com/",
            "team": team["name"],
            "user": "calbot",
            "team_id": team["id"],
            "user_id": team["bot_user_id"],
            "bot_id": team["bot_id"],
            "is_enterprise_install": False,
        }

    def _user_record(
        self,
        user_id: str,
        *,
        name: str,
        real_name: str,
        email: str | None,
        tz: str,
        is_bot: bool,
        team_id: str,
        display_name: str,
    ) -> dict[str, Any]:
        ZoneInfo(tz)  # fail early on a bad zone name
        first, _, last = real_name.partition(" ")
        profile: dict[str, Any] = {
            "real_name": real_name,
            "real_name_normalized": real_name,
            "display_name": display_name,
            "display_name_normalized": display_name,
            "first_name": first,
            "last_name": last,
            "title": "",
            "phone": "",
            "status_text": "",
            "status_emoji": "",
            "image_48": f"https://avatars.example.com/{user_id}_48.png",
            "image_72": f"https://avatars.example.com/{user_id}_72.png",
            "team": team_id,
        }
        if email is not None:
            profile["email"] = email
        return {
            "id": user_id,
            "team_id": team_id,
            "name": name,
            "deleted": False,
            "color": "9f69e7",
            "real_name": real_name,
            "tz": tz,
            "tz_label": "",
            "tz_offset": 0,
            "profile": profile,
            "is_admin": False,
            "is_owner": False,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": is_bot,
            "is_app_user": False,
            "updated": int(self.clock()),
        }

    def _render_user(self, user: dict[str, Any], now: float) -> dict[str, Any]:
        rendered = copy.deepcopy(user)
        moment = datetime.fromtimestamp(now, UTC).astimezone(ZoneInfo(user["tz"]))
        offset = moment.utcoffset()
        rendered["tz_offset"] = int(offset.total_seconds()) if offset else 0
        rendered["tz_label"] = moment.tzname() or user["tz"]
        return rendered

    def _find_user(self, ctx: _Ctx, user_id: Any) -> dict[str, Any]:
        user = self.users.get(user_id) if isinstance(user_id, str) else None
        if user is None or (ctx.team and user["team_id"] != ctx.team["id"]):
            raise SlackError("user_not_found")
        return user

    def _users_info(self, ctx: _Ctx) -> dict[str, Any]:
        user = self._find_user(ctx, ctx.args.get("user"))
        return {"ok": True, "user": self._render_user(user, ctx.now)}

    def _usergroups_users_list(self, ctx: _Ctx) -> dict[str, Any]:
        """Slack's usergroups.users.list: needs usergroups:read; an unknown group is
        no_such_subteam."""
        assert ctx.team is not None
        granted = set(ctx.team["scopes"].split(","))
        if "usergroups:read" not in granted:
            raise SlackError("missing_scope", needed="usergroups:read", provided=ctx.team["scopes"])
        group_id = ctx.args.get("usergroup")
        if not isinstance(group_id, str) or not group_id:
            raise SlackError(
                "invalid_arguments",
                response_metadata={"messages": ["[ERROR] missing required field: usergroup"]},
            )
        group = self.usergroups.get(group_id)
        if group is None or group["team_id"] != ctx.team["id"]:
            raise SlackError("no_such_subteam")
        return {"ok": True, "users": list(group["users"])}

    def _users_lookup_by_email(self, ctx: _Ctx) -> dict[str, Any]:
        email = ctx.args.get("email")
        if not isinstance(email, str) or not email:
            raise SlackError(
                "invalid_arguments",
                response_metadata={"messages": ["[ERROR] missing required field: email"]},
            )
        assert ctx.team is not None
        for user in self.users.values():
            found = user["profile"].get("email", "")
            if user["team_id"] == ctx.team["id"] and found.lower() == email.lower():
                return {"ok": True, "user": self._render_user(user, ctx.now)}
        raise SlackError("users_not_found")

    # ------------------------------------------------------------------ methods: channels

    def _open_dm(self, user_id: str) -> dict[str, Any]:
        channel_id = f"D{user_id[1:]}"
        record = self.channels.get(channel_id)
        if record is None:
            user = self.users.get(user_id)
            team_id = user["team_id"] if user else self.team_id
            bot_user = self.teams[team_id]["bot_user_id"] if team_id in self.teams else None
            record = {
                "id": channel_id,
                "name": None,
                "is_private": True,
                "is_archived": False,
                "is_im": True,
                "is_mpim": False,
                "user": user_id,
                "members": {user_id} | ({bot_user} if bot_user else set()),
                "bot_is_member": True,
                "team_id": team_id,
                "created": int(self.clock()),
            }
            self.channels[channel_id] = record
        return record

    def _lookup_channel(self, ctx: _Ctx, channel: Any) -> dict[str, Any]:
        """A channel the token's bot can see, by id, DM user id or #name."""
        assert ctx.team is not None
        if not isinstance(channel, str) or not channel:
            raise SlackError("channel_not_found")
        record = self.channels.get(channel)
        if (
            record is None
            and channel in self.users
            and self.users[channel]["team_id"] == ctx.team["id"]
        ):
            record = self._open_dm(channel)
        if record is None:
            name = channel.removeprefix("#")
            record = next(
                (c for c in self.channels.values() if c["name"] == name and not c["is_im"]), None
            )
        if record is None or record["team_id"] != ctx.team["id"]:
            raise SlackError("channel_not_found")
        if record["is_private"] and not record["bot_is_member"]:
            raise SlackError("channel_not_found")
        return record

    def _writable_channel(self, ctx: _Ctx, channel: Any) -> dict[str, Any]:
        record = self._lookup_channel(ctx, channel)
        if record["is_archived"]:
            raise SlackError("is_archived")
        if not record["bot_is_member"]:
            raise SlackError("not_in_channel")
        return record

    def _render_channel(
        self, record: dict[str, Any], *, num_members: bool = False
    ) -> dict[str, Any]:
        if record["is_im"]:
            return {
                "id": record["id"],
                "created": record["created"],
                "is_im": True,
                "is_org_shared": False,
                "user": record["user"],
                "is_user_deleted": False,
                "priority": 0,
            }
        channel = {
            "id": record["id"],
            "name": record["name"],
            "is_channel": not record["is_private"] and not record["is_mpim"],
            "is_group": record["is_private"] and not record["is_mpim"],
            "is_im": False,
            "is_mpim": record["is_mpim"],
            "is_private": record["is_private"],
            "created": record["created"],
            "is_archived": record["is_archived"],
            "is_general": record["name"] == "general",
            "unlinked": 0,
            "name_normalized": record["name"],
            "is_shared": False,
            "is_org_shared": False,
            "is_ext_shared": False,
            "is_member": record["bot_is_member"],
            "context_team_id": record["team_id"],
            "topic": {"value": "", "creator": "", "last_set": 0},
            "purpose": {"value": "", "creator": "", "last_set": 0},
        }
        if num_members:
            channel["num_members"] = len(record["members"])
        return channel

    def _conversations_open(self, ctx: _Ctx) -> dict[str, Any]:
        assert ctx.team is not None
        users_arg = ctx.args.get("users")
        if users_arg is None and ctx.args.get("channel"):
            record = self._lookup_channel(ctx, ctx.args["channel"])
            return {"ok": True, "channel": self._render_channel(record)}
        if isinstance(users_arg, list):
            user_ids = [str(u) for u in users_arg]
        elif isinstance(users_arg, str):
            user_ids = [u.strip() for u in users_arg.split(",") if u.strip()]
        else:
            user_ids = []
        if not user_ids:
            raise SlackError("users_list_not_supplied")
        if len(user_ids) > 8:
            raise SlackError("too_many_users")
        for user_id in user_ids:
            self._find_user(ctx, user_id)
        if len(user_ids) == 1:
            record = self._open_dm(user_ids[0])
        else:
            channel_id = "G" + "".join(u[1:] for u in sorted(user_ids))[:10]
            record = self.channels.get(channel_id) or self.add_channel(
                channel_id,
                "mpdm-" + "--".join(sorted(user_ids)) + "-1",
                is_private=True,
                members=set(user_ids) | {ctx.team["bot_user_id"]},
                team_id=ctx.team["id"],
            )
            record["is_mpim"] = True
        if _flag(ctx.args.get("return_im")):
            return {"ok": True, "channel": self._render_channel(record)}
        return {"ok": True, "channel": {"id": record["id"]}}

    def _conversations_info(self, ctx: _Ctx) -> dict[str, Any]:
        record = self._lookup_channel(ctx, ctx.args.get("channel"))
        channel = self._render_channel(
            record, num_members=_flag(ctx.args.get("include_num_members"))
        )
        return {"ok": True, "channel": channel}

    def _conversations_join(self, ctx: _Ctx) -> dict[str, Any]:
        record = self._lookup_channel(ctx, ctx.args.get("channel"))
        if record["is_im"] or record["is_private"]:
            raise SlackError("method_not_supported_for_channel_type")
        if record["is_archived"]:
            raise SlackError("is_archived")
        already = record["bot_is_member"]
        record["bot_is_member"] = True
        answer: dict[str, Any] = {"ok": True, "channel": self._render_channel(record)}
        if already:
            answer["warning"] = "already_in_channel"
            answer["response_metadata"] = {"warnings": ["already_in_channel"]}
        return answer

    def _conversations_members(self, ctx: _Ctx) -> dict[str, Any]:
        record = self._lookup_channel(ctx, ctx.args.get("channel"))
        return {
            "ok": True,
            "members": sorted(record["members"]),
            "response_metadata": {"next_cursor": ""},
        }

    def _conversations_history(self, ctx: _Ctx) -> dict[str, Any]:
        """Newest first. Needs the history scope of the conversation's kind (Slack answers
        ``missing_scope`` with ``needed``/``provided``); message ``metadata`` only with
        ``include_all_metadata``; ``oldest`` excludes earlier messages."""
        assert ctx.team is not None
        record = self._lookup_channel(ctx, ctx.args.get("channel"))
        if record["is_im"]:
            needed = "im:history"
        else:
            needed = "groups:history" if record["is_private"] else "channels:history"
        if needed not in ctx.team["scopes"].split(","):
            raise SlackError("missing_scope", needed=needed, provided=ctx.team["scopes"])
        if not record["bot_is_member"]:
            raise SlackError("not_in_channel")
        try:
            oldest = float(ctx.args.get("oldest") or 0)
            limit = min(999, max(1, int(ctx.args.get("limit") or 100)))
        except (TypeError, ValueError):
            raise SlackError("invalid_arguments") from None
        metadata = str(ctx.args.get("include_all_metadata")).lower() in ("true", "1")
        found = [
            m for m in reversed(self.messages.get(record["id"], [])) if float(m["ts"]) > oldest
        ]
        shown = [copy.deepcopy(m) for m in found[:limit]]
        if not metadata:
            for message in shown:
                message.pop("metadata", None)
        return {
            "ok": True,
            "messages": shown,
            "has_more": len(found) > limit,
            "response_metadata": {"next_cursor": ""},
        }

    # ------------------------------------------------------------------ methods: chat

    def _blocks_arg(self, args: dict[str, Any]) -> list[dict[str, Any]] | None:
        blocks = args.get("blocks")
        if blocks is None:
            return None
        if not isinstance(blocks, list):
            raise SlackError("invalid_blocks_format")
        errors = validate_blocks(blocks, "message")
        if errors:
            raise SlackError(
                "invalid_blocks",
                errors=errors,
                response_metadata={"messages": error_messages(errors)},
            )
        return blocks

    def _message_content(self, ctx: _Ctx, *, required: bool = True) -> dict[str, Any]:
        args = ctx.args
        blocks = self._blocks_arg(args)
        attachments = args.get("attachments")
        if attachments is not None and not isinstance(attachments, list):
            raise SlackError("invalid_attachments")
        text = args.get("text")
        if text is not None and not isinstance(text, str):
            text = str(text)
        if required and not text and not blocks and not attachments:
            raise SlackError("no_text")
        if text and len(text) > MAX_MESSAGE_TEXT:
            raise SlackError("msg_too_long")
        content: dict[str, Any] = {}
        if text is not None:
            content["text"] = text
        if blocks is not None:
            content["blocks"] = blocks
        if attachments is not None:
            content["attachments"] = attachments
        if isinstance(args.get("metadata"), dict):
            content["metadata"] = args["metadata"]
        return content

    def _next_ts(self, now: float) -> str:
        return f"{int(now)}.{next(self._seq):06d}"

    def _chat_post_message(self, ctx: _Ctx) -> dict[str, Any]:
        assert ctx.team is not None
        record = self._writable_channel(ctx, ctx.args.get("channel"))
        content = self._message_content(ctx)
        ts = self._next_ts(ctx.now)
        message: dict[str, Any] = {
            "type": "message",
            "ts": ts,
            "text": content.pop("text", ""),
            "user": ctx.team["bot_user_id"],
            "bot_id": ctx.team["bot_id"],
            "app_id": self.app_id,
            "team": ctx.team["id"],
            **content,
        }
        thread_ts = ctx.args.get("thread_ts")
        if thread_ts:
            message["thread_ts"] = str(thread_ts)
        self.messages.setdefault(record["id"], []).append(message)
        return {"ok": True, "channel": record["id"], "ts": ts, "message": copy.deepcopy(message)}

    def _chat_post_ephemeral(self, ctx: _Ctx) -> dict[str, Any]:
        assert ctx.team is not None
        record = self._writable_channel(ctx, ctx.args.get("channel"))
        user = self._find_user(ctx, ctx.args.get("user"))
        if user["id"] not in record["members"]:
            raise SlackError("user_not_in_channel")
        content = self._message_content(ctx)
        ts = self._next_ts(ctx.now)
        message: dict[str, Any] = {
            "type": "message",
            "subtype": "bot_message",
            "ts": ts,
            "text": content.pop("text", ""),
            "user": user["id"],
            "bot_id": ctx.team["bot_id"],
            **content,
        }
        if ctx.args.get("thread_ts"):
            message["thread_ts"] = str(ctx.args["thread_ts"])
        self.ephemerals.setdefault(record["id"], []).append(message)
        return {"ok": True, "message_ts": ts}

    def _find_message(self, ctx: _Ctx) -> tuple[dict[str, Any], dict[str, Any]]:
        record = self._lookup_channel(ctx, ctx.args.get("channel"))
        ts = ctx.args.get("ts")
        for message in self.messages.get(record["id"], []):
            if message["ts"] == ts:
                return record, message
        raise SlackError("message_not_found")

    def _chat_unfurl(self, ctx: _Ctx) -> dict[str, Any]:
        """As Slack's chat.unfurl: `channel`+`ts` or `unfurl_id`+`source` name the message;
        `unfurls` maps URLs that message shared to blocks (validated as a message's) or an
        attachment. Needs links:write."""
        assert ctx.team is not None
        if "links:write" not in ctx.team["scopes"].split(","):
            raise SlackError("missing_scope", needed="links:write", provided=ctx.team["scopes"])
        args = ctx.args
        channel, ts = args.get("channel"), args.get("ts")
        unfurl_id, source = args.get("unfurl_id"), args.get("source")
        key: tuple[str, str] | str
        if channel and ts:
            if channel not in self.channels:
                raise SlackError("cannot_find_channel")
            key = (str(channel), str(ts))
        elif unfurl_id and source:
            if source not in UNFURL_SOURCES:
                raise SlackError("invalid_source")
            key = str(unfurl_id)
        else:
            raise SlackError("invalid_arguments")
        shared = self.shared_links.get(key)
        if shared is None:
            raise SlackError("cannot_unfurl_message")
        unfurls = args.get("unfurls")
        if not isinstance(unfurls, dict) or not unfurls:
            raise SlackError("invalid_unfurls_format")
        for url, unfurl in unfurls.items():
            if url not in shared:
                raise SlackError("cannot_unfurl_url")
            if not isinstance(unfurl, dict):
                raise SlackError("invalid_unfurls_format")
            if "blocks" in unfurl:
                errors = validate_blocks(unfurl["blocks"], "message", pointer=f"/unfurls/{url}")
                if errors:
                    raise SlackError(
                        "invalid_blocks",
                        errors=errors,
                        response_metadata={"messages": error_messages(errors)},
                    )
            elif not any(unfurl.get(k) for k in ("text", "fallback", "title", "fields")):
                raise SlackError("cannot_parse_attachment")
        self.unfurls[key] = copy.deepcopy(unfurls)
        return {"ok": True}

    def _chat_update(self, ctx: _Ctx) -> dict[str, Any]:
        assert ctx.team is not None
        record, message = self._find_message(ctx)
        if message.get("bot_id") != ctx.team["bot_id"]:
            raise SlackError("cant_update_message")
        if record["is_archived"]:
            raise SlackError("is_archived")
        content = self._message_content(ctx, required=False)
        if (
            not content.get("text")
            and not content.get("blocks")
            and not message.get("text")
            and (not message.get("blocks"))
        ):
            raise SlackError("no_text")
        if "blocks" in content and not content["blocks"]:
            message.pop("blocks", None)
            content.pop("blocks")
        message.update(content)
        message["edited"] = {"user": ctx.team["bot_user_id"], "ts": self._next_ts(ctx.now)}
        return {
            "ok": True,
            "channel": record["id"],
            "ts": message["ts"],
            "text": message.get("text", ""),
            "message": copy.deepcopy(message),
        }

    def _chat_delete(self, ctx: _Ctx) -> dict[str, Any]:
        assert ctx.team is not None
        record, message = self._find_message(ctx)
        if message.get("bot_id") != ctx.team["bot_id"]:
            raise SlackError("cant_delete_message")
        self.messages[record["id"]].remove(message)
        return {"ok": True, "channel": record["id"], "ts": message["ts"]}

    # ------------------------------------------------------------------ methods: views

    def _view_arg(self, ctx: _Ctx) -> dict[str, Any]:
        view = ctx.args.get("view")
        if view is None:
            raise _invalid_arguments(["missing required field: view"])
        if not isinstance(view, dict):
            raise _invalid_arguments(["must provide an object [json-pointer:/view]"])
        errors = validate_view(view)
        if errors:
            raise _invalid_arguments(errors)
        return view

    def _check_trigger(self, ctx: _Ctx) -> _Trigger:
        trigger_id = ctx.args.get("trigger_id") or ctx.args.get("interactivity_pointer")
        if not trigger_id:
            raise _invalid_arguments(["missing required field: trigger_id"])
        trigger = self._triggers.get(trigger_id)
        if trigger is None:
            raise SlackError("invalid_trigger_id")
        if trigger.used:
            raise SlackError("exchanged_trigger_id")
        if ctx.now - trigger.issued > TRIGGER_TTL:
            raise SlackError("expired_trigger_id")
        return trigger

    def _new_hash(self, now: float) -> str:
        return f"{int(now)}.{secrets.token_urlsafe(6)}"

    def _new_view_id(self) -> str:
        return f"V{next(self._seq):09d}"

    def _materialize(
        self,
        ctx: _Ctx,
        spec: dict[str, Any],
        *,
        view_id: str,
        root_id: str,
        previous_id: str | None,
        state: dict[str, Any],
    ) -> dict[str, Any]:
        assert ctx.team is not None
        blocks = copy.deepcopy(spec.get("blocks", []))
        _assign_ids(blocks)
        is_modal = spec["type"] == "modal"
        return {
            "id": view_id,
            "team_id": ctx.team["id"],
            "type": spec["type"],
            "blocks": blocks,
            "private_metadata": spec.get("private_metadata", ""),
            "callback_id": spec.get("callback_id", ""),
            "state": {"values": state},
            "hash": self._new_hash(ctx.now),
            "title": copy.deepcopy(
                spec.get("title") or {"type": "plain_text", "text": "View Title", "emoji": True}
            ),
            "clear_on_close": bool(spec.get("clear_on_close", False)),
            "notify_on_close": bool(spec.get("notify_on_close", False)),
            "close": copy.deepcopy(spec.get("close")) if is_modal else None,
            "submit": copy.deepcopy(spec.get("submit")) if is_modal else None,
            "previous_view_id": previous_id,
            "root_view_id": root_id,
            "app_id": self.app_id,
            "external_id": spec.get("external_id", ""),
            "app_installed_team_id": ctx.team["id"],
            "bot_id": ctx.team["bot_id"],
        }

    def _claim_external_id(self, ctx: _Ctx, spec: dict[str, Any], view_id: str) -> None:
        assert ctx.team is not None
        external_id = spec.get("external_id")
        if not external_id:
            return
        owner = self._external_ids.get((ctx.team["id"], external_id))
        if owner is not None and owner != view_id:
            raise SlackError("duplicate_external_id")

    def _store_view(self, ctx: _Ctx, view: dict[str, Any], user_id: str | None) -> None:
        assert ctx.team is not None
        self.views[view["id"]] = view
        self._view_users[view["id"]] = user_id
        if view["external_id"]:
            self._external_ids[(ctx.team["id"], view["external_id"])] = view["id"]

    def _views_open(self, ctx: _Ctx) -> dict[str, Any]:
        trigger = self._check_trigger(ctx)
        spec = self._view_arg(ctx)
        if spec["type"] != "modal":
            raise _invalid_arguments(["must be a valid enum value [json-pointer:/view/type]"])
        view_id = self._new_view_id()
        self._claim_external_id(ctx, spec, view_id)
        trigger.used = True
        view = self._materialize(
            ctx, spec, view_id=view_id, root_id=view_id, previous_id=None, state={}
        )
        self._store_view(ctx, view, trigger.user_id)
        self._stacks[view_id] = [view_id]
        return {"ok": True, "view": copy.deepcopy(view)}

    def _views_push(self, ctx: _Ctx) -> dict[str, Any]:
        trigger = self._check_trigger(ctx)
        spec = self._view_arg(ctx)
        if spec["type"] != "modal":
            raise _invalid_arguments(["must be a valid enum value [json-pointer:/view/type]"])
        stack = self._stack_for(trigger)
        if stack is None:
            raise SlackError("not_found")
        if len(stack) >= MAX_VIEW_STACK:
            raise SlackError("push_limit_reached")
        view_id = self._new_view_id()
        self._claim_external_id(ctx, spec, view_id)
        trigger.used = True
        view = self._materialize(
            ctx, spec, view_id=view_id, root_id=stack[0], previous_id=stack[-1], state={}
        )
        self._store_view(ctx, view, self._view_users.get(stack[0], trigger.user_id))
        stack.append(view_id)
        return {"ok": True, "view": copy.deepcopy(view)}

    def _stack_for(self, trigger: _Trigger) -> list[str] | None:
        if trigger.view_id is not None:
            for stack in self._stacks.values():
                if trigger.view_id in stack:
                    return stack
            return None
        candidates = [
            stack
            for stack in self._stacks.values()
            if trigger.user_id is None or self._view_users.get(stack[0]) == trigger.user_id
        ]
        return candidates[-1] if candidates else None

    def _is_open(self, view_id: str) -> bool:
        if self.views[view_id]["type"] == "home":
            return True
        return any(view_id in stack for stack in self._stacks.values())

    def _views_update(self, ctx: _Ctx) -> dict[str, Any]:
        assert ctx.team is not None
        view_id = ctx.args.get("view_id")
        external_id = ctx.args.get("external_id")
        if not view_id and not external_id:
            raise _invalid_arguments(["must provide either `view_id` or `external_id`"])
        if not view_id:
            view_id = self._external_ids.get((ctx.team["id"], external_id))
        current = self.views.get(view_id) if view_id else None
        if current is None or current["team_id"] != ctx.team["id"] or not self._is_open(view_id):
            raise SlackError("not_found")
        spec = self._view_arg(ctx)
        if spec["type"] != current["type"]:
            raise _invalid_arguments(["must be a valid enum value [json-pointer:/view/type]"])
        given_hash = ctx.args.get("hash")
        if given_hash and given_hash != current["hash"]:
            raise SlackError("hash_conflict")
        self._claim_external_id(ctx, spec, view_id)
        if not spec.get("external_id") and current["external_id"]:
            spec = {**spec, "external_id": current["external_id"]}  # an external_id sticks
        keep = _interactive_ids(spec.get("blocks", []))
        state = {
            block_id: kept
            for block_id, actions in current["state"]["values"].items()
            if (kept := {a: v for a, v in actions.items() if (block_id, a) in keep})
        }
        view = self._materialize(
            ctx,
            spec,
            view_id=view_id,
            root_id=current["root_view_id"],
            previous_id=current["previous_view_id"],
            state=state,
        )
        if current["external_id"] and current["external_id"] != view["external_id"]:
            self._external_ids.pop((ctx.team["id"], current["external_id"]), None)
        self._store_view(ctx, view, self._view_users.get(view_id))
        if view["type"] == "home":
            user_id = self._view_users.get(view_id)
            if user_id is not None:
                self.home_tabs[user_id] = view
        return {"ok": True, "view": copy.deepcopy(view)}

    def _views_publish(self, ctx: _Ctx) -> dict[str, Any]:
        assert ctx.team is not None
        user = self._find_user(ctx, ctx.args.get("user_id"))
        spec = self._view_arg(ctx)
        if spec["type"] != "home":
            raise _invalid_arguments(["must be a valid enum value [json-pointer:/view/type]"])
        current = self.home_tabs.get(user["id"])
        given_hash = ctx.args.get("hash")
        if given_hash and current is not None and given_hash != current["hash"]:
            raise SlackError("hash_conflict")
        view_id = current["id"] if current else self._new_view_id()
        self._claim_external_id(ctx, spec, view_id)
        state = current["state"]["values"] if current else {}
        view = self._materialize(
            ctx,
            spec,
            view_id=view_id,
            root_id=view_id,
            previous_id=None,
            state=copy.deepcopy(state),
        )
        self._store_view(ctx, view, user["id"])
        self.home_tabs[user["id"]] = view
        return {"ok": True, "view": copy.deepcopy(view)}

    # ------------------------------------------------------------------ methods: OAuth

    def _apps_connections_open(self, ctx: _Ctx) -> dict[str, Any]:
        """Socket Mode's WebSocket URL; only app-level tokens may ask."""
        if not ctx.token:
            raise SlackError("not_authed")
        if ctx.token in self.tokens:
            raise SlackError("not_allowed_token_type")
        if ctx.token not in self.app_tokens:
            raise SlackError("invalid_auth")
        if self.socket_mode is not None:
            return {"ok": True, "url": self.socket_mode.new_url()}
        return {
            "ok": True,
            "url": f"wss://wss.emulator.invalid/link/?ticket={secrets.token_hex(8)}",
        }

    def _oauth_v2_access(self, ctx: _Ctx) -> dict[str, Any]:
        args = ctx.args
        if args.get("client_id") != self.client_id:
            raise SlackError("invalid_client_id")
        if args.get("client_secret") != self.client_secret:
            raise SlackError("bad_client_secret")
        code = args.get("code")
        grant = self._oauth_codes.get(code) if isinstance(code, str) else None
        if grant is None:
            raise SlackError("invalid_code")
        if grant["redirect_uri"] is not None and args.get("redirect_uri") != grant["redirect_uri"]:
            raise SlackError("bad_redirect_uri")
        del self._oauth_codes[code]
        self.add_team(
            grant["team_id"],
            grant["bot_token"],
            name=grant["team_name"],
            bot_user_id=grant["bot_user_id"],
            scopes=grant["scopes"],
        )
        team = self.teams[grant["team_id"]]
        ctx.team = team
        return {
            "ok": True,
            "app_id": self.app_id,
            "authed_user": {"id": grant["authed_user_id"]},
            "scope": grant["scopes"],
            "token_type": "bot",
            "access_token": grant["bot_token"],
            "bot_user_id": team["bot_user_id"],
            "team": {"id": team["id"], "name": team["name"]},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    # ------------------------------------------------------------------ HTTP: response URLs

    async def _handle_response_url(self, request: Request) -> Response:
        url_id = request.path_params["url_id"]
        body = await request.body()
        try:
            if "json" in request.headers.get("content-type", "") or body.lstrip().startswith(b"{"):
                payload = json.loads(body)
            else:
                form = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
                payload = json.loads(form.get("payload", "{}"))
            if not isinstance(payload, dict):
                raise ValueError("not an object")
        except (ValueError, UnicodeDecodeError):
            payload = None
        with self._cond:
            now = self.clock()
            status = 200
            headers: dict[str, str] = {}
            dropped = False
            try:
                self._injected_failure("response_url")
                if payload is None:
                    raise SlackError("invalid_payload", status=400)
                answer = self._respond(url_id, payload, now)
                ok, error = True, None
            except SlackError as e:
                answer, status, ok, error = e.body(), e.status, False, e.error
                headers.update(e.headers)
            except _HangUp:
                answer, ok, error, dropped = None, False, DROPPED, True
            self.calls.append(
                Call(
                    "response_url",
                    payload if payload is not None else {"raw": body.decode("utf-8", "replace")},
                    None,
                    now,
                    ok=ok,
                    error=error,
                    response=answer,
                    url_id=url_id,
                    peer_port=request.client.port if request.client else None,
                )
            )
            self._cond.notify_all()
        if dropped:
            return _HungUp()
        return JSONResponse(answer, status_code=status, headers=headers)

    def _respond(self, url_id: str, payload: dict[str, Any], now: float) -> dict[str, Any]:
        rec = self._response_urls.get(url_id)
        if rec is None:
            raise SlackError("no_service", status=404)
        if now - rec.created > RESPONSE_URL_TTL:
            raise SlackError("expired_url", status=404)
        if rec.uses >= RESPONSE_URL_USES:
            raise SlackError("used_url", status=404)
        delete = _flag(payload.get("delete_original"))
        blocks = payload.get("blocks")
        if isinstance(blocks, str):
            try:
                blocks = json.loads(blocks)
            except ValueError:
                raise SlackError("invalid_blocks_format", status=400) from None
        if blocks is not None:
            if not isinstance(blocks, list):
                raise SlackError("invalid_blocks_format", status=400)
            errors = validate_blocks(blocks, "message")
            if errors:
                raise SlackError(
                    "invalid_blocks",
                    status=400,
                    errors=errors,
                    response_metadata={"messages": error_messages(errors)},
                )
        text = payload.get("text")
        if not delete and not text and not blocks and not payload.get("attachments"):
            raise SlackError("no_text", status=400)
        rec.uses += 1
        self.responses.setdefault(url_id, []).append(payload)
        target = self._original(rec)
        if delete:
            if target is not None:
                kind, channel, message = target
                getattr(self, kind)[channel].remove(message)
            return {"ok": True}
        if _flag(payload.get("replace_original")) and target is not None:
            _, _, message = target
            message["text"] = text or ""
            message.pop("blocks", None)
            if blocks is not None:
                message["blocks"] = blocks
            return {"ok": True}
        if rec.channel is None:
            return {"ok": True}
        team = self.teams.get(self.channels.get(rec.channel, {}).get("team_id", self.team_id))
        ts = self._next_ts(now)
        message = {
            "type": "message",
            "ts": ts,
            "text": text or "",
            "bot_id": team["bot_id"] if team else None,
        }
        if blocks is not None:
            message["blocks"] = blocks
        if payload.get("thread_ts"):
            message["thread_ts"] = str(payload["thread_ts"])
        if payload.get("response_type") == "in_channel":
            message["user"] = team["bot_user_id"] if team else None
            self.messages.setdefault(rec.channel, []).append(message)
            rec.last = ("messages", rec.channel, ts)
        else:
            message["user"] = rec.user_id
            self.ephemerals.setdefault(rec.channel, []).append(message)
            rec.last = ("ephemerals", rec.channel, ts)
        return {"ok": True}

    def _original(self, rec: _ResponseUrl) -> tuple[str, str, dict[str, Any]] | None:
        """The message replace_original/delete_original act on, if it still exists."""
        wanted: list[tuple[str, str, str]] = []
        if rec.last is not None:
            wanted.append(rec.last)
        if rec.channel is not None and rec.message_ts is not None:
            wanted += [("messages", rec.channel, rec.message_ts)]
            wanted += [("ephemerals", rec.channel, rec.message_ts)]
        for kind, channel, ts in wanted:
            for message in getattr(self, kind).get(channel, []):
                if message["ts"] == ts:
                    return kind, channel, message
        return None


# ---------------------------------------------------------------------- helpers


def _invalid_arguments(errors: list[str]) -> SlackError:
    return SlackError("invalid_arguments", response_metadata={"messages": error_messages(errors)})


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.lower() in ("1", "true", "yes")
    return bool(value)


def _safe(predicate: Callable[[Call], bool], call: Call) -> bool:
    try:
        return bool(predicate(call))
    except Exception:
        return False


def _describe(call: Call) -> str:
    parts = [f"{call.method}"]
    for key in ("channel", "user", "user_id", "view_id", "trigger_id"):
        if key in call.args:
            parts.append(f"{key}={call.args[key]!r}")
    if call.url_id:
        parts.append(f"url_id={call.url_id}")
    text = call.args.get("text")
    if isinstance(text, str):
        parts.append(f"text={text[:60]!r}")
    parts.append("ok" if call.ok else f"error={call.error}")
    return " ".join(parts)


def _elements(block: dict[str, Any]) -> list[dict[str, Any]]:
    kind = block.get("type")
    if kind == "input" and isinstance(block.get("element"), dict):
        return [block["element"]]
    if kind == "section" and isinstance(block.get("accessory"), dict):
        return [block["accessory"]]
    if kind == "actions" and isinstance(block.get("elements"), list):
        return [e for e in block["elements"] if isinstance(e, dict)]
    return []


def _interactive_ids(blocks: list[dict[str, Any]]) -> set[tuple[str, str]]:
    """(block_id, action_id) of every interactive element with both ids set."""
    ids: set[tuple[str, str]] = set()
    for block in blocks:
        block_id = block.get("block_id")
        for element in _elements(block):
            if block_id and element.get("action_id"):
                ids.add((block_id, element["action_id"]))
    return ids


def _assign_ids(blocks: list[dict[str, Any]]) -> None:
    """Give blocks and interactive elements the random ids Slack gives those without."""
    for block in blocks:
        block.setdefault("block_id", secrets.token_urlsafe(3))
        for element in _elements(block):
            if element.get("type") != "image":
                element.setdefault("action_id", secrets.token_urlsafe(3))
