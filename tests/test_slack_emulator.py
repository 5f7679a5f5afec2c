"""The Slack emulator, driven over loopback with slack_sdk as the bot drives Slack."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from tests.emulators.blockkit import validate_blocks, validate_view
from tests.emulators.slack import Call, SlackEmulator

TOKEN = "xoxb-test-token"


class FakeClock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    """One loopback server a module; each test swaps in a fresh emulator behind it."""
    target: dict[str, SlackEmulator] = {}

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await target["emulator"].app(scope, receive, send)

    from tests.emulators.server import serve

    srv = serve(app, lifespan="off")
    srv.target = target  # type: ignore[attr-defined]
    yield srv
    srv.stop()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def slack(server: Any, clock: FakeClock) -> SlackEmulator:
    emulator = SlackEmulator(clock=clock)
    emulator.base_url = server.url
    server.target["emulator"] = emulator
    emulator.add_user("U1", name="alice", real_name="Alice Liddell", email="alice@example.com")
    emulator.add_user("U2", name="bob", email="bob@example.com", tz="Europe/Paris")
    emulator.add_channel("C1", "general", members={"U1", "U2"})
    return emulator


@pytest.fixture
def client(slack: SlackEmulator) -> AsyncWebClient:
    return AsyncWebClient(token=TOKEN, base_url=slack.api_url)


def section(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **extra}


def button(text: str, action_id: str = "go", **extra: Any) -> dict[str, Any]:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": text},
        "action_id": action_id,
        **extra,
    }


def option(text: str, value: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": text}, "value": value}


def modal(blocks: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    view = {
        "type": "modal",
        "callback_id": "book",
        "title": {"type": "plain_text", "text": "Book a meeting"},
        "submit": {"type": "plain_text", "text": "Book"},
        "blocks": blocks,
    }
    view.update(extra)
    return view


def text_input(block_id: str, action_id: str, label: str = "Guest") -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": label},
        "element": {"type": "plain_text_input", "action_id": action_id},
    }


async def api_error(call: Any) -> SlackApiError:
    with pytest.raises(SlackApiError) as info:
        await call
    return info.value


# ---------------------------------------------------------------------- messages


async def test_post_message_is_recorded_and_stored(
    slack: SlackEmulator, client: AsyncWebClient
) -> None:
    blocks = [section("*Hello*"), {"type": "actions", "elements": [button("Book")]}]
    resp = await client.chat_postMessage(channel="C1", text="Hello", blocks=blocks)
    assert resp["ok"] and resp["channel"] == "C1"
    assert resp["message"]["user"] == "UB111" and resp["message"]["bot_id"] == "B111"
    [call] = slack.calls_to("chat.postMessage")
    assert call.token == TOKEN and call.ok and call.args["blocks"] == blocks
    [message] = slack.messages["C1"]
    assert message["ts"] == resp["ts"] and message["text"] == "Hello"
    assert message["blocks"] == blocks


async def test_form_encoded_blocks_are_decoded(
    slack: SlackEmulator, client: AsyncWebClient
) -> None:
    blocks = [section("form")]
    await client.api_call(
        "chat.postMessage", data={"channel": "C1", "text": "x", "blocks": json.dumps(blocks)}
    )
    assert slack.calls_to("chat.postMessage")[0].args["blocks"] == blocks
    err = await api_error(
        client.api_call("chat.postMessage", data={"channel": "C1", "blocks": "[not json"})
    )
    assert err.response["error"] == "invalid_blocks_format"


async def test_dm_by_user_id_and_conversations_open(
    slack: SlackEmulator, client: AsyncWebClient
) -> None:
    opened = await client.conversations_open(users="U1")
    assert opened["channel"]["id"] == slack.dm_channel_id("U1") == "D1"
    resp = await client.chat_postMessage(channel="U1", text="hi")
    assert resp["channel"] == "D1" and slack.messages["D1"][0]["text"] == "hi"


async def test_channel_errors(slack: SlackEmulator, client: AsyncWebClient) -> None:
    slack.add_channel("C2", "outside", bot_is_member=False)
    slack.add_channel("C3", "secret", is_private=True, bot_is_member=False)
    slack.add_channel("C4", "old", is_archived=True)
    for channel, error in [
        ("C2", "not_in_channel"),
        ("C3", "channel_not_found"),
        ("C4", "is_archived"),
        ("C404", "channel_not_found"),
    ]:
        err = await api_error(client.chat_postMessage(channel=channel, text="x"))
        assert err.response["error"] == error, channel
    err = await api_error(client.api_call("chat.postMessage", json={"channel": "C1"}))
    assert err.response["error"] == "no_text"
    joined = await client.conversations_join(channel="C2")
    assert joined["channel"]["is_member"] is True
    assert (await client.chat_postMessage(channel="C2", text="now"))["ok"]


async def test_auth_and_unknown_method(slack: SlackEmulator, client: AsyncWebClient) -> None:
    auth = await client.auth_test()
    assert auth["team_id"] == "T111" and auth["user_id"] == "UB111" and auth["bot_id"] == "B111"
    bad = AsyncWebClient(token="xoxb-wrong", base_url=slack.api_url)
    assert (await api_error(bad.auth_test())).response["error"] == "invalid_auth"
    anonymous = AsyncWebClient(base_url=slack.api_url)
    assert (await api_error(anonymous.auth_test())).response["error"] == "not_authed"
    assert (await api_error(client.api_call("nope.nothing"))).response["error"] == "unknown_method"


async def test_update_delete_and_ephemeral(slack: SlackEmulator, client: AsyncWebClient) -> None:
    posted = await client.chat_postMessage(channel="C1", text="v1", blocks=[section("v1")])
    updated = await client.chat_update(channel="C1", ts=posted["ts"], text="v2")
    assert updated["message"]["blocks"] == [section("v1")] and updated["text"] == "v2"
    await client.chat_delete(channel="C1", ts=posted["ts"])
    assert slack.messages["C1"] == []
    err = await api_error(client.chat_update(channel="C1", ts=posted["ts"], text="x"))
    assert err.response["error"] == "message_not_found"
    eph = await client.chat_postEphemeral(channel="C1", user="U2", text="psst")
    assert slack.ephemerals["C1"][0] == {**slack.ephemerals["C1"][0], "user": "U2", "text": "psst"}
    assert eph["message_ts"] == slack.ephemerals["C1"][0]["ts"]
    slack.add_user("U3", name="carol")
    err = await api_error(client.chat_postEphemeral(channel="C1", user="U3", text="x"))
    assert err.response["error"] == "user_not_in_channel"


async def test_users_info_and_lookup(slack: SlackEmulator, client: AsyncWebClient) -> None:
    user = (await client.users_info(user="U2"))["user"]
    assert user["tz"] == "Europe/Paris" and user["tz_offset"] == 3600  # November: CET
    assert user["profile"]["email"] == "bob@example.com"
    assert user["profile"]["real_name"] == "bob" and user["profile"]["display_name"] == ""
    found = await client.users_lookupByEmail(email="ALICE@example.com")
    assert found["user"]["id"] == "U1" and found["user"]["tz_offset"] == -5 * 3600
    err = await api_error(client.users_lookupByEmail(email="nobody@example.com"))
    assert err.response["error"] == "users_not_found"
    assert (await api_error(client.users_info(user="U9"))).response["error"] == "user_not_found"


async def test_usergroups_users_list(slack: SlackEmulator, client: AsyncWebClient) -> None:
    slack.add_usergroup("S1", "design-team", ["U1", "U2"])
    assert (await client.usergroups_users_list(usergroup="S1"))["users"] == ["U1", "U2"]
    missing = await api_error(client.usergroups_users_list(usergroup="S9"))
    assert missing.response["error"] == "no_such_subteam"
    slack.teams["T111"]["scopes"] = "commands,chat:write"
    refused = await api_error(client.usergroups_users_list(usergroup="S1"))
    assert refused.response["error"] == "missing_scope"
    assert refused.response["needed"] == "usergroups:read"


# ---------------------------------------------------------------------- Block Kit


def _many_blocks(n: int) -> list[dict[str, Any]]:
    return [{"type": "divider"} for _ in range(n)]


@pytest.mark.parametrize(
    ("blocks", "pointer"),
    [
        (_many_blocks(51), "/blocks"),
        ([section("x" * 3001)], "/blocks/0/text/text"),
        ([section("")], "/blocks/0/text/text"),
        ([{"type": "header", "text": {"type": "mrkdwn", "text": "Hi"}}], "/blocks/0/text/type"),
        (
            [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}],
            "/blocks/0/text/text",
        ),
        ([{"type": "actions", "elements": [button("b" * 76)]}], "/blocks/0/elements/0/text/text"),
        (
            [{"type": "actions", "elements": [button("ok", value="v" * 2001)]}],
            "/blocks/0/elements/0/value",
        ),
        (
            [{"type": "actions", "elements": [button("a", "x"), button("b", "x")]}],
            "/blocks/0/elements/1/action_id",
        ),
        (
            [{"type": "actions", "elements": [button(str(i), f"a{i}") for i in range(26)]}],
            "/blocks/0/elements",
        ),
        ([section("a", block_id="b1"), section("b", block_id="b1")], "/blocks/1/block_id"),
        ([section("a", block_id="b" * 256)], "/blocks/0/block_id"),
        (
            [
                section(
                    "pick",
                    accessory={
                        "type": "static_select",
                        "action_id": "s",
                        "options": [option("x", "v" * 151)],
                    },
                )
            ],
            "/blocks/0/accessory/options/0/value",
        ),
        (
            [
                section(
                    "pick",
                    accessory={
                        "type": "static_select",
                        "options": [option(f"o{i}", str(i)) for i in range(101)],
                    },
                )
            ],
            "/blocks/0/accessory/options",
        ),
        (
            [section("f", fields=[{"type": "mrkdwn", "text": str(i)} for i in range(11)])],
            "/blocks/0/fields",
        ),
        (
            [{"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11}],
            "/blocks/0/elements",
        ),
        ([text_input("b", "a")], "/blocks/0/type"),
        ([{"type": "carousel"}], "/blocks/0/type"),
        ([{"type": "section"}], "/blocks/0"),
        ([section("x", imageUrl="https://x")], "/blocks/0"),
        (
            [{"type": "section", "text": {"type": "mrkdwn", "text": "x", "emoji": True}}],
            "/blocks/0/text",
        ),
        (
            [
                {
                    "type": "actions",
                    "elements": [
                        button(
                            "Cancel",
                            confirm={
                                "title": {"type": "plain_text", "text": "t" * 101},
                                "text": {"type": "mrkdwn", "text": "Sure?"},
                                "confirm": {"type": "plain_text", "text": "Yes"},
                                "deny": {"type": "plain_text", "text": "No"},
                            },
                        )
                    ],
                }
            ],
            "/blocks/0/elements/0/confirm/title/text",
        ),
        (
            [{"type": "actions", "elements": [button("Open", url="https://x/" + "u" * 3000)]}],
            "/blocks/0/elements/0/url",
        ),
    ],
)
async def test_invalid_blocks_are_rejected_like_slack(
    slack: SlackEmulator, client: AsyncWebClient, blocks: list[dict[str, Any]], pointer: str
) -> None:
    err = await api_error(client.chat_postMessage(channel="C1", text="x", blocks=blocks))
    body = err.response.data
    assert body["error"] == "invalid_blocks"
    assert any(e.endswith(f"[json-pointer:{pointer}]") for e in body["errors"]), body["errors"]
    assert body["response_metadata"]["messages"] == [f"[ERROR] {e}" for e in body["errors"]]
    assert "C1" not in slack.messages
    [call] = slack.failed_calls()
    assert call.error == "invalid_blocks"


def test_valid_blocks_pass() -> None:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Bookings", "emoji": True}},
        section("x" * 3000, accessory=button("b" * 75, value="v" * 2000)),
        section("f", fields=[{"type": "mrkdwn", "text": "y" * 2000}] * 10),
        {"type": "divider"},
        {
            "type": "actions",
            "elements": [button(str(i), f"a{i}") for i in range(24)]
            + [
                {
                    "type": "static_select",
                    "action_id": "s",
                    "placeholder": {"type": "plain_text", "text": "Pick"},
                    "options": [option("o" * 75, str(i)) for i in range(100)],
                    "initial_option": option("o" * 75, "3"),
                }
            ],
        },
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 10},
        {"type": "image", "image_url": "https://example.com/a.png", "alt_text": "a"},
        *_many_blocks(43),
    ]
    assert validate_blocks(blocks, "message") == []
    assert validate_blocks(_many_blocks(51), "message") != []
    assert validate_blocks(_many_blocks(100), "modal") == []
    assert validate_blocks(_many_blocks(101), "home") != []


def test_view_rules() -> None:
    assert validate_view(modal([text_input("b", "a")])) == []
    no_submit = modal([text_input("b", "a")])
    del no_submit["submit"]
    assert any("submit" in e for e in validate_view(no_submit))
    long_title = modal([], title={"type": "plain_text", "text": "t" * 25})
    assert validate_view(long_title) == [
        "must be less than 25 characters [json-pointer:/view/title/text]"
    ]
    assert validate_view(modal([], private_metadata="m" * 3001))
    assert validate_view(modal([], callback_id="c" * 256))
    assert validate_view({"type": "modal", "blocks": []})  # no title
    assert validate_view({"type": "home", "blocks": [text_input("b", "a")]}) == []
    assert validate_view(
        {"type": "home", "blocks": [], "title": {"type": "plain_text", "text": "x"}}
    )
    assert validate_view({"type": "dialog", "blocks": []})


# ---------------------------------------------------------------------- views


async def test_trigger_id_expires_and_serves_once(
    slack: SlackEmulator, client: AsyncWebClient, clock: FakeClock
) -> None:
    view = modal([section("hi")])
    stale = slack.new_trigger_id(user_id="U1")
    clock.advance(3.5)
    err = await api_error(client.views_open(trigger_id=stale, view=view))
    assert err.response["error"] == "expired_trigger_id"

    fresh = slack.new_trigger_id(user_id="U1")
    clock.advance(2.9)
    opened = await client.views_open(trigger_id=fresh, view=view)
    assert opened["view"]["id"] in slack.views and opened["view"]["callback_id"] == "book"
    err = await api_error(client.views_open(trigger_id=fresh, view=view))
    assert err.response["error"] == "exchanged_trigger_id"
    err = await api_error(client.views_open(trigger_id="1.2.bogus", view=view))
    assert err.response["error"] == "invalid_trigger_id"


async def test_invalid_view_is_invalid_arguments(
    slack: SlackEmulator, client: AsyncWebClient
) -> None:
    trigger = slack.new_trigger_id()
    view = modal([section("hi")], title={"type": "plain_text", "text": "A title that is too long"})
    view["title"]["text"] += "!"
    err = await api_error(client.views_open(trigger_id=trigger, view=view))
    assert err.response["error"] == "invalid_arguments"
    assert err.response["response_metadata"]["messages"] == [
        "[ERROR] must be less than 25 characters [json-pointer:/view/title/text]"
    ]
    # a rejected view does not spend the trigger
    assert (await client.views_open(trigger_id=trigger, view=modal([section("ok")])))["ok"]


async def test_views_update_keeps_state_and_checks_hash(
    slack: SlackEmulator, client: AsyncWebClient
) -> None:
    view = modal([text_input("guest", "email"), text_input("note", "text")], external_id="ext-1")
    opened = (await client.views_open(trigger_id=slack.new_trigger_id(user_id="U1"), view=view))[
        "view"
    ]
    value = {"type": "plain_text_input", "value": "carol@example.com"}
    slack.set_view_state(opened["id"], {"guest": {"email": value}, "note": {"text": value}})

    loading = modal([text_input("guest", "email"), section("Finding slots…")], private_metadata="m")
    updated = (await client.views_update(view_id=opened["id"], hash=opened["hash"], view=loading))[
        "view"
    ]
    assert updated["id"] == opened["id"] and updated["hash"] != opened["hash"]
    assert updated["state"]["values"] == {"guest": {"email": value}}
    assert updated["private_metadata"] == "m" and slack.views[opened["id"]] == updated

    err = await api_error(
        client.views_update(view_id=opened["id"], hash=opened["hash"], view=loading)
    )
    assert err.response["error"] == "hash_conflict"
    by_external = await client.views_update(external_id="ext-1", view=modal([section("done")]))
    assert (
        by_external["view"]["id"] == opened["id"] and by_external["view"]["state"]["values"] == {}
    )
    err = await api_error(client.views_update(view_id="V404", view=loading))
    assert err.response["error"] == "not_found"


async def test_views_push_and_publish(slack: SlackEmulator, client: AsyncWebClient) -> None:
    root = (await client.views_open(trigger_id=slack.new_trigger_id(), view=modal([section("1")])))[
        "view"
    ]
    for n in (2, 3):
        pushed = await client.views_push(
            trigger_id=slack.new_trigger_id(view_id=root["id"]), view=modal([section(str(n))])
        )
        assert pushed["view"]["root_view_id"] == root["id"]
    err = await api_error(
        client.views_push(
            trigger_id=slack.new_trigger_id(view_id=root["id"]), view=modal([section("4")])
        )
    )
    assert err.response["error"] == "push_limit_reached"

    home = {"type": "home", "blocks": [section("Your bookings")]}
    published = (await client.views_publish(user_id="U1", view=home))["view"]
    assert slack.home_tabs["U1"]["id"] == published["id"] and published["type"] == "home"
    again = (await client.views_publish(user_id="U1", view=home, hash=published["hash"]))["view"]
    assert again["id"] == published["id"]
    err = await api_error(client.views_publish(user_id="U1", view=home, hash=published["hash"]))
    assert err.response["error"] == "hash_conflict"
    err = await api_error(client.views_publish(user_id="U1", view=modal([section("x")])))
    assert err.response["error"] == "invalid_arguments"


# ---------------------------------------------------------------------- response URLs


async def test_response_url_replace_and_limits(slack: SlackEmulator) -> None:
    url = slack.new_response_url(channel="C1", user_id="U1")
    webhook = AsyncWebhookClient(url)
    first = await webhook.send(text="Looking…")
    assert first.status_code == 200
    [shown] = slack.ephemerals["C1"]
    assert shown["user"] == "U1" and shown["text"] == "Looking…"

    blocks = [section("3 slots")]
    await webhook.send(text="Found", blocks=blocks, replace_original=True)
    assert slack.ephemerals["C1"] == [{**shown, "text": "Found", "blocks": blocks}]
    [call] = slack.wait_for("response_url", lambda c: c.args.get("replace_original") is True)
    assert call.url_id == url.rsplit("/", 1)[1] and call.args["blocks"] == blocks

    bad = await webhook.send(text="x", blocks=[section("y" * 3001)])
    assert bad.status_code == 400 and json.loads(bad.body)["error"] == "invalid_blocks"

    await webhook.send(text="shared", response_type="in_channel")
    assert slack.messages["C1"][-1]["text"] == "shared"
    for _ in range(2):
        assert (await webhook.send(text="more")).status_code == 200
    assert (await webhook.send(text="sixth")).status_code == 404
    assert (
        await AsyncWebhookClient(f"{slack.base_url}/response/nope").send(text="x")
    ).status_code == 404


async def test_response_url_replaces_a_message(
    slack: SlackEmulator, client: AsyncWebClient
) -> None:
    posted = await client.chat_postMessage(channel="C1", text="Booking with Alice")
    url = slack.new_response_url(channel="C1", user_id="U1", message_ts=posted["ts"])
    await AsyncWebhookClient(url).send(text="Cancelled", replace_original=True)
    assert slack.messages["C1"][0]["text"] == "Cancelled"
    await AsyncWebhookClient(url).send_dict({"delete_original": True})
    assert slack.messages["C1"] == []


# ---------------------------------------------------------------------- failures and waiting


async def test_fail_next_ratelimited_with_retry_after(
    slack: SlackEmulator, client: AsyncWebClient
) -> None:
    slack.fail_next("chat.postMessage", retry_after=7)
    err = await api_error(client.chat_postMessage(channel="C1", text="x"))
    assert err.response.status_code == 429 and err.response["error"] == "ratelimited"
    assert err.response.headers["Retry-After"] == "7"
    assert (await client.chat_postMessage(channel="C1", text="x"))["ok"]

    slack.fail_next("views.open", error="channel_not_found", status=200, times=2)
    for _ in range(2):
        err = await api_error(client.views_open(trigger_id="t", view=modal([])))
        assert err.response.status_code == 200 and err.response["error"] == "channel_not_found"
        assert "Retry-After" not in err.response.headers
    assert [c.ok for c in slack.calls] == [False, True, False, False]


async def test_drop_next_hangs_up_unanswered_and_does_nothing(
    slack: SlackEmulator, client: AsyncWebClient
) -> None:
    """A network failure, not a Slack answer: the client gets no SlackApiError."""
    posted = await client.chat_postMessage(channel="C1", text="Cancelled")
    slack.drop_next("chat.update")
    with pytest.raises(aiohttp.ClientError):
        await client.chat_update(channel="C1", ts=posted["ts"], text="Moved")
    assert slack.messages["C1"][0]["text"] == "Cancelled"
    [dropped] = slack.calls_to("chat.update")
    assert (dropped.ok, dropped.error) == (False, "connection_dropped")
    assert (await client.chat_update(channel="C1", ts=posted["ts"], text="Moved"))["ok"]
    assert slack.messages["C1"][0]["text"] == "Moved"


async def test_hold_keeps_a_call_in_flight_until_released(
    slack: SlackEmulator, client: AsyncWebClient
) -> None:
    hold = slack.hold("chat.postMessage")
    posting = asyncio.ensure_future(client.chat_postMessage(channel="C1", text="held"))
    assert await asyncio.get_running_loop().run_in_executor(None, hold.arrived.wait, 5)
    assert not posting.done() and "C1" not in slack.messages
    hold.release()
    assert (await posting)["ok"] and slack.messages["C1"][0]["text"] == "held"
    assert (await client.chat_postMessage(channel="C1", text="next"))["ok"]  # held once


async def test_hold_answers_a_call_once_the_test_releases_it(
    slack: SlackEmulator, client: AsyncWebClient
) -> None:
    """A test instrument: the held call waits for the test's event, others go on."""
    released = slack.hold("chat.postMessage")
    held = asyncio.ensure_future(client.chat_postMessage(channel="C1", text="held"))
    assert (await client.auth_test())["ok"]
    assert not held.done() and slack.calls_to("chat.postMessage") == []
    released.set()
    assert (await held)["ok"]
    assert (await client.chat_postMessage(channel="C1", text="next"))["ok"]  # not held


