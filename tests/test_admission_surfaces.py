"""Issue 15, beyond commands and clicks: a modal's submission and the Home refresh are
admitted like any handed-off work (bounded, "busy" past capacity), and an error reply from
Bolt's error handler goes out on the workspace's shared HTTP session, not a new one.

Behaviour only: nothing here depends on the machine's speed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.admission import Admission
from bot.blocks.progress import BUSY_INLINE
from bot.config import Settings
from bot.runtime import Runtime
from bot.web import create_app
from tests.emulators.calcom import CalcomEmulator
from tests.emulators.server import serve
from tests.emulators.slack import SlackEmulator
from tests.helpers import SIGNING_SECRET, Bot, Clock
from tests.slackdriver import SlackDriver, text_of
from tests.viewdriver import ViewDriver, option

FULL = {"max_pending": 0, "per_user": 0, "max_running": 0}  # nothing fits


def _ready_to_submit(views: ViewDriver, bot: Bot) -> dict[str, Any]:
    """The booking modal with a day, a time and a guest chosen."""
    bot.slack.command("book")
    view = views.opened()
    seen = views.updates(view["id"])
    views.choose(view, "booking_date", {"type": "datepicker", "selected_date": "2026-11-26"})
    view = views.after_update(view["id"], seen)
    seen = views.updates(view["id"])
    chosen = {"type": "static_select", "selected_option": option(view, "booking_time", "3:00 PM")}
    views.choose(view, "booking_time", chosen)
    view = views.after_update(view["id"], seen)
    views.type_in(view, {"booking_name": "Jane Doe", "booking_email": "jane@example.com"})
    return view


def test_a_submission_past_capacity_says_busy_in_the_modal_and_books_nothing(
    bot: Bot, calcom: CalcomEmulator, views: ViewDriver, sam: Any
) -> None:
    view = _ready_to_submit(views, bot)
    bot.settle()
    bot.rt.admission = Admission(**FULL)

    refused = views.submit(view)
    assert refused["response_action"] == "errors"
    assert list(refused["errors"].values()) == [BUSY_INLINE]  # on the time field, modal open
    assert not calcom.bookings
    assert bot.rt.admission.refused == 1

    bot.rt.admission = Admission()
    assert views.submit(view) == {}  # room again: booked, the modal closes
    assert len(calcom.bookings) == 1
    bot.settle()
    assert bot.rt.admission.pending == 0  # the submission (and the Home refresh) gave back


def test_a_home_refresh_past_capacity_is_skipped_and_done_when_there_is_room(
    bot: Bot, slack: SlackEmulator, views: ViewDriver, sam: Any
) -> None:
    bot.rt.admission = Admission(**FULL)
    response = bot.slack.post(_home_opened(), "application/json")
    assert response.status_code == 200  # the event is acked; its refresh is not queued
    bot.settle()
    assert slack.calls_to("views.publish") == []
    assert bot.rt.admission.refused == 1

    bot.rt.admission = Admission()
    home = views.open_home("U1")
    assert "Sam Jones" in text_of(home)
    bot.settle()
    assert bot.rt.admission.pending == 0


def _home_opened() -> bytes:
    return json.dumps(
        {
            "team_id": "T111",
            "api_app_id": "A111",
            "type": "event_callback",
            "event_id": "Ev-home-1",
            "event_time": 1,
            "event": {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"},
        }
    ).encode()


@pytest.fixture
def failing_bot(settings: Settings, clock: Clock, slack: SlackEmulator) -> Iterator[Bot]:
    """The real app, plus one command whose listener fails after its ack (as a bug would):
    Bolt then calls the app's error handler, which answers through the response URL."""
    rt = Runtime.create(settings, clock=clock)
    app = create_app(rt)

    @app.state.bolt.command("/boom")
    async def boom(ack: Any) -> None:
        await ack()
        raise RuntimeError("a bug")

    server = serve(app)
    driver = SlackDriver(server.url, SIGNING_SECRET, slack)
    yield Bot(server.url, rt, driver, server)
    driver.close()
    server.stop(wait=False)


def test_error_replies_reuse_one_connection(failing_bot: Bot, slack: SlackEmulator) -> None:
    ports = []
    for _ in range(3):
        url = slack.new_response_url(channel="C1", user_id="U1")
        form = {
            "team_id": "T111",
            "user_id": "U1",
            "channel_id": "C1",
            "command": "/boom",
            "text": "",
            "response_url": url,
            "trigger_id": slack.new_trigger_id(user_id="U1"),
        }
        failing_bot.slack.post(urlencode(form).encode(), "application/x-www-form-urlencoded")
        [call] = slack.wait_for(
            "response_url", lambda c, url=url: c.url_id == url.rsplit("/", 1)[1]
        )
        assert "Something went wrong (ref " in text_of(call.args)
        assert call.args["response_type"] == "ephemeral"
        ports.append(call.peer_port)
    # Bolt's own `respond` opens a new session, so a new connection, for every reply
    assert len(set(ports)) == 1
