"""Managing Cal.com from Slack: event types, working hours and profile, through modals that
the Slack emulator validates, with each change checked in the Cal.com emulator's state and
on the App Home published after it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.emulators.calcom import CalcomEmulator
from tests.emulators.slack import SlackEmulator
from tests.helpers import Bot
from tests.slackdriver import text_of
from tests.viewdriver import ViewDriver, find_block, option


def sams_types(calcom: CalcomEmulator) -> dict[str, dict[str, Any]]:
    owner = calcom.account("sam").id
    return {t["slug"]: t for t in calcom.event_types.values() if t["ownerId"] == owner}


def from_home(views: ViewDriver, action_id: str, value: str | None = None) -> dict[str, Any]:
    """Press a Home button; the modal it opens, once filled in."""
    home = views.open_home("U1")
    opened = len(views.slack.calls_to("views.open"))
    views.press(home, action_id, value=value)
    return views.opened(opened + 1)


def test_create_an_event_type(bot: Bot, calcom: CalcomEmulator, views: ViewDriver, sam) -> None:
    view = from_home(views, "new_event_type")
    assert view["title"]["text"] == "New event type"
    views.type_in(
        view,
        {
            "type_title": "Intro call",
            "type_length": {"type": "number_input", "value": "45"},
            "type_description": "A first chat",
        },
    )
    assert views.submit(view) == {}
    made = sams_types(calcom)["intro-call"]  # the slug, made from the title
    assert (made["title"], made["length"], made["description"]) == (
        "Intro call",
        45,
        "A first chat",
    )
    home = views.home("U1", count=2)  # republished after the change
    assert "*Intro call* · 45 min · `intro-call`" in text_of(home)


def test_a_taken_slug_is_an_inline_error_on_the_slug(
    bot: Bot, calcom: CalcomEmulator, views: ViewDriver, sam
) -> None:
    view = from_home(views, "new_event_type")
    views.type_in(view, {"type_title": "Quick", "type_slug": "30min"})
    answer = views.submit(view)  # known from the listing: refused in the ack
    assert answer["response_action"] == "errors" and list(answer["errors"]) == ["type_slug"]

    # made elsewhere after the listing was cached: Cal.com refuses it, still inline
    calcom.new_event_type(calcom.account("sam").id, {"title": "Demo", "slug": "demo", "length": 15})
    views.type_in(view, {"type_slug": "demo"})
    answer = views.submit(view)
    assert answer == {
        "response_action": "errors",
        "errors": {"type_slug": "You already have an event type with that slug: choose another."},
    }
    assert [t["title"] for t in sams_types(calcom).values()].count("Quick") == 0


def test_edit_an_event_type(bot: Bot, calcom: CalcomEmulator, views: ViewDriver, sam) -> None:
    thirty = sams_types(calcom)["30min"]
    view = from_home(views, "edit_event_type", str(thirty["id"]))
    assert find_block(view, "type_title")["element"]["initial_value"] == "30 min meeting"
    hidden = find_block(view, "type_hidden")["element"]["options"][0]
    views.type_in(
        view,
        {
            "type_title": "Quick sync",
            "type_slug": "sync",
            "type_length": {"type": "number_input", "value": "25"},
            "type_hidden": {"type": "checkboxes", "selected_options": [hidden]},
        },
    )
    assert views.submit(view) == {}
    changed = calcom.event_types[thirty["id"]]
    assert (changed["title"], changed["slug"], changed["length"]) == ("Quick sync", "sync", 25)
    assert changed["hidden"] is True
    assert "*Quick sync* · 25 min · `sync` · hidden" in text_of(views.home("U1", count=2))


def patches(calcom: CalcomEmulator, path: str) -> list[Any]:
    """The bodies the bot PATCHed to `path` (under /v2), oldest first."""
    return [
        r.json
        for r in calcom.gateway_requests()
        if r.method == "PATCH" and r.path == f"/cal-com/v2{path}"
    ]


@pytest.mark.parametrize("length", [1500, 2990, 4000])
def test_saving_a_new_title_keeps_a_long_description(
    bot: Bot, calcom: CalcomEmulator, views: ViewDriver, sam, length: int
) -> None:
    thirty = sams_types(calcom)["30min"]
    description = ("All about the deal. " * 200)[:length]
    thirty["description"] = description
    view = from_home(views, "edit_event_type", str(thirty["id"]))  # opens: no 3000-char meta
    if length <= 3000:
        assert find_block(view, "type_description")["element"]["initial_value"] == description
    else:
        assert "longer than Slack can edit: change it in Cal.com" in text_of(view)
    views.type_in(view, {"type_title": "Deal review"})
    assert views.submit(view) == {}
    assert patches(calcom, f"/event-types/{thirty['id']}") == [{"title": "Deal review"}]
    changed = calcom.event_types[thirty["id"]]
    assert (changed["title"], changed["description"]) == ("Deal review", description)


def test_bad_fields_are_inline_errors(bot: Bot, views: ViewDriver, sam) -> None:
    view = from_home(views, "new_event_type")
    views.type_in(
        view,
        {
            "type_title": "Call",
            "type_slug": "Not a slug!",
            "type_length": {"type": "number_input", "value": "0"},
        },
    )
    answer = views.submit(view)
    assert set(answer["errors"]) == {"type_slug", "type_length"}


def test_delete_an_event_type(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, views: ViewDriver, sam
) -> None:
    sixty = sams_types(calcom)["60min"]
    view = from_home(views, "edit_event_type", str(sixty["id"]))
    seen = views.updates(view["id"])
    views.press(view, "delete_event_type", value=str(sixty["id"]))  # past its confirm dialog
    done = views.after_update(view["id"], seen)
    assert "*60 min meeting* is deleted" in text_of(done)
    assert sixty["id"] not in calcom.event_types
    home = views.home("U1", count=2)
    assert "60 min meeting" not in text_of(home) and "30 min meeting" in text_of(home)


def test_copy_link_shows_the_booking_link(
    bot: Bot, calcom: CalcomEmulator, views: ViewDriver, sam
) -> None:
    thirty = sams_types(calcom)["30min"]
    view = from_home(views, "copy_link", str(thirty["id"]))
    assert "`https://cal.com/sam/30min`" in text_of(view)


def row(day: str, on: bool | None = None, start: str | None = None, end: str | None = None) -> dict:
    state: dict[str, Any] = {}
    if on is not None:
        box = [{"text": {"type": "plain_text", "text": day, "emoji": True}, "value": day}]
        state["schedule_day.on"] = {"type": "checkboxes", "selected_options": box if on else []}
    if start:
        state["schedule_day.start"] = {"type": "timepicker", "selected_time": start}
    if end:
        state["schedule_day.end"] = {"type": "timepicker", "selected_time": end}
    return {f"schedule_day.{day}": state}


def test_edit_working_hours(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, views: ViewDriver, sam
) -> None:
    bot.slack.command("schedule")
    view = views.opened()
    assert "Your default working hours (*Working Hours*)" in text_of(view)
    slack.set_view_state(
        view["id"], {**row("Monday", on=False), **row("Tuesday", start="10:00", end="16:00")}
    )
    slack.set_view_state(view["id"], row("Saturday", on=True, start="12:00", end="11:00"))
    answer = views.submit(view)
    assert answer["errors"] == {"schedule_zone": "Saturday: the end must come after the start."}

    slack.set_view_state(view["id"], row("Saturday", on=False))
    london = option(view, "schedule_zone", "Europe/London")
    views.type_in(view, {"schedule_zone": {"type": "static_select", "selected_option": london}})
    read_before = len(calcom.gateway_requests())
    assert views.submit(view) == {}
    schedule_id = calcom.account("sam").default_schedule_id
    saving = [(r.method, r.path) for r in calcom.gateway_requests()[read_before:]]
    # the modal carried the schedule's id: saving is the update, not a lookup first
    assert saving[0] == ("PATCH", f"/cal-com/v2/schedules/{schedule_id}")
    schedule = calcom.schedules[schedule_id]
    assert schedule["timeZone"] == "Europe/London"
    assert schedule["availability"] == [
        {"days": ["Tuesday"], "startTime": "10:00", "endTime": "16:00"},
        {"days": ["Wednesday", "Thursday", "Friday"], "startTime": "09:00", "endTime": "17:00"},
    ]
    home = views.home("U1")
    assert "Tue 10:00–16:00; Wed–Fri 09:00–17:00 (Europe/London)" in text_of(home)


def test_working_hours_are_created_when_there_are_none(
    bot: Bot, calcom: CalcomEmulator, slack: SlackEmulator, views: ViewDriver, sam
) -> None:
    account = calcom.account("sam")
    del calcom.schedules[account.default_schedule_id]
    account.default_schedule_id = None
    view = from_home(views, "edit_schedule")
    assert "You have no working hours yet" in text_of(view)
    assert views.submit(view) == {}
    schedule = calcom.schedules[account.default_schedule_id]
    assert schedule["timeZone"] == "America/New_York"
    assert schedule["availability"] == [
        {
            "days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
            "startTime": "09:00",
            "endTime": "17:00",
        }
    ]


def test_edit_profile(bot: Bot, calcom: CalcomEmulator, views: ViewDriver, sam) -> None:
    view = from_home(views, "edit_profile")
    assert find_block(view, "profile_name")["element"]["initial_value"] == "Sam Jones"
    paris = option(view, "profile_zone", "Europe/Paris")
    views.type_in(
        view,
        {
            "profile_name": "Samuel Jones",
            "profile_bio": "Sales, EMEA",
            "profile_zone": {"type": "static_select", "selected_option": paris},
        },
    )
    assert views.submit(view) == {}
    account = calcom.account("sam")
    assert (account.name, account.bio, account.time_zone) == (
        "Samuel Jones",
        "Sales, EMEA",
        "Europe/Paris",
    )
    link = bot.rt.store.get_link("T111", "U1")
    assert (link.name, link.time_zone) == ("Samuel Jones", "Europe/Paris")
    home = views.home("U1", count=2)
    assert "*Samuel Jones* (`sam`) · sam@acme.test · Europe/Paris\nSales, EMEA" in text_of(home)


def test_working_hours_deleted_meanwhile_are_created_again(
    bot: Bot, calcom: CalcomEmulator, views: ViewDriver, sam
) -> None:
    account = calcom.account("sam")
    view = from_home(views, "edit_schedule")
    del calcom.schedules[account.default_schedule_id]  # deleted in Cal.com while open
    account.default_schedule_id = None
    assert views.submit(view) == {}
    assert calcom.schedules[account.default_schedule_id]["availability"][0]["startTime"] == "09:00"


def test_saving_a_new_name_keeps_a_long_bio(
    bot: Bot, calcom: CalcomEmulator, views: ViewDriver, sam
) -> None:
    account = calcom.account("sam")
    account.bio = ("Twenty years in enterprise sales. " * 80)[:2500]
    view = from_home(views, "edit_profile")
    views.type_in(view, {"profile_name": "Samuel Jones"})
    assert views.submit(view) == {}
    assert patches(calcom, "/me") == [{"name": "Samuel Jones"}]
    assert (account.name, len(account.bio)) == ("Samuel Jones", 2500)
