"""Table tests for bot.grammar: `/cal` text exactly as Slack sends it -> the full command value.

Slack escapes the text (`should_escape: true`): mentions arrive as `<@U123|name>` or `<@U123>`,
channels as `<#C123|name>`, emails as `<mailto:a@b.com|a@b.com>`, `&` as `&amp;`.
"""

from __future__ import annotations

import dataclasses

import pytest

from bot import grammar
from bot.grammar import (
    ALL_TRIGGERS,
    HELP_EXAMPLES,
    SUBCOMMANDS,
    USAGE,
    Book,
    Bookings,
    Cancel,
    Command,
    Connect,
    Disconnect,
    Help,
    Invalid,
    Me,
    NotifyList,
    NotifyOff,
    NotifySubscribe,
    OpenModal,
    Schedule,
    Slots,
    Status,
    Types,
    Unknown,
    length_of,
    parse,
)

ALICE = "<@U0ALICE|alice>"
BOB = "<@U0BOB>"
SALES = "<#C0SALES|sales>"
BOB_MAIL = "<mailto:bob@example.com|bob@example.com>"

VALID: list[tuple[str, Command]] = [
    # bare, help and account
    ("", OpenModal()),
    ("   ", OpenModal()),
    ("help", Help()),
    ("HELP", Help()),
    ("?", Help()),
    ("help book", Help()),
    ("connect", Connect()),
    ("  Connect  ", Connect()),
    ("disconnect", Disconnect()),
    ("status", Status()),
    ("me", Me()),
    ("schedule", Schedule()),
    # types
    ("types", Types()),
    ("types me", Types()),
    (f"types {ALICE}", Types("U0ALICE")),
    (f"Types   {BOB}", Types("U0BOB")),
    # slots
    ("slots 30min", Slots(None, "30min", "")),
    ("slots 30min tomorrow", Slots(None, "30min", "tomorrow")),
    ("slots 30 min tomorrow 3pm", Slots(None, "30 min", "tomorrow 3pm")),
    (f"slots {ALICE} intro-call fri afternoon", Slots("U0ALICE", "intro-call", "fri afternoon")),
    (f"SLOTS  {BOB}   1 hour   next  week", Slots("U0BOB", "1 hour", "next week")),
    ('slots "Intro Call" dec 5', Slots(None, "Intro Call", "dec 5")),
    (f"slots intro-call {ALICE} next week", Slots("U0ALICE", "intro-call", "next week")),
    # book
    ("book", OpenModal()),
    (f"book {ALICE}", OpenModal("U0ALICE")),
    ("book 30min", Book(None, "30min", "", None, None)),
    ("book 30min tomorrow", Book(None, "30min", "tomorrow", None, None)),
    ("book 30 min tomorrow 3pm", Book(None, "30 min", "tomorrow 3pm", None, None)),
    ("book 30 mins fri", Book(None, "30 mins", "fri", None, None)),
    ("book 1h 30m tomorrow", Book(None, "1h 30m", "tomorrow", None, None)),
    ("book 90 minutes dec 5 10am", Book(None, "90 minutes", "dec 5 10am", None, None)),
    ("book 30 tomorrow", Book(None, "30", "tomorrow", None, None)),
    (
        f"book {ALICE} intro-call fri afternoon with bob@x.com",
        Book("U0ALICE", "intro-call", "fri afternoon", "bob@x.com", None),
    ),
    (
        f"book 30min tomorrow 3pm with {BOB_MAIL}",
        Book(None, "30min", "tomorrow 3pm", "bob@example.com", None),
    ),
    (f"book 30min next week with {BOB}", Book(None, "30min", "next week", None, "U0BOB")),
    (
        "book 30min with <@U0BOB|bob> tomorrow",  # `with` in the middle is tolerated
        Book(None, "30min", "tomorrow", None, "U0BOB"),
    ),
    (f"book with {BOB_MAIL}", Book(None, None, "", "bob@example.com", None)),
    ("book tomorrow 3pm", Book(None, None, "tomorrow 3pm", None, None)),
    ("book fri afternoon with bob@x.com", Book(None, None, "fri afternoon", "bob@x.com", None)),
    ("book 12/5 10am", Book(None, None, "12/5 10am", None, None)),
    ("book next tuesday", Book(None, None, "next tuesday", None, None)),
    ('book "Intro Call" fri', Book(None, "Intro Call", "fri", None, None)),
    ("book “Intro Call” fri", Book(None, "Intro Call", "fri", None, None)),  # Slack's smart quotes
    ("book Q&amp;A tomorrow", Book(None, "Q&A", "tomorrow", None, None)),
    ("BOOK   30min    TOMORROW   3PM", Book(None, "30min", "TOMORROW 3PM", None, None)),
    # bookings
    ("bookings", Bookings("upcoming")),
    ("bookings upcoming", Bookings("upcoming")),
    ("bookings past", Bookings("past")),
    ("bookings cancelled", Bookings("cancelled")),
    ("bookings Canceled", Bookings("cancelled")),
    ("bookings unconfirmed", Bookings("unconfirmed")),
    ("bookings pending", Bookings("unconfirmed")),
    # cancel
    ("cancel mWnrGxkDP9cGKz9UbwGaXh", Cancel("mWnrGxkDP9cGKz9UbwGaXh", None)),
    ("cancel abc123 running late", Cancel("abc123", "running late")),
    (
        "cancel abc123   sorry &amp; thanks <@U0BOB|bob>",
        Cancel("abc123", "sorry & thanks @bob"),
    ),
    (
        "cancel 2f1e0c4a-9d7b-4c1e-8a55-0b1c2d3e4f50",
        Cancel("2f1e0c4a-9d7b-4c1e-8a55-0b1c2d3e4f50", None),
    ),
    ("cancel <https://app.cal.com/booking/abc123XYZ?email=a|link>", Cancel("abc123XYZ", None)),
    # notify
    (f"notify {SALES}", NotifySubscribe("C0SALES", None, ALL_TRIGGERS)),
    ("notify <#C0SALES>", NotifySubscribe("C0SALES", None, ALL_TRIGGERS)),
    ("notify me", NotifySubscribe(None, None, ALL_TRIGGERS)),
    (f"notify {SALES} intro-call", NotifySubscribe("C0SALES", "intro-call", ALL_TRIGGERS)),
    (
        f"notify {SALES} intro-call created,cancelled",
        NotifySubscribe("C0SALES", "intro-call", ("created", "cancelled")),
    ),
    (
        f"notify {SALES} cancelled,created",  # canonical order, whatever the typed order
        NotifySubscribe("C0SALES", None, ("created", "cancelled")),
    ),
    (
        f"notify {SALES} created, canceled",
        NotifySubscribe("C0SALES", None, ("created", "cancelled")),
    ),
    (
        "notify me 30 min rescheduled requested",
        NotifySubscribe(None, "30 min", ("rescheduled", "requested")),
    ),
    (f"notify {SALES} all", NotifySubscribe("C0SALES", None, ALL_TRIGGERS)),
    (f"notify {SALES} Intro Call", NotifySubscribe("C0SALES", "Intro Call", ALL_TRIGGERS)),
    ("notify list", NotifyList()),
    ("Notify LIST", NotifyList()),
    (f"notify off {SALES}", NotifyOff("C0SALES")),
    ("notify off me", NotifyOff(None)),
    # unknown subcommands, with "did you mean"
    ("bok 30min", Unknown("bok", "book")),
    ("bookngs", Unknown("bookngs", "bookings")),
    ("cancle abc", Unknown("cancle", "cancel")),
    ("notfy list", Unknown("notfy", "notify")),
    ("xyzzy", Unknown("xyzzy", None)),
    (f"{ALICE} 30min", Unknown("@alice", "book")),
    ("30min tomorrow", Unknown("30min", "book")),
    ("tomorrow 3pm", Unknown("tomorrow", "book")),
    ("3p tomorrow", Unknown("3p", "book")),
    # a time phrase first means no type was given, whatever form the time takes
    ("book around 3pm", Book(None, None, "around 3pm")),
    ("book 3p tomorrow", Book(None, None, "3p tomorrow")),
    ("book 330pm", Book(None, None, "330pm")),
    ("book 3ish", Book(None, None, "3ish")),
    ("book midnight", Book(None, None, "midnight")),
    ("book 2-4pm tomorrow", Book(None, None, "2-4pm tomorrow")),
    ("book the 15th", Book(None, None, "the 15th")),
    ("book first of march", Book(None, None, "first of march")),
    ("book 30min 7-8", Book(None, "30min", "7-8")),
    ("slots 30min mon - fri", Slots(None, "30min", "mon - fri")),
    ("book 30min dec 5 3pm PST", Book(None, "30min", "dec 5 3pm PST")),
]


