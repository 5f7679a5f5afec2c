"""Reminders hear of bookings as Cal.com changes them: `/cal remind` gives the user one
Cal.com webhook (reused, removed when reminders go off or the user disconnects) whose
signed deliveries, sent by the emulator, plan, move and drop reminders and post nothing.
So a booking made or moved within the hour is reminded on time. And a reconnect brings
back what a disconnect paused."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import httpx

from bot.services import reminder_hooks
from bot.store import routines as rows
from tests.emulators.calcom import CalcomEmulator
from tests.emulators.calcom.webhooks import sign
from tests.emulators.slack import SlackEmulator
from tests.helpers import link_user
from tests.notifying import as_host, delivery, only_subscription, signed_post, subscribe
from tests.scheduling import ScheduledBot, dms, scheduled_bot
from tests.slackdriver import text_of
from tests.test_routines import NY, THU, at, book, run_at, say

WED = datetime(2026, 11, 25, tzinfo=NY)  # the clock starts Wed 25 Nov, 10:00 in New York
FRI = THU + timedelta(days=1)
HOOKS = "/calcom/webhooks/"


def hooks_of(calcom: CalcomEmulator, bot: ScheduledBot) -> list[dict]:
    """Sam's webhooks at Cal.com that deliver to this bot."""
    return [h for h in calcom.webhooks.values() if h["subscriberUrl"].startswith(bot.url + HOOKS)]


def only_dms(slack: SlackEmulator) -> None:
    """Nothing was posted but DMs to U1 (the deliveries themselves post nothing)."""
    assert set(slack.messages) <= {"D1"}, set(slack.messages)


def test_a_booking_made_or_moved_within_the_hour_is_reminded_on_time(
    settings, clock, slack, calcom
) -> None:
    with scheduled_bot(settings, clock, slack) as bot:
        link_user(bot, calcom, "U1", "sam", name="Sam Jones")
        later = book(calcom, at(THU, 15), "Kofi Mensah")  # beyond the first sync's reach
        reply = say(bot, "remind 10")
        assert "10 minutes before" in reply and "within the hour" not in reply
        [hook] = hooks_of(calcom, bot)
        assert hook["active"] and hook["userId"] == calcom.account("sam").id
        assert {"BOOKING_CREATED", "BOOKING_RESCHEDULED", "BOOKING_CANCELLED"} <= set(
            hook["triggers"]
        )
        assert bot.job("remind", ref=later) is None

        # 10:00: a guest books 10:30 today, before any hourly sync could see it
        soon = book(calcom, at(WED, 10, 30), "Jane Doe")
        made = calcom.wait_for_delivery(lambda d: d.booking_uid == soon)
        assert made.status == 200 and made.webhook_id == hook["id"]
        assert bot.job("remind", ref=soon).due_at == at(WED, 10, 20).timestamp()

        # and Sam moves Thursday's 15:00 to 11:00 today: its reminder comes with it
        moved = as_host(
            calcom, "sam", "POST", f"/v2/bookings/{later}/reschedule", start=at(WED, 11).isoformat()
        )["uid"]
        calcom.wait_for_delivery(
            lambda d: d.booking_uid == moved and d.trigger == "BOOKING_RESCHEDULED"
        )
        assert bot.job("remind", ref=moved).due_at == at(WED, 10, 50).timestamp()

        run_at(bot, clock, at(WED, 10, 19))
        assert dms(slack) == []
        run_at(bot, clock, at(WED, 10, 20))
        assert "Starting in 10 minutes" in dms(slack)[-1] and "Jane Doe" in dms(slack)[-1]
        run_at(bot, clock, at(WED, 10, 50))
        assert "Starting in 10 minutes" in dms(slack)[-1] and "Kofi Mensah" in dms(slack)[-1]
        assert len(dms(slack)) == 2
        only_dms(slack)


def test_a_cancellation_delivered_drops_the_reminder(settings, clock, slack, calcom) -> None:
    with scheduled_bot(settings, clock, slack) as bot:
        link_user(bot, calcom, "U1", "sam", name="Sam Jones")
        uid = book(calcom, at(WED, 11), "Jane Doe")
        say(bot, "remind 10")
        assert bot.job("remind", ref=uid) is not None
        as_host(calcom, "sam", "POST", f"/v2/bookings/{uid}/cancel", cancellationReason="ill")
        gone = calcom.wait_for_delivery(lambda d: d.trigger == "BOOKING_CANCELLED")
        assert gone.status == 200
        assert bot.job("remind", ref=uid) is None
        run_at(bot, clock, at(WED, 10, 50))
        assert dms(slack) == []
        only_dms(slack)


def test_a_forged_or_broken_delivery_changes_nothing(settings, clock, slack, calcom) -> None:
    with scheduled_bot(settings, clock, slack) as bot:
        link_user(bot, calcom, "U1", "sam", name="Sam Jones")
        uid = book(calcom, at(WED, 11), "Jane Doe")
        say(bot, "remind 10")
        [hook] = hooks_of(calcom, bot)
        planned = bot.job("remind", ref=uid)
        cancel = json.dumps(
            {
                "triggerEvent": "BOOKING_CANCELLED",
                "createdAt": "2026-11-25T15:00:00Z",
                "payload": {"uid": uid, "title": "x", "startTime": "2026-11-25T16:00:00Z"},
            }
        ).encode()
        url = hook["subscriberUrl"]
        forged = httpx.post(url, content=cancel, headers={"X-Cal-Signature-256": "0" * 64})
        assert forged.status_code == 401
        signed = sign(hook["secret"], b"{not json")
        broken = httpx.post(url, content=b"{not json", headers={"X-Cal-Signature-256": signed})
        assert broken.status_code == 400
        huge = httpx.post(url, content=b"x" * (1024 * 1024 + 1))
        assert huge.status_code == 413
        assert bot.job("remind", ref=uid) == planned  # still planned, untouched