def test_wait_for_a_call_made_from_another_thread(slack: SlackEmulator) -> None:
    """The worker posts "later" only once wait_for is already waiting: no sleeps anywhere."""
    waiting = threading.Event()

    def bot() -> None:
        web = WebClient(token=TOKEN, base_url=slack.api_url)
        web.chat_postMessage(channel="C1", text="ping")
        waiting.wait(5)
        web.chat_postMessage(channel="C1", text="later")

    def is_later(call: Call) -> bool:
        if call.args["text"] == "ping":
            waiting.set()  # wait_for has seen "ping", so it is inside its wait loop
        return call.args["text"] == "later"

    worker = threading.Thread(target=bot)
    worker.start()
    [call] = slack.wait_for("chat.postMessage", is_later, timeout=5)
    assert call.args["channel"] == "C1" and waiting.is_set()
    worker.join(5)

    with pytest.raises(AssertionError, match=r"chat.postMessage channel='C1' text='later' ok"):
        slack.wait_for("chat.postMessage", count=3, timeout=0.05)


async def test_wait_for_async_keeps_the_loop_running(
    slack: SlackEmulator, client: AsyncWebClient
) -> None:
    import asyncio

    waiter = asyncio.create_task(slack.wait_for_async("users.info", timeout=5))
    await client.users_info(user="U1")
    [call] = await waiter
    assert call.args == {"user": "U1"}