@pytest.mark.parametrize(("text", "expected"), VALID)
def test_parse(text: str, expected: Command) -> None:
    assert parse(text) == expected


INVALID: list[tuple[str, str, str]] = [
    ("types bob", "one @mention", "types"),
    ("slots", "Which event type?", "slots"),
    ("slots tomorrow", "Which event type?", "slots"),
    ("slots 30min with bob@x.com", "`with` is for `/cal book`", "slots"),
    ("book 30min with", "needs an email or an @mention", "book"),
    ("book 30min with bob", "“bob” after `with` is neither", "book"),
    ("book 30min with a@x.com with b@y.com", "One guest at a time", "book"),
    (f"book {ALICE} {BOB} 30min", "One host at a time", "book"),
    ("book @alice 30min", "I can't tell who “@alice” is", "book"),
    ("book 30min bob@x.com", "write `with bob@x.com`", "book"),
    (f"book {SALES} 30min", "not a channel or a group", "book"),
    ("book <!here> 30min", "not a channel or a group", "book"),
    ("bookings later", "“later”", "bookings"),
    ("bookings past cancelled", "“past cancelled”", "bookings"),
    ("cancel", "needs its id", "cancel"),
    ("cancel tomorrow's", "doesn't look like a booking id", "cancel"),
    ("cancel <https://app.cal.com/bookings/upcoming>", "doesn't look like a booking id", "cancel"),
    ("notify", "Name a #channel or `me`", "notify"),
    ("notify off", "Turn off which?", "notify"),
    (f"notify off {SALES} me", "Turn off which?", "notify"),
    ("notify #sales", "pick it from Slack's # suggestions", "notify"),
    ("notify off #sales", "pick it from Slack's # suggestions", "notify"),
    (f"notify {ALICE}", "a channel or to you", "notify"),
    ("notify sales", "“sales” isn't a channel", "notify"),
    (f"notify {SALES} created,booked", "“booked” isn't a kind of booking update", "notify"),
    (f"notify {SALES} created,cancelld", "Did you mean `cancelled`?", "notify"),
    (f"notify {SALES} intro cancelld", "Did you mean `cancelled`?", "notify"),
]


