"""Block Kit builders and the words for errors, on their own: pure functions, no servers."""

from __future__ import annotations

import inspect
import typing
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import grammar
from bot.blocks import limits
from bot.blocks.booking_modal import YOU_UNLINKED, booking_form, chosen_people
from bot.blocks.errors import error_reply, error_text
from bot.calcom import errors as gateway
from bot.grammar.commands import Find
from bot.ids import Action, Block
from bot.models import Draft, Form
from bot.services import errors as service
from bot.services.paging import Cursor, page_at
from bot.slack.commands import ROUTES

NY = ZoneInfo("America/New_York")


def _error_types(module: object, base: type) -> list[type]:
    return [
        kind
        for _, kind in inspect.getmembers(module, inspect.isclass)
        if issubclass(kind, base) and kind.__module__ == module.__name__  # type: ignore[attr-defined]
    ]


def _sample(kind: type) -> BaseException:
    """An instance of any error type, whatever facts its constructor wants."""
    params = list(inspect.signature(kind.__init__).parameters.values())[1:]
    facts = {"retry_after": 4.0, "choices": [], "candidates": [], "linked": True}
    required = [p for p in params if p.default is inspect.Parameter.empty]
    args = [facts.get(p.name, "X1") for p in required if p.kind is p.POSITIONAL_OR_KEYWORD]
    kwargs = {p.name: facts.get(p.name, "X1") for p in required if p.kind is p.KEYWORD_ONLY}
    return kind(*args, **kwargs)


def test_every_gateway_and_service_error_has_words() -> None:
    kinds = _error_types(gateway, gateway.CalcomError) + _error_types(service, service.ServiceError)
    assert len(kinds) > 20
    for kind in kinds:
        text = error_text(_sample(kind))
        assert text and "Traceback" not in text, kind


def test_out_of_time_says_nothing_changed_unless_it_may_have() -> None:
    assert "nothing was changed" in (error_text(gateway.OutOfTime("budget")) or "")
    maybe = error_text(gateway.OutOfTime("budget", maybe_applied=True)) or ""
    assert "may or may not" in maybe


def test_an_unexpected_error_has_no_words() -> None:
    assert error_text(KeyError("boom")) is None
    assert error_reply(RuntimeError("x")) is None


def test_errors_carry_facts_and_blocks_word_them() -> None:
    assert error_text(service.TeammateNotLinked("U9")) == "<@U9> hasn't connected Cal.com yet."
    assert "in 4 seconds" in (error_text(gateway.RateLimited(4.0)) or "")
    assert error_text(gateway.Invalid("slug taken")) == "Cal.com rejected that: slug taken"
    assert error_text(service.ServiceError("Try “tomorrow 3pm”.")) == "Try “tomorrow 3pm”."
    assert "calbot doctor" in (error_text(gateway.BadApiKey()) or "")


def test_each_error_offers_its_one_next_step() -> None:
    def buttons(error: BaseException) -> list[str]:
        reply = error_reply(error)
        assert reply is not None
        return [
            e["action_id"] for b in reply["blocks"] if b["type"] == "actions" for e in b["elements"]
        ]

    assert buttons(service.NotLinked()) == ["connect_start"]
    assert buttons(gateway.ConnectionExpired()) == ["connect_start"]
    assert buttons(service.TeammateNotLinked("U9")) == ["invite_teammate"]
    assert buttons(gateway.NotFound()) == []


def test_the_booking_modal_words_an_unlinked_host() -> None:
    day = date(2026, 11, 26)
    yours = Form(Draft(host="U1"), "U1", day, problem=service.NotLinked())
    theirs = Form(Draft(host="U2"), "U1", day, problem=service.TeammateNotLinked("U2"))
    assert YOU_UNLINKED in str(booking_form(yours)["blocks"])
    assert "<@U2> hasn't connected Cal.com yet." in str(booking_form(theirs)["blocks"])


def test_the_modal_takes_as_many_people_as_find() -> None:
    """One limit (limits.MAX_PEOPLE) for `/cal find`'s mentions and the modal's "With"."""
    users = [f"U{i}" for i in range(1, 20)]
    state = {"type": "multi_users_select", "selected_users": users}
    view = {"state": {"values": {f"{Block.BOOKING_WITH}.1": {Action.BOOKING_WITH: state}}}}
    assert chosen_people(view, "U1") == tuple(users[1 : limits.MAX_PEOPLE + 1])
    mentions = [f"<@{u}>" for u in users[1:]]
    assert isinstance(grammar.parse(f"find 30min {' '.join(mentions[: limits.MAX_PEOPLE])}"), Find)
    too_many = " ".join(mentions[: limits.MAX_PEOPLE + 1])
    assert isinstance(grammar.parse(f"find 30min {too_many}"), grammar.Invalid)


def test_a_picker_page_stays_within_slacks_limits() -> None:
    start = datetime(2026, 11, 26, 9, 0, tzinfo=NY)

    def page(per_day: int) -> dict[date, list[datetime]]:
        days = {
            (start + timedelta(days=d)).date(): [
                start + timedelta(days=d, minutes=15 * i) for i in range(per_day)
            ]
            for d in range(60)
        }
        times = [t for day in sorted(days) for t in days[day]]
        cursor = Cursor(start, start + timedelta(days=60), start)
        return page_at(times, cursor, earlier=False).days

    sparse, crowded = page(1), page(5)
    assert len(sparse) == limits.PICKER_DAYS  # one time a day: the day count binds
    assert sum(len(t) for t in crowded.values()) == limits.PICKER_SLOTS  # the buttons bind
    assert 2 * limits.PICKER_DAYS + 4 <= limits.MESSAGE_BLOCKS  # two blocks a day, and room


def test_every_command_of_the_grammar_has_a_route() -> None:
    assert set(typing.get_args(grammar.Command)) <= set(ROUTES)
