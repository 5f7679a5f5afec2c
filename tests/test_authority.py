"""Nobody acts on a booking that isn't theirs, whatever the surface.

Cal.com lets anyone holding a uid read, cancel and reschedule a booking (the emulator
follows the spec: see test_calcom_emulator), so these tests prove calbot's own check.
Sam (U1) hosts; Alice (U2) is another linked user; Bob (U3) never linked. Each attack
uses the attacker's exact input: a typed uid, a button value, a notification's buttons,
the App Home, another person's modal view id. Cal.com's state never changes, and the
attacker is told "That booking isn't yours" (or, for a modal, "That window isn't yours").
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from bot.config import Settings
from tests.emulators.calcom import CalcomEmulator
from tests.emulators.slack import SlackEmulator
from tests.helpers import Bot, Clock, link_user
from tests.notifying import NotifyBot, posts_to, running_bot, subscribe
from tests.picking import NY
from tests.slackdriver import action_ids, button_value, text_of
from tests.viewdriver import ViewDriver, option

NOT_YOURS = "That booking isn't yours"
ATTACKERS = ("U2", "U3")  # Alice, linked; Bob, not linked


@pytest.fixture
def bot(settings: Settings, clock: Clock, slack: SlackEmulator) -> Iterator[NotifyBot]:
    with running_bot(settings, clock, slack) as running:
        yield running


@pytest.fixture
def accounts(bot: Bot, calcom: CalcomEmulator) -> None:
    link_user(bot, calcom, "U1", "sam", name="Sam Jones")
    link_user(bot, calcom, "U2", "alice", name="Alice Wong")


def sams_booking(calcom: CalcomEmulator, hour: int = 9, **extra: Any) -> str:
    made = calcom.book_as_guest(
        event_type_id=calcom.account("sam").event_type("30min")["id"],
        start=datetime(2026, 11, 26, hour, 0, tzinfo=NY),
        name="Jane Doe",
        email="jane@example.com",
        **extra,
    )
    return made["uid"]


def unchanged(calcom: CalcomEmulator, uid: str, status: str = "accepted") -> None:
    """Cal.com saw no change: same status, no replacement booking, nothing cancelled."""
    assert calcom.bookings[uid]["status"] == status
    assert calcom.bookings[uid]["rescheduledToUid"] is None
    changes = [
        r
        for r in calcom.requests
        if r.method == "POST" and f"/bookings/{uid}/" in r.path and r.status and r.status < 300
    ]
    assert changes == []


def dm_to(slack: SlackEmulator, user: str, words: str) -> str:
    """Wait for a DM to `user` containing `words` (answers from a Home or a modal)."""
    channel = slack.dm_channel_id(user)
    [call] = slack.wait_for(
        "chat.postMessage",
        lambda c: c.args["channel"] in (user, channel) and words in text_of(c.args),
    )
    return text_of(call.args)


def submit_reason(
    bot: Bot, slack: SlackEmulator, user: str, reason: str, opened_before: int
) -> None:
    """Fill the reason modal the last click opened (the one after `opened_before`), as `user`."""
    opened = slack.wait_for("views.open", lambda c: c.ok, count=opened_before + 1)[-1]
    view = opened.response["view"]
    assert view["callback_id"] == "cancel_reason"
    assert bot.slack.submit_view(view, {"cancel_reason": reason}, user=user).status_code == 200


def test_a_typed_uid_is_refused_unless_you_host_it(
    bot: NotifyBot, calcom: CalcomEmulator, slack: SlackEmulator, accounts: None
) -> None:
    uid = sams_booking(calcom)
    for attacker in ATTACKERS:
        reply = bot.slack.reply(bot.slack.command(f"cancel {uid} mine now", user=attacker))
        assert NOT_YOURS in text_of(reply)
        unchanged(calcom, uid)
        # without a reason the modal asks for one; the submission is refused the same way
        before = len(slack.calls_to("views.open"))
        sent = bot.slack.command(f"cancel {uid}", user=attacker)
        submit_reason(bot, slack, attacker, "mine now", before)
        assert NOT_YOURS in text_of(bot.slack.reply(sent))
        unchanged(calcom, uid)
    done = bot.slack.reply(bot.slack.command(f"cancel {uid} Out sick"))  # Sam hosts it
    assert "Cancelled" in text_of(done) and calcom.bookings[uid]["status"] == "cancelled"


def test_cancel_and_reschedule_buttons_carry_a_uid_that_proves_nothing(
    bot: NotifyBot, calcom: CalcomEmulator, slack: SlackEmulator, accounts: None
) -> None:
    uid = sams_booking(calcom)
    for attacker in ATTACKERS:
        before = len(slack.calls_to("views.open"))
        sent = bot.slack.click("cancel_booking", value=uid, user=attacker)
        submit_reason(bot, slack, attacker, "bye", before)
        assert NOT_YOURS in text_of(bot.slack.reply(sent))
        moved = bot.slack.reply(bot.slack.click("reschedule_booking", value=uid, user=attacker))
        assert NOT_YOURS in text_of(moved)
        assert "slots_page:later" not in action_ids(moved)  # no picker for someone else's
        unchanged(calcom, uid)


def test_the_home_tabs_buttons_are_checked_the_same_way(
    bot: NotifyBot,
    calcom: CalcomEmulator,
    slack: SlackEmulator,
    views: ViewDriver,
    accounts: None,
) -> None:
    uid = sams_booking(calcom)
    home = views.open_home("U1")
    assert uid in str(home)  # Sam's Home lists it with Cancel and Reschedule
    for attacker in ATTACKERS:
        views.press(home, "reschedule_booking", value=uid, user=attacker)
        assert NOT_YOURS in dm_to(slack, attacker, NOT_YOURS)
        before = len(slack.calls_to("views.open"))
        views.press(home, "cancel_booking", value=uid, user=attacker)
        submit_reason(bot, slack, attacker, "bye", before)
        bot.settle()
        unchanged(calcom, uid)
        told = [
            c
            for c in slack.calls_to("chat.postMessage")
            if c.args["channel"] in (attacker, slack.dm_channel_id(attacker))
            and NOT_YOURS in text_of(c.args)
        ]
        assert len(told) == 2  # Reschedule, then the reason modal's Cancel
    assert len(slack.calls_to("views.open")) == 2  # the reason modals; nothing else opened


def test_a_pending_requests_buttons_and_its_uid_are_the_hosts_alone(
    bot: NotifyBot, calcom: CalcomEmulator, slack: SlackEmulator, accounts: None
) -> None:
    slack.add_channel("C900", "general", members={"U1", "U2", "U3"}, bot_is_member=False)
    subscribe(bot, "<#C900|general>")
    uid = sams_booking(calcom, 15, requires_confirmation=True)
    [message] = posts_to(slack, "C900")
    ref = button_value(message, "notify_confirm")
    for attacker in ATTACKERS:
        for action in ("notify_confirm", "notify_decline"):
            sent = bot.slack.click(action, value=ref, user=attacker, channel="C900")
            assert NOT_YOURS in text_of(bot.slack.reply(sent))
        # the uid is no secret in #general: typed, it is refused too
        reply = bot.slack.reply(bot.slack.command(f"cancel {uid} gotcha", user=attacker))
        assert NOT_YOURS in text_of(reply)
        unchanged(calcom, uid, status="pending")
    assert slack.calls_to("views.open") == []  # no decline modal for anyone but the host
    bot.slack.click("notify_confirm", value=ref, user="U1", channel="C900")
    slack.wait_for("chat.update", lambda c: c.ok)
    assert calcom.bookings[uid]["status"] == "accepted"


def test_someone_elses_booking_modal_view_id_changes_nothing(
    bot: NotifyBot,
    calcom: CalcomEmulator,
    slack: SlackEmulator,
    views: ViewDriver,
    accounts: None,
) -> None:
    """Sam's modal holds a slot. Alice and Bob send payloads carrying its view id: a date
    change, a time choice, a submission, a close. No hold is released, nothing is booked,
    and the next change Sam makes still works."""
    bot.slack.command("")
    view = views.opened()
    seen = views.updates(view["id"])
    views.choose(view, "booking_date", {"type": "datepicker", "selected_date": "2026-11-26"})
    view = views.after_update(view["id"], seen)
    seen = views.updates(view["id"])
    three = {"type": "static_select", "selected_option": option(view, "booking_time", "3:00 PM")}
    views.choose(view, "booking_time", three)
    view = views.after_update(view["id"], seen)
    [hold] = calcom.reservations
    for attacker in ATTACKERS:
        seen = views.updates(view["id"])
        friday = {"type": "datepicker", "selected_date": "2026-11-27"}
        assert views.choose(view, "booking_date", friday, user=attacker).status_code == 200
        assert "That window isn't yours" in dm_to(slack, attacker, "That window isn't yours")
        answer = views.submit(view, user=attacker)
        assert answer["response_action"] == "errors"
        assert "That window isn't yours" in str(answer["errors"])
        bot.settle()
        assert views.updates(view["id"]) == seen  # the modal was not touched
    assert list(calcom.reservations) == [hold]
    assert calcom.bookings == {}
    closed = {**slack.views[view["id"]]}
    closing = views.close(closed, user="U2")
    assert closing is not None and closing.status_code == 200
    bot.settle()
    assert list(calcom.reservations) == [hold]  # the hold outlives a stranger's close
    assert not [r for r in calcom.requests if r.method == "DELETE" and hold in r.path]
    assert calcom.bookings == {}


def test_an_attendee_is_pointed_to_cal_coms_own_links(
    bot: NotifyBot, calcom: CalcomEmulator, accounts: None
) -> None:
    """Alice attends Sam's meeting (her Cal.com email is the attendee's). Attendees are
    named by an email someone typed, which proves nothing about a Slack user, so the rule
    is host-only: Alice is refused and told where her own links are."""
    made = calcom.book_as_guest(
        event_type_id=calcom.account("sam").event_type("30min")["id"],
        start=datetime(2026, 11, 26, 11, 0, tzinfo=NY),
        name="Alice Wong",
        email="alice@acme.test",
    )
    reply = bot.slack.reply(bot.slack.command(f"cancel {made['uid']} can't come", user="U2"))
    assert NOT_YOURS in text_of(reply) and "Cal.com's email" in text_of(reply)
    unchanged(calcom, made["uid"])


def test_someone_elses_reason_modal_is_refused_and_answers_nobody(
    bot: NotifyBot, calcom: CalcomEmulator, slack: SlackEmulator, accounts: None
) -> None:
    """Sam opens the cancel-reason modal of his booking and the decline modal of a request;
    a submission of either from Alice or Bob is refused inline, posts nothing to Sam's
    response URL, and changes nothing at Cal.com."""
    uid = sams_booking(calcom)
    slack.add_channel("C900", "general", members={"U1", "U2", "U3"}, bot_is_member=False)
    subscribe(bot, "<#C900|general>")
    pending = sams_booking(calcom, 15, requires_confirmation=True)
    [message] = posts_to(slack, "C900")
    ref = button_value(message, "notify_decline")
    bot.slack.click("cancel_booking", value=uid)  # Sam
    bot.slack.click("notify_decline", value=ref, channel="C900")  # Sam
    opened = [c.response["view"] for c in slack.wait_for("views.open", lambda c: c.ok, count=2)]
    by_callback = {v["callback_id"]: v for v in opened}
    answers_before = len(slack.calls_to("response_url"))
    for attacker in ATTACKERS:
        for callback, block in (
            ("cancel_reason", "cancel_reason"),
            ("decline_reason", "decline_reason"),
        ):
            response = bot.slack.submit_view(
                by_callback[callback], {block: "gotcha"}, user=attacker
            )
            assert response.status_code == 200
            answer = response.json()
            assert answer["response_action"] == "errors"
            assert "That window isn't yours" in answer["errors"][block]
    bot.settle()
    unchanged(calcom, uid)
    unchanged(calcom, pending, status="pending")
    assert len(slack.calls_to("response_url")) == answers_before  # nothing posted for them