@pytest.mark.parametrize(("text", "problem", "sub"), INVALID)
def test_invalid_explains_and_shows_usage(text: str, problem: str, sub: str) -> None:
    result = parse(text)
    assert isinstance(result, Invalid), result
    assert problem in result.message
    assert result.message.endswith(f"Usage: {USAGE[sub]}")


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("30", 30),
        ("30m", 30),
        ("30min", 30),
        ("30 min", 30),
        ("30mins", 30),
        ("30 minutes", 30),
        ("45 MIN", 45),
        ("90 minutes", 90),
        ("1h", 60),
        ("1 hour", 60),
        ("2 hours", 120),
        ("1hr", 60),
        ("1.5h", 90),
        ("1h30", 90),
        ("1h 30m", 90),
        (" 15 ", 15),
        ("0", None),
        ("0 min", None),
        ("1.01h", None),  # not a whole number of minutes
        ("intro-call", None),
        ("30-min", None),  # a slug, matched as such
        ("min", None),
        ("", None),
        (None, None),
        ("1" + "0" * 308, None),  # 309 digits: no length, and no OverflowError
        ("1" + "0" * 400 + "h", None),
    ],
)
def test_length_of(text: str | None, minutes: int | None) -> None:
    assert length_of(text) == minutes


def test_command_values_are_frozen() -> None:
    command = parse("book 30min tomorrow")
    with pytest.raises(dataclasses.FrozenInstanceError):
        command.when_text = "x"  # type: ignore[union-attr]


