"""Socket Mode end to end: the real `calbot serve` process with SLACK_APP_TOKEN set, Slack's
side played by the Socket Mode emulator (tests/emulators/socketmode.py) and the Web API
emulator, Cal.com's by its emulator.

Every request goes in as the envelope Slack sends instead of the HTTP request (the HTTP-mode
drivers, with `post` swapped for the socket), and every ack is read back from the socket.
"""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest

from bot.models import Link
from bot.store import Store
from tests.emulators.calcom import CalcomEmulator
from tests.emulators.slack import SlackEmulator
from tests.emulators.socketmode import Ack, SocketModeEmulator, envelope_for, random_app_token
from tests.helpers import child_env, make_env
from tests.picking import slot_buttons
from tests.processes import Process
from tests.reference import REFERENCE
from tests.slackdriver import SlackDriver, text_of
from tests.viewdriver import ViewDriver

PAYLOADS = REFERENCE / "slack-payloads"
ENVELOPES = REFERENCE / "slack-socket-mode" / "envelopes.json"


class SocketDriver(SlackDriver):
    """The HTTP-mode driver, each request delivered as its Socket Mode envelope instead;
    what it returns is the app's ack, read from the socket."""

    def __init__(self, socket_mode: SocketModeEmulator, slack: SlackEmulator):
        super().__init__("http://socket-mode.invalid", "no-signing-over-a-socket", slack)
        self.socket_mode = socket_mode

    def post(  # type: ignore[override]
        self, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> Ack:
        return self.socket_mode.deliver_request(body, content_type)


@dataclass
class SocketBot:
    """What the view driver needs of a bot: how to reach it."""

    slack: SocketDriver


@pytest.fixture
def socket_mode(slack: SlackEmulator) -> Iterator[SocketModeEmulator]:
    emulator = SocketModeEmulator(app_id="A111")
    emulator.start()
    slack.attach_socket_mode(emulator)
    yield emulator
    emulator.stop()


@pytest.fixture
def app_token(slack: SlackEmulator) -> str:
    token = random_app_token()
    slack.add_app_token(token)
    return token


@pytest.fixture
def served(
    tmp_path: Path,
    calcom: CalcomEmulator,
    slack: SlackEmulator,
    socket_mode: SocketModeEmulator,
    app_token: str,
) -> Iterator[Process]:
    """`calbot serve` in Socket Mode, connected; U1 linked to Cal.com account `sam`."""
    store = Store(tmp_path / "calbot.db")
    store.migrate()
    calcom.add_account(username="sam", name="Sam Jones", email="sam@acme.test")
    connection = calcom.add_connection("sam")
    store.save_link(Link("T111", "U1", connection.connection_id, "ACTIVE", username="sam"))
    store.close()
    env = make_env(tmp_path, calcom, slack, SLACK_APP_TOKEN=app_token, LOG_LEVEL="INFO")
    process = Process(child_env(**env))
    try:
        socket_mode.wait_connections(1)
        yield process
    finally:
        if process.proc.poll() is None:
            process.proc.send_signal(signal.SIGTERM)
            try:
                process.proc.wait(timeout=15)
            except Exception:
                process.proc.kill()
                process.proc.wait(timeout=10)


@pytest.fixture
def driver(socket_mode: SocketModeEmulator, slack: SlackEmulator) -> Iterator[SocketDriver]:
    socket_driver = SocketDriver(socket_mode, slack)
    yield socket_driver
    socket_driver.close()


def test_commands_buttons_a_modal_and_the_home_work_over_the_socket(
    served: Process,
    socket_mode: SocketModeEmulator,
    slack: SlackEmulator,
    calcom: CalcomEmulator,
    driver: SocketDriver,
    app_token: str,
) -> None:
    # The app asked for its URL with the app-level token, connected, and got `hello`.
    [opened] = slack.calls_to("apps.connections.open")
    assert opened.ok and opened.token == app_token
    served.wait_for_line(r"Socket Mode connected")
    # connected only after the app's start-up (its Slack session, workers, checkpointer):
    # no envelope can arrive before what it needs is there
    started = next(n for n, line in enumerate(served.seen) if "startup complete" in line)
    connected = next(n for n, line in enumerate(served.seen) if "Socket Mode connected" in line)
    assert started < connected
    assert len(socket_mode.connections) == 1

    # /cal help: answered in the ack's payload (no I/O needed), nothing on the response URL.
    help_ = driver.command("help")
    assert set(help_.response.message) == {"envelope_id", "payload"}
    assert help_.response.json()["response_type"] == "ephemeral"
    assert "/cal book" in text_of(driver.reply(help_))
    assert slack.calls_to("response_url") == []

    # /cal book: the picker, then a click on a time (a block_actions envelope) books it.
    picker = driver.reply(driver.command("book 30min next tuesday with jane@example.com"))
    first = slot_buttons(picker)[0]
    booked = driver.reply(driver.click(first["action_id"], value=first.get("value")))
    assert "Booked" in text_of(booked)
    [made] = calcom.bookings.values()
    assert [a["email"] for a in made["attendees"]] == ["jane@example.com"]

    # /cal alone opens the modal with the command's trigger id; a submission without a
    # time comes back as the ack's payload (view_submission accepts one).
    views = ViewDriver(SocketBot(driver), slack)  # type: ignore[arg-type]
    modal = driver.command("")
    assert modal.response.payload is None
    view = views.opened()
    views.type_in(view, {"booking_name": "Jane Doe", "booking_email": "jane@example.com"})
    answer = views.submit(view)
    assert answer["response_action"] == "errors" and "Choose a time." in answer["errors"].values()
    assert len(calcom.bookings) == 1
    # The global shortcut (an interactive `shortcut` envelope) opens the same modal.
    assert views.shortcut("book_meeting").payload is None
    assert views.opened(count=2)["title"]["text"] == "Book a meeting"

    # The App Home: an app_home_opened event, acked, then views.publish with the booking.
    home = views.open_home("U1")
    assert "30 min meeting between Sam Jones and jane" in text_of(home)

    # Each envelope was acked once, on the one connection, in Slack's ack shape.
    sent = socket_mode.envelopes
    assert {e["type"] for e in sent} == {"slash_commands", "interactive", "events_api"}
    assert all(e["envelope_id"] in socket_mode.acks for e in sent)
    assert socket_mode.stray == []  # no ack for an envelope Slack never sent
    for ack in socket_mode.acks.values():
        assert ack.connection == 1
        assert set(ack.message) <= {"envelope_id", "payload"}
    assert views.refused() == []


@pytest.mark.parametrize("reason", ["warning", "refresh_requested"])
def test_the_app_reconnects_through_a_fresh_url_when_slack_says_disconnect(
    served: Process,
    socket_mode: SocketModeEmulator,
    slack: SlackEmulator,
    driver: SocketDriver,
    reason: str,
) -> None:
    old = socket_mode.disconnect(reason)
    [_, new] = socket_mode.wait_connections(2)
    assert len(slack.wait_for("apps.connections.open", count=2)) == 2  # a fresh URL
    assert new.ticket != old.ticket and socket_mode.refused_tickets == []
    socket_mode.wait_closed(old.number)  # the app let the old connection go

    help_ = driver.command("help")  # and the new one carries requests
    assert help_.response.connection == new.number
    assert "/cal book" in text_of(driver.reply(help_))


def test_sending_without_a_connection_fails_loudly(socket_mode: SocketModeEmulator) -> None:
    """Without an app connected there is nowhere to send: the emulator says so."""
    with pytest.raises(AssertionError, match="no open connection"):
        socket_mode.send("events_api", {}, accepts_response_payload=False)


def _shape(envelope: dict[str, Any]) -> tuple[str, bool, frozenset[str]]:
    return envelope["type"], envelope["accepts_response_payload"], frozenset(envelope)


def _recorded() -> dict[str, dict[str, Any]]:
    """Slack's recorded messages by what they carry: a payload's type, `command`, `hello`."""
    found = {}
    for message in json.loads(ENVELOPES.read_text()):
        payload = message.get("payload") or {}
        kind = "command" if "command" in payload else payload.get("type", message["type"])
        found[kind] = message
    return found


def _interactive(name: str) -> bytes:
    return urlencode({"payload": (PAYLOADS / name).read_text()}).encode()


def test_envelopes_have_the_shape_slack_sends() -> None:
    """The emulator's envelopes for bolt-python's recorded requests have the keys, type and
    accepts_response_payload of the envelopes python-slack-sdk's tests recorded from Slack."""
    recorded = _recorded()
    form = "application/x-www-form-urlencoded"
    event = (PAYLOADS / "event_app_home_opened.json").read_bytes()
    cases = {
        "command": envelope_for((PAYLOADS / "slash_command.form.txt").read_bytes(), form),
        "event_callback": envelope_for(event, "application/json"),
        "shortcut": envelope_for(_interactive("shortcut_global.json"), form),
        "block_actions": envelope_for(_interactive("block_actions.json"), form),
    }
    for kind, (envelope_type, payload, accepts) in cases.items():
        made = {
            "envelope_id": "x",
            "payload": payload,
            "type": envelope_type,
            "accepts_response_payload": accepts,
        }
        if envelope_type == "events_api":
            made |= {"retry_attempt": 0, "retry_reason": ""}
        assert _shape(made) == _shape(recorded[kind]), kind
    assert cases["command"][1]["command"] == "/hello-world"  # the form's fields, as JSON
    # A submission's ack may carry response_action: Slack says so in the envelope.
    kind, _, accepts = envelope_for(_interactive("view_submission.json"), form)
    assert (kind, accepts) == ("interactive", True)


async def test_hello_has_the_shape_slack_sends(socket_mode: SocketModeEmulator) -> None:
    """A bare WebSocket client: one ticket opens one connection, which starts with hello."""
    url = socket_mode.new_url()
    async with aiohttp.ClientSession() as http:
        async with http.ws_connect(url) as ws:
            hello = await ws.receive_json(timeout=5)
        with pytest.raises(aiohttp.WSServerHandshakeError):  # the ticket is used up
            await http.ws_connect(url)
    assert set(hello) == set(_recorded()["hello"])
    assert hello["type"] == "hello" and hello["connection_info"] == {"app_id": "A111"}


_ACTION = {"action_id": "x", "block_id": "b", "type": "button", "value": "v"}
ODD_OVER_THE_SOCKET = [
    # calbot's shape check (bot/slack/shape.py) refuses it before Bolt reads it
    ({"actions": 5}, r"odd Slack payload acked and ignored: body\.actions"),
    # the check passes it, Bolt's own reading trips (it builds every context from
    # `authorizations`): the same net as bot/web.py's over HTTP
    (
        {"actions": [_ACTION], "authorizations": 5},
        r"unreadable Slack payload acked and ignored: TypeError",
    ),
]


@pytest.mark.parametrize(("fields", "logged"), ODD_OVER_THE_SOCKET, ids=["shape", "bolt"])
def test_an_odd_payload_over_the_socket_is_acked_quietly(
    served: Process, driver: SocketDriver, fields: dict[str, Any], logged: str
) -> None:
    """Over HTTP bot/web.py checks a payload before Bolt; over the socket,
    bot/slack/socketmode.py does: an odd one is acked (Slack does not send it again),
    logged in one warning line, and goes no further; the next request is answered."""
    served.wait_for_line(r"Socket Mode connected")
    odd = {"type": "block_actions", "user": {"id": "U1"}, "team": {"id": "T111"}, **fields}
    body = urlencode({"payload": json.dumps({"trigger_id": "1.2.x", **odd})}).encode()
    ack = driver.post(body, "application/x-www-form-urlencoded")
    assert ack.payload is None  # acked, nothing to show
    served.wait_for_line(rf"WARNING .*{logged}")
    assert "/cal book" in text_of(driver.reply(driver.command("help")))
    assert not [line for line in served.seen if "Traceback" in line]
