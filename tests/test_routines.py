"""The daily agenda DM and reminders, driven by the test's clock through the real scheduler:
a day of posts, a DST change, a user who changes zone, a restart in the middle, two
processes on one database, and reminders that follow a reschedule webhook."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.store import routines as rows
from tests.emulators.calcom import CalcomEmulator
from tests.helpers import Clock, link_user
from tests.notifying import as_host
from tests.scheduling import ScheduledBot, dms, scheduled_bot, user_change
from tests.slackdriver import action_ids, text_of

NY = ZoneInfo("America/New_York")
THU = datetime(2026, 11, 26, tzinfo=NY)  # the clock starts Wed 25 Nov, 10:00 in New York


def at(day: datetime, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=day.tzinfo)


def book(calcom: CalcomEmulator, start: datetime, name: str, username: str = "sam") -> str:
    return calcom.book_as_guest(
        event_type_id=calcom.account(username).event_type("30min")["id"],
        start=start,
        name=name,
        email=f"{name.split()[0].lower()}@example.com",
    )["uid"]


def say(bot: ScheduledBot, text: str, user: str = "U1") -> str:
    return text_of(bot.slack.reply(bot.slack.command(text, user=user)))


def run_at(bot: ScheduledBot, clock: Clock, when: datetime) -> int:
    clock.now = when.astimezone(UTC)
    return bot.run_due()


def test_a_day_of_agenda_and_reminders(settings, clock, slack, calcom) -> None:
    with scheduled_bot(settings, clock, slack) as bot:
        link_user(bot, calcom, "U1", "sam", name="Sam Jones")
        book(calcom, at(THU, 11), "Jane Doe")
        book(calcom, at(THU, 14), "Kofi Mensah")
        dropped = book(calcom, at(THU, 16), "Lea Gone")
        assert "8:30" in say(bot, "agenda daily 8:30")
        assert "5 minutes before" in say(bot, "remind 5")

        run_at(bot, clock, at(THU, 8, 29))
        assert dms(slack) == []
        run_at(bot, clock, at(THU, 8, 30))
        [agenda] = dms(slack)
        assert "Jane Doe" in agenda and "Kofi Mensah" in agenda and "Your day" in agenda
        run_at(bot, clock, at(THU, 9))  # once a day
        assert len(dms(slack)) == 1

        run_at(bot, clock, at(THU, 10, 54))
        assert len(dms(slack)) == 1
        run_at(bot, clock, at(THU, 10, 55))
        reminder = dms(slack)[-1]
        assert "Starting in 5 minutes" in reminder and "Jane Doe" in reminder
        assert "join_meeting" in action_ids(slack.messages["D1"][-1])
        run_at(bot, clock, at(THU, 10, 57))  # sent once
        assert len(dms(slack)) == 2
        say(bot, "remind 10")  # a new lead time plans again, but never resends
        run_at(bot, clock, at(THU, 10, 58))
        assert len(dms(slack)) == 2
        say(bot, "remind 5")

        # cancelled at Cal.com with no webhook to tell: the reminder checks before posting
        as_host(calcom, "sam", "POST", f"/v2/bookings/{dropped}/cancel", cancellationReason="x")
        run_at(bot, clock, at(THU, 14, 2))  # late (downtime), but the meeting is on
        assert "Started 2 minutes ago" in dms(slack)[-1] and "Kofi" in dms(slack)[-1]
        run_at(bot, clock, at(THU, 15, 55))
        assert len(dms(slack)) == 3
        gone = bot.job("remind", ref=dropped)  # dropped by a sync, or skipped when due
        assert gone is None or gone.note == "cancelled"

        run_at(bot, clock, at(THU, 23, 59))
        run_at(bot, clock, datetime(2026, 11, 27, 8, 30, tzinfo=NY))  # Friday: nothing booked
        assert len(dms(slack)) == 3
        assert bot.job("agenda").note == "empty"
        monday = datetime(2026, 11, 30, 8, 30, tzinfo=NY).timestamp()
        assert bot.job("agenda").due_at == monday  # weekends: the row is not even due


def test_no_reminder_after_the_meeting_ended(settings, clock, slack, calcom) -> None:
    with scheduled_bot(settings, clock, slack) as bot:
        link_user(bot, calcom, "U1", "sam", name="Sam Jones")
        uid = book(calcom, at(THU, 11), "Jane Doe")
        say(bot, "remind 10")
        run_at(bot, clock, at(THU, 11, 30))  # down from before 10:50 until after the end
        assert dms(slack) == []
        assert bot.job("remind", ref=uid).note == "the meeting has ended"


def test_the_agenda_keeps_its_local_time_across_dst(settings, clock, slack, calcom) -> None:
    clock.now = datetime(2026, 10, 30, 11, 0, tzinfo=UTC)  # Fri 30 Oct, 7:00 EDT
    with scheduled_bot(settings, clock, slack) as bot:
        link_user(bot, calcom, "U1", "sam", name="Sam Jones")
        book(calcom, datetime(2026, 10, 30, 10, 0, tzinfo=NY), "Before Dst")
        book(calcom, datetime(2026, 11, 2, 10, 0, tzinfo=NY), "After Dst")
        say(bot, "agenda daily 8:30")
        assert bot.job("agenda").due_at == datetime(2026, 10, 30, 12, 30, tzinfo=UTC).timestamp()
        run_at(bot, clock, datetime(2026, 10, 30, 12, 30, tzinfo=UTC))  # 8:30 EDT
        assert "Before Dst" in dms(slack)[-1]
        # New York falls back on Sunday 1 Nov: Monday's 8:30 is 13:30 UTC, an hour later
        assert bot.job("agenda").due_at == datetime(2026, 11, 2, 13, 30, tzinfo=UTC).timestamp()
        run_at(bot, clock, datetime(2026, 11, 2, 12, 30, tzinfo=UTC))
        assert len(dms(slack)) == 1
        run_at(bot, clock, datetime(2026, 11, 2, 13, 30, tzinfo=UTC))
        assert "After Dst" in dms(slack)[-1] and len(dms(slack)) == 2


def test_the_agenda_follows_a_user_who_changes_zone(settings, clock, slack, calcom) -> None:
    with scheduled_bot(settings, clock, slack) as bot:
        link_user(bot, calcom, "U1", "sam", name="Sam Jones")
        book(calcom, at(THU, 11), "Jane Doe")
        book(calcom, datetime(2026, 11, 27, 11, 0, tzinfo=NY), "Friday Call")
        say(bot, "agenda daily 8:30")
        assert bot.job("agenda").due_at == at(THU, 8, 30).timestamp()

        # flies to London: Slack's user_change brings the new zone, the agenda moves at once
        slack.users["U1"]["tz"] = "Europe/London"
        user_change(bot, slack.users["U1"])
        london = datetime(2026, 11, 26, 8, 30, tzinfo=ZoneInfo("Europe/London"))
        bot.settle()
        assert bot.job("agenda").due_at == london.timestamp()
        run_at(bot, clock, london)
        assert "Jane Doe" in dms(slack)[-1]

        # then to Los Angeles, and Slack's event is lost: at London's 8:30 the job reads
        # the zone from Slack, and waits for 8:30 there
        slack.users["U1"]["tz"] = "America/Los_Angeles"
        friday_london = datetime(2026, 11, 27, 8, 30, tzinfo=ZoneInfo("Europe/London"))
        run_at(bot, clock, friday_london)
        assert len(dms(slack)) == 1
        la = datetime(2026, 11, 27, 8, 30, tzinfo=ZoneInfo("America/Los_Angeles"))
        assert bot.job("agenda").due_at == la.timestamp()
        run_at(bot, clock, la)
        assert "Friday Call" in dms(slack)[-1] and len(dms(slack)) == 2


def test_a_restart_in_the_middle_posts_once(settings, clock, slack, calcom) -> None:
    with scheduled_bot(settings, clock, slack) as first:
        link_user(first, calcom, "U1", "sam", name="Sam Jones")
        book(calcom, at(THU, 11), "Jane Doe")
        say(first, "agenda daily 8:30")
        say(first, "remind 5")
        # the process claims the 8:30 agenda and dies before finishing it
        clock.now = at(THU, 8, 30).astimezone(UTC)
        now = clock.now.timestamp()
        claimed = rows.claim_due(first.rt.store.db, now, now + 600, "dead", 10)
        assert "agenda" in {job.kind for job in claimed}
    with scheduled_bot(settings, clock, slack) as second:
        assert run_at(second, clock, at(THU, 8, 31)) == 0  # the dead claim still holds
        run_at(second, clock, at(THU, 8, 41))  # its lease ran out: taken over
        assert len(dms(slack)) == 1 and "Jane Doe" in dms(slack)[0]
    with scheduled_bot(settings, clock, slack) as third:  # a plain restart
        run_at(third, clock, at(THU, 10, 55))
        assert "Starting in 5 minutes" in dms(slack)[-1]
        run_at(third, clock, at(THU, 10, 56))
        assert len(dms(slack)) == 2


def test_two_processes_on_one_database_post_each_dm_once(settings, clock, slack, calcom) -> None:
    users = [f"U{n}" for n in range(10, 22)]
    with scheduled_bot(settings, clock, slack) as one, scheduled_bot(settings, clock, slack) as two:
        for n, user in enumerate(users):
            slack.add_user(user, name=f"user{n}", email=f"user{n}@acme.test")
            link_user(one, calcom, user, f"user{n}")
            book(calcom, at(THU, 11), f"Guest{n} Person", f"user{n}")
            say(one if n % 2 else two, "agenda daily 8:30", user=user)
            say(two if n % 2 else one, "remind 5", user=user)
        clock.now = at(THU, 8, 30).astimezone(UTC)
        ran: list[int] = []
        threads = [threading.Thread(target=lambda b=b: ran.append(b.run_due())) for b in (one, two)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        clock.now = at(THU, 10, 55).astimezone(UTC)
        threads = [threading.Thread(target=lambda b=b: ran.append(b.run_due())) for b in (one, two)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for user in users:
            posted = dms(slack, user)
            assert len(posted) == 2, (user, posted)
            assert "Your day" in posted[0] and "Starting in 5 minutes" in posted[1]


def test_a_reminder_follows_a_reschedule_webhook(settings, clock, slack, calcom) -> None:
    with scheduled_bot(settings, clock, slack) as bot:
        link_user(bot, calcom, "U1", "sam", name="Sam Jones")
        uid = book(calcom, at(THU, 11), "Jane Doe")
        say(bot, "notify me")  # Cal.com now tells calbot about Sam's bookings
        say(bot, "remind 10")
        run_at(bot, clock, at(THU, 9))  # the hourly sync has planned the 11:00 reminder
        assert bot.job("remind", ref=uid).due_at == at(THU, 10, 50).timestamp()

        moved = as_host(
            calcom, "sam", "POST", f"/v2/bookings/{uid}/reschedule", start=at(THU, 15).isoformat()
        )["uid"]
        slack.wait_for("chat.postMessage", lambda c: "Rescheduled" in str(c.args), count=1)
        assert bot.job("remind", ref=uid) is None  # the delivery dropped the old one...
        new = bot.job("remind", ref=moved)
        assert new is not None and new.due_at == at(THU, 14, 50).timestamp()  # ...and planned

        before = len(dms(slack))
        run_at(bot, clock, at(THU, 10, 50))
        assert len(dms(slack)) == before
        run_at(bot, clock, at(THU, 14, 50))
        assert "Starting in 10 minutes" in dms(slack)[-1]


def test_the_app_home_toggle_turns_the_daily_agenda_on_and_off(
    settings, clock, slack, calcom
) -> None:
    with scheduled_bot(settings, clock, slack) as bot:
        link_user(bot, calcom, "U1", "sam", name="Sam Jones")
        bot.slack.click("home_agenda", value="on")
        slack.wait_for("views.publish", lambda c: "Daily agenda* by DM at 8:30" in str(c.args))
        assert bot.job("agenda").due_at == at(THU, 8, 30).timestamp()
        bot.slack.click("home_agenda", value="off")
        slack.wait_for("views.publish", lambda c: "Daily agenda* is off" in str(c.args))
        assert bot.job("agenda") is None


def test_a_reminder_of_a_booking_cancelled_unannounced_is_not_sent(
    settings, clock, slack, calcom
) -> None:
    """No webhook told calbot (no PUBLIC_URL) and no sync ran since: the check before
    posting reads the booking, sees it cancelled, and stays quiet."""
    with scheduled_bot(settings, clock, slack) as bot:
        bot.rt.settings = replace(bot.rt.settings, public_url=None)
        link_user(bot, calcom, "U1", "sam", name="Sam Jones")
        uid = book(calcom, at(THU, 11), "Jane Doe")
        say(bot, "remind 5")
        run_at(bot, clock, at(THU, 8))  # a sync plans the reminder
        assert bot.job("remind", ref=uid) is not None
        rows.drop_jobs(bot.rt.store.db, "T111", "U1", "sync")  # no sync in between
        as_host(calcom, "sam", "POST", f"/v2/bookings/{uid}/cancel", cancellationReason="x")
        run_at(bot, clock, at(THU, 10, 55))
        assert dms(slack) == []
        assert bot.job("remind", ref=uid).note == "cancelled"


@contextmanager
def hanging_up() -> Iterator[str]:
    """A loopback server that accepts each connection and closes it unanswered (aiohttp:
    ServerDisconnectedError, which is no OSError)."""
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            with contextlib.suppress(OSError):
                server.accept()[0].close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}/api/"
    finally:
        stop.set()
        thread.join()
        server.close()


@pytest.mark.parametrize("how", ["refused", "hung up"])
def test_slack_unreachable_at_agenda_time_delays_the_agenda_not_ends_it(
    settings, clock, slack, calcom, how
) -> None:
    """Nothing listens where Slack was (connection refused), or it hangs up unanswered:
    the daily agenda is tried again and posted once Slack answers, not dropped for good."""
    with scheduled_bot(settings, clock, slack) as bot, hanging_up() as rude:
        link_user(bot, calcom, "U1", "sam", name="Sam Jones")
        book(calcom, at(THU, 11), "Jane Doe")
        say(bot, "agenda daily 8:30")
        client = bot.rt.slack_client("T111")
        dead = "http://127.0.0.1:9/api/" if how == "refused" else rude
        reachable, client.base_url = client.base_url, dead
        run_at(bot, clock, at(THU, 8, 30))
        assert dms(slack) == []
        client.base_url = reachable
        run_at(bot, clock, at(THU, 9, 30))
        [agenda] = dms(slack)
        assert "Jane Doe" in agenda


def test_a_bug_in_the_agenda_job_delays_the_agenda_not_ends_it(
    settings, clock, slack, calcom, monkeypatch
) -> None:
    """An unexpected error in a recurring job (the user's only agenda row) is logged and
    the row runs again later; it must not end the daily agenda for good."""
    from bot.routines import jobs

    with scheduled_bot(settings, clock, slack) as bot:
        link_user(bot, calcom, "U1", "sam", name="Sam Jones")
        book(calcom, at(THU, 11), "Jane Doe")
        say(bot, "agenda daily 8:30")
        real_run = jobs.run

        async def broken(*args, **kwargs):
            raise RuntimeError("a bug")

        monkeypatch.setattr(jobs, "run", broken)
        run_at(bot, clock, at(THU, 8, 30))
        assert dms(slack) == []
        monkeypatch.setattr(jobs, "run", real_run)
        run_at(bot, clock, at(THU, 9, 0))
        [agenda] = dms(slack)
        assert "Jane Doe" in agenda