def test_a_huge_number_is_shortened_when_shown_back() -> None:
    command = parse("1" + "0" * 308)
    assert isinstance(command, Unknown)
    assert len(command.word) <= 40


def test_parse_never_raises_on_odd_input() -> None:
    for text in ["<", ">", "<@", "book <", 'book "', "notify <#>", "cancel <>", "book with <>"]:
        assert parse(text) is not None


def test_help_examples_parse_to_known_commands() -> None:
    """Every example in the help message is itself valid (placeholders aside)."""
    assert len(HELP_EXAMPLES) >= 8
    for command, description in HELP_EXAMPLES:
        assert command.startswith("/cal")
        assert description
        if "<" in command:
            continue
        text = command.removeprefix("/cal").replace("@alice", ALICE).replace("#sales", SALES)
        assert not isinstance(parse(text), Unknown | Invalid), command


def test_subcommands_match_the_contract() -> None:
    assert set(SUBCOMMANDS) == {
        "help",
        "connect",
        "disconnect",
        "status",
        "me",
        "types",
        "slots",
        "book",
        "bookings",
        "cancel",
        "notify",
        "schedule",
        "find",
        "agenda",
        "remind",
    }


def test_find_reads_people_groups_type_and_time() -> None:
    from bot.grammar import Find

    parsed = parse("find 30min <@U2|alice> <@U3> <!subteam^S1|@design-team> next week")
    assert parsed == Find("30min", ("U2", "U3"), ("S1",), "next week")
    assert parse("find 1 hour <@U2> <@U2> fri") == Find("1 hour", ("U2",), (), "fri")
    assert parse("find <@U2> 30min") == Find("30min", ("U2",), (), "")


def test_find_without_people_or_length_says_what_is_missing() -> None:
    assert "Who with?" in _message(parse("find 30min tomorrow"))
    assert "How long?" in _message(parse("find <@U2> tomorrow"))
    assert "@ suggestions" in _message(parse("find 30min @bob"))
    nine = " ".join(f"<@U{i}>" for i in range(9))
    assert "Up to 8 people" in _message(parse(f"find 30min {nine}"))


def _message(command: object) -> str:
    assert isinstance(command, Invalid)
    return command.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("agenda", grammar.Agenda("today")),
        ("agenda TOMORROW", grammar.Agenda("tomorrow")),
        ("agenda week", grammar.Agenda("week")),
        ("agenda daily 8:30", grammar.AgendaDaily(8 * 60 + 30)),
        ("agenda daily 17:05", grammar.AgendaDaily(17 * 60 + 5)),
        ("agenda daily 9am", grammar.AgendaDaily(9 * 60)),
        ("agenda daily 12:15am", grammar.AgendaDaily(15)),
        ("agenda daily off", grammar.AgendaDaily(None)),
        ("remind 5", grammar.Remind(5)),
        ("remind 15 min", grammar.Remind(15)),
        ("remind off", grammar.Remind(None)),
    ],
)
def test_agenda_and_remind(text: str, expected: object) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "agenda month",
        "agenda daily",
        "agenda daily 25:00",
        "agenda daily 8",
        "agenda daily 8:61",
        "remind",
        "remind 0",
        "remind soon",
        "remind 1441",
        "agenda today extra",
    ],
)
def test_agenda_and_remind_refuse_with_the_usage(text: str) -> None:
    command = parse(text)
    assert isinstance(command, Invalid) and "Usage:" in command.message