# ---------------------------------------------------------------------- OAuth and workspaces


@pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")
async def test_oauth_exchange_and_second_workspace(slack: SlackEmulator) -> None:
    slack.add_oauth_code(
        "code-1",
        team_id="T222",
        team_name="Other Co",
        bot_token="xoxb-other",
        bot_user_id="UBOT2",
        scopes="commands,chat:write",
        authed_user_id="U7",
    )
    anonymous = AsyncWebClient(base_url=slack.api_url)
    err = await api_error(
        anonymous.oauth_v2_access(client_id=slack.client_id, client_secret="wrong", code="code-1")
    )
    assert err.response["error"] == "bad_client_secret"
    granted = await anonymous.oauth_v2_access(
        client_id=slack.client_id, client_secret=slack.client_secret, code="code-1"
    )
    assert granted["access_token"] == "xoxb-other" and granted["team"] == {
        "id": "T222",
        "name": "Other Co",
    }
    assert granted["authed_user"]["id"] == "U7" and granted["bot_user_id"] == "UBOT2"
    err = await api_error(
        anonymous.oauth_v2_access(
            client_id=slack.client_id, client_secret=slack.client_secret, code="code-1"
        )
    )
    assert err.response["error"] == "invalid_code"

    other = AsyncWebClient(token="xoxb-other", base_url=slack.api_url)
    auth = await other.auth_test()
    assert auth["team_id"] == "T222" and auth["user_id"] == "UBOT2"
    assert auth.headers["x-oauth-scopes"] == "commands,chat:write"
    assert (await api_error(other.users_info(user="U1"))).response["error"] == "user_not_found"
    assert (await api_error(other.chat_postMessage(channel="C1", text="x"))).response[
        "error"
    ] == "channel_not_found"
    slack.revoke_token("xoxb-other")
    assert (await api_error(other.auth_test())).response["error"] == "token_revoked"