def test_one_webhook_a_user_reused_remade_and_removed(settings, clock, slack, calcom) -> None:
    with scheduled_bot(settings, clock, slack) as bot:
        link_user(bot, calcom, "U1", "sam", name="Sam Jones")
        say(bot, "remind 10")
        [first] = hooks_of(calcom, bot)
        say(bot, "remind 5")  # a new lead time: the same webhook (a second URL is a 409)
        assert [h["id"] for h in hooks_of(calcom, bot)] == [first["id"]]

        del calcom.webhooks[first["id"]]  # deleted at Cal.com by hand
        say(bot, "remind 5")
        [again] = hooks_of(calcom, bot)
        assert again["subscriberUrl"] == first["subscriberUrl"]  # same token, same secret
        uid = book(calcom, at(WED, 11), "Jane Doe")
        assert calcom.wait_for_delivery(lambda d: d.booking_uid == uid).status == 200

        assert "Reminders are off" in say(bot, "remind off")
        assert hooks_of(calcom, bot) == []
        # a delivery Cal.com had in flight for the deleted webhook is refused, harmlessly
        assert calcom.redeliver(len(calcom.deliveries) - 1).status == 404


def test_without_a_public_url_the_sync_does_it_and_the_reply_says_so(
    settings, clock, slack, calcom
) -> None:
    with scheduled_bot(settings, clock, slack) as bot:
        bot.rt.settings = replace(bot.rt.settings, public_url=None)
        link_user(bot, calcom, "U1", "sam", name="Sam Jones")
        reply = say(bot, "remind 10")
        assert "10 minutes before" in reply and "within the hour" in reply
        assert calcom.webhooks == {}
        assert not reminder_hooks.can_listen(bot.rt)
        # the hourly sync plans what was booked after
        uid = book(calcom, at(WED, 14), "Jane Doe")
        run_at(bot, clock, at(WED, 11, 1))
        assert bot.job("remind", ref=uid).due_at == at(WED, 13, 50).timestamp()


def test_routines_pause_on_disconnect_and_come_back_on_reconnect(
    settings, clock, slack, calcom
) -> None:
    with scheduled_bot(settings, clock, slack) as bot:
        link_user(bot, calcom, "U1", "sam", name="Sam Jones")
        book(calcom, at(THU, 11), "Jane Doe")
        book(calcom, at(FRI, 11), "Lea Ortiz")
        say(bot, "agenda daily 8:30")
        say(bot, "remind 5")
        assert len(hooks_of(calcom, bot)) == 1

        bot.slack.reply(bot.slack.command("disconnect"))
        assert "Disconnected" in text_of(bot.slack.reply(bot.slack.click("disconnect_confirm")))
        assert hooks_of(calcom, bot) == []  # deleted while the connection could
        assert bot.job("agenda") is None and bot.job("sync") is None
        routine = rows.routine(bot.rt.store.db, "T111", "U1")
        assert (routine.agenda_minute, routine.remind_minutes) == (8 * 60 + 30, 5)  # kept
        run_at(bot, clock, at(THU, 8, 30))
        assert dms(slack) == []  # nothing while disconnected

        # Thursday 9:00 Sam connects again: the agenda and reminders are back, unasked
        clock.now = at(THU, 9).astimezone(UTC)
        bot.slack.reply(bot.slack.command("connect"))
        calcom.complete_oauth(bot.rt.store.get_link("T111", "U1").connection_id, "sam")
        assert "`sam`" in say(bot, "status")
        assert bot.job("agenda").due_at == at(FRI, 8, 30).timestamp()  # today's has passed
        assert bot.job("sync").due_at <= clock.now.timestamp()  # reminders re-read at once
        assert len(hooks_of(calcom, bot)) == 1

        run_at(bot, clock, at(THU, 9))
        run_at(bot, clock, at(THU, 10, 55))
        assert "Starting in 5 minutes" in dms(slack)[-1] and "Jane Doe" in dms(slack)[-1]
        run_at(bot, clock, at(FRI, 8, 30))
        assert "Your day" in dms(slack)[-1] and "Lea Ortiz" in dms(slack)[-1]


def test_reminders_turned_on_apply_to_the_very_next_delivery(
    settings, clock, slack, calcom
) -> None:
    """The webhook route keeps each user's opt-in briefly (one query a delivery was a tenth
    of its time): a delivery before `/cal remind` must not leave "no reminders" cached for
    the one just after it."""
    with scheduled_bot(settings, clock, slack) as bot:
        link_user(bot, calcom, "U1", "sam", name="Sam Jones")
        subscribe(bot, "me")  # the channel notifications' endpoint, which asks too
        sub = only_subscription(bot)
        before = delivery("BOOKING_CREATED", uid="before-remind", startTime="2026-11-25T17:00:00Z")
        assert signed_post(bot, sub.token, before, sub.secret).status_code == 200
        assert bot.job("remind", ref="before-remind") is None  # no reminders yet

        say(bot, "remind 10")
        after = delivery("BOOKING_CREATED", uid="after-remind", startTime="2026-11-25T18:00:00Z")
        assert signed_post(bot, sub.token, after, sub.secret).status_code == 200
        job = bot.job("remind", ref="after-remind")
        assert job is not None and job.due_at == at(WED, 12, 50).timestamp()
