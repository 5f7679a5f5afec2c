"""Table tests for bot.when: every phrase pinned to an exact window or start, in five zones.

Expected datetimes are written with their UTC offsets, and compared both as instants and by
offset, so a wrong zone or a DST slip cannot hide behind same-zone datetime comparison (which
ignores offsets). The clock is always injected; nothing here depends on today's date.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.when import Exact, WhenError, Window, parse_when, warm_up

NY = "America/New_York"
LONDON = "Europe/London"
KOLKATA = "Asia/Kolkata"
APIA = "Pacific/Apia"  # UTC+13, no DST since 2021
HONOLULU = "Pacific/Honolulu"  # UTC-10

NY_FRI = "2026-11-27T10:15:00-05:00"  # a Friday morning
LONDON_FRI = "2026-11-27T10:15:00+00:00"
LONDON_BEFORE_DST_END = "2026-10-23T09:00:00+01:00"  # Fri; clocks go back Sun 25 Oct
NY_BEFORE_DST_END = "2026-10-29T12:00:00-04:00"  # Thu; clocks go back Sun 1 Nov
NY_BEFORE_DST_START = "2026-03-05T12:00:00-05:00"  # Thu; clocks go forward Sun 8 Mar
KOLKATA_FRI_EVENING = "2026-11-27T20:30:00+05:30"
APIA_SAT_EARLY = "2026-11-27T15:00:00Z"  # Sat 28 Nov 04:00 in Apia
HONOLULU_THU_EVENING = "2026-11-27T05:00:00Z"  # Thu 26 Nov 19:00 in Honolulu


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    """Pay dateparser's first-call cost once for the module, as the app does at start-up."""
    warm_up()


def at(iso: str) -> datetime:
    return datetime.fromisoformat(iso)


def W(start: str, end: str) -> tuple[str, str, str]:
    return ("window", start, end)


def E(start: str) -> tuple[str, str]:
    return ("exact", start)


CASES = [
    # --- America/New_York, Friday 27 Nov 2026 10:15 ---
    ("", NY, NY_FRI, W(NY_FRI, "2026-12-04T10:15:00-05:00")),
    ("today", NY, NY_FRI, W(NY_FRI, "2026-11-28T00:00:00-05:00")),
    ("tomorrow", NY, NY_FRI, W("2026-11-28T00:00:00-05:00", "2026-11-29T00:00:00-05:00")),
    ("fri", NY, NY_FRI, W(NY_FRI, "2026-11-28T00:00:00-05:00")),  # today counts, clipped
    ("Friday", NY, NY_FRI, W(NY_FRI, "2026-11-28T00:00:00-05:00")),
    ("next friday", NY, NY_FRI, W("2026-12-04T00:00:00-05:00", "2026-12-05T00:00:00-05:00")),
    ("next tuesday", NY, NY_FRI, W("2026-12-01T00:00:00-05:00", "2026-12-02T00:00:00-05:00")),
    ("tue", NY, NY_FRI, W("2026-12-01T00:00:00-05:00", "2026-12-02T00:00:00-05:00")),
    ("sat", NY, NY_FRI, W("2026-11-28T00:00:00-05:00", "2026-11-29T00:00:00-05:00")),
    ("dec 5", NY, NY_FRI, W("2026-12-05T00:00:00-05:00", "2026-12-06T00:00:00-05:00")),
    ("5 dec", NY, NY_FRI, W("2026-12-05T00:00:00-05:00", "2026-12-06T00:00:00-05:00")),
    ("2026-12-05", NY, NY_FRI, W("2026-12-05T00:00:00-05:00", "2026-12-06T00:00:00-05:00")),
    ("12/5", NY, NY_FRI, W("2026-12-05T00:00:00-05:00", "2026-12-06T00:00:00-05:00")),
    ("Dec. 5th", NY, NY_FRI, W("2026-12-05T00:00:00-05:00", "2026-12-06T00:00:00-05:00")),
    ("fri dec 4", NY, NY_FRI, W("2026-12-04T00:00:00-05:00", "2026-12-05T00:00:00-05:00")),
    ("nov 27", NY, NY_FRI, W(NY_FRI, "2026-11-28T00:00:00-05:00")),  # today, not next year
    ("nov 26", NY, NY_FRI, W("2027-11-26T00:00:00-05:00", "2027-11-27T00:00:00-05:00")),
    ("jan 3", NY, NY_FRI, W("2027-01-03T00:00:00-05:00", "2027-01-04T00:00:00-05:00")),
    ("tomorrow 3pm", NY, NY_FRI, E("2026-11-28T15:00:00-05:00")),
    ("fri at 14:30", NY, NY_FRI, E("2026-11-27T14:30:00-05:00")),
    ("dec 5 10am", NY, NY_FRI, E("2026-12-05T10:00:00-05:00")),
    ("10am dec 5", NY, NY_FRI, E("2026-12-05T10:00:00-05:00")),
    ("3pm", NY, NY_FRI, E("2026-11-27T15:00:00-05:00")),  # still ahead: today
    ("9am", NY, NY_FRI, E("2026-11-28T09:00:00-05:00")),  # over: tomorrow
    ("fri 9am", NY, NY_FRI, E("2026-12-04T09:00:00-05:00")),  # over: next Friday
    ("tomorrow at 3", NY, NY_FRI, E("2026-11-28T15:00:00-05:00")),  # bare 1-7 is pm
    ("mon at 9", NY, NY_FRI, E("2026-11-30T09:00:00-05:00")),  # bare 8-11 is am
    ("Tues. 3 P.M.", NY, NY_FRI, E("2026-12-01T15:00:00-05:00")),
    ("fri @ 3pm", NY, NY_FRI, E("2026-11-27T15:00:00-05:00")),
    ("tomorrow noon", NY, NY_FRI, E("2026-11-28T12:00:00-05:00")),
    ("on monday at 2:30pm", NY, NY_FRI, E("2026-11-30T14:30:00-05:00")),
    ("friday afternoon", NY, NY_FRI, W("2026-11-27T12:00:00-05:00", "2026-11-27T17:00:00-05:00")),
    ("tomorrow morning", NY, NY_FRI, W("2026-11-28T08:00:00-05:00", "2026-11-28T12:00:00-05:00")),
    ("this evening", NY, NY_FRI, W("2026-11-27T17:00:00-05:00", "2026-11-27T21:00:00-05:00")),
    ("this morning", NY, NY_FRI, W(NY_FRI, "2026-11-27T12:00:00-05:00")),  # clipped
    ("tonight at 8", NY, NY_FRI, E("2026-11-27T20:00:00-05:00")),
    ("tue in the morning", NY, NY_FRI, W("2026-12-01T08:00:00-05:00", "2026-12-01T12:00:00-05:00")),
    ("tomorrow 2-4pm", NY, NY_FRI, W("2026-11-28T14:00:00-05:00", "2026-11-28T16:00:00-05:00")),
    ("mon 14:00-16:30", NY, NY_FRI, W("2026-11-30T14:00:00-05:00", "2026-11-30T16:30:00-05:00")),
    ("this week", NY, NY_FRI, W(NY_FRI, "2026-11-30T00:00:00-05:00")),
    ("next week", NY, NY_FRI, W("2026-11-30T00:00:00-05:00", "2026-12-07T00:00:00-05:00")),
    ("in 2 days", NY, NY_FRI, W("2026-11-29T00:00:00-05:00", "2026-11-30T00:00:00-05:00")),
    ("in 2 days 3pm", NY, NY_FRI, E("2026-11-29T15:00:00-05:00")),
    ("next 3 days", NY, NY_FRI, W(NY_FRI, "2026-11-30T10:15:00-05:00")),
    ("weekend", NY, NY_FRI, W("2026-11-28T00:00:00-05:00", "2026-11-30T00:00:00-05:00")),
    ("next weekend", NY, NY_FRI, W("2026-12-05T00:00:00-05:00", "2026-12-07T00:00:00-05:00")),
    ("in 2 weeks", NY, NY_FRI, W("2026-12-07T00:00:00-05:00", "2026-12-14T00:00:00-05:00")),
    ("next month", NY, NY_FRI, W("2026-12-01T00:00:00-05:00", "2027-01-01T00:00:00-05:00")),
    # --- Europe/London: day first, and the October DST end (a 25-hour Sunday) ---
    ("12/5", LONDON, LONDON_FRI, W("2027-05-12T00:00:00+01:00", "2027-05-13T00:00:00+01:00")),
    ("5/12", LONDON, LONDON_FRI, W("2026-12-05T00:00:00+00:00", "2026-12-06T00:00:00+00:00")),
    ("12/31", LONDON, LONDON_FRI, W("2026-12-31T00:00:00+00:00", "2027-01-01T00:00:00+00:00")),
    (
        "sunday",
        LONDON,
        LONDON_BEFORE_DST_END,
        W("2026-10-25T00:00:00+01:00", "2026-10-26T00:00:00+00:00"),
    ),
    (
        "this weekend",
        LONDON,
        LONDON_BEFORE_DST_END,
        W("2026-10-24T00:00:00+01:00", "2026-10-26T00:00:00+00:00"),
    ),
    ("sun 1:30am", LONDON, LONDON_BEFORE_DST_END, E("2026-10-25T01:30:00+01:00")),  # first one
    # --- America/New_York DST: a 25-hour Sunday in November, a 23-hour one in March ---
    ("sun", NY, NY_BEFORE_DST_END, W("2026-11-01T00:00:00-04:00", "2026-11-02T00:00:00-05:00")),
    ("sun 1:30am", NY, NY_BEFORE_DST_END, E("2026-11-01T01:30:00-04:00")),
    ("sun 2:30am", NY, NY_BEFORE_DST_END, E("2026-11-01T02:30:00-05:00")),
    ("next 3 days", NY, NY_BEFORE_DST_END, W(NY_BEFORE_DST_END, "2026-11-01T12:00:00-05:00")),
    (
        "sunday",
        NY,
        NY_BEFORE_DST_START,
        W("2026-03-08T00:00:00-05:00", "2026-03-09T00:00:00-04:00"),
    ),
    ("mar 8 2:30am", NY, NY_BEFORE_DST_START, E("2026-03-08T03:30:00-04:00")),  # skipped hour
    # --- Asia/Kolkata (UTC+5:30), Friday 20:30 ---
    (
        "this evening",
        KOLKATA,
        KOLKATA_FRI_EVENING,
        W(KOLKATA_FRI_EVENING, "2026-11-27T21:00:00+05:30"),
    ),
    ("3pm", KOLKATA, KOLKATA_FRI_EVENING, E("2026-11-28T15:00:00+05:30")),
    ("fri", KOLKATA, KOLKATA_FRI_EVENING, W(KOLKATA_FRI_EVENING, "2026-11-28T00:00:00+05:30")),
    (
        "12/5",
        KOLKATA,
        KOLKATA_FRI_EVENING,
        W("2027-05-12T00:00:00+05:30", "2027-05-13T00:00:00+05:30"),
    ),
    ("tomorrow 9:15am", KOLKATA, KOLKATA_FRI_EVENING, E("2026-11-28T09:15:00+05:30")),
    ("evening", KOLKATA, KOLKATA_FRI_EVENING, W(KOLKATA_FRI_EVENING, "2026-11-27T21:00:00+05:30")),
    # --- Pacific/Apia (UTC+13): already Saturday there while it is Friday in UTC ---
    ("today", APIA, APIA_SAT_EARLY, W("2026-11-28T04:00:00+13:00", "2026-11-29T00:00:00+13:00")),
    ("tomorrow", APIA, APIA_SAT_EARLY, W("2026-11-29T00:00:00+13:00", "2026-11-30T00:00:00+13:00")),
    ("fri", APIA, APIA_SAT_EARLY, W("2026-12-04T00:00:00+13:00", "2026-12-05T00:00:00+13:00")),
    (
        "this weekend",
        APIA,
        APIA_SAT_EARLY,
        W("2026-11-28T04:00:00+13:00", "2026-11-30T00:00:00+13:00"),
    ),
    ("morning", APIA, APIA_SAT_EARLY, W("2026-11-28T08:00:00+13:00", "2026-11-28T12:00:00+13:00")),
    # --- Pacific/Honolulu (UTC-10): still Thursday evening there ---
    (
        "today",
        HONOLULU,
        HONOLULU_THU_EVENING,
        W("2026-11-26T19:00:00-10:00", "2026-11-27T00:00:00-10:00"),
    ),
    (
        "thursday",
        HONOLULU,
        HONOLULU_THU_EVENING,
        W("2026-11-26T19:00:00-10:00", "2026-11-27T00:00:00-10:00"),
    ),
    (
        "tonight",
        HONOLULU,
        HONOLULU_THU_EVENING,
        W("2026-11-26T19:00:00-10:00", "2026-11-26T21:00:00-10:00"),
    ),
    (
        "afternoon",
        HONOLULU,
        HONOLULU_THU_EVENING,
        W("2026-11-27T12:00:00-10:00", "2026-11-27T17:00:00-10:00"),
    ),
    ("fri 3pm", HONOLULU, HONOLULU_THU_EVENING, E("2026-11-27T15:00:00-10:00")),
    (
        "12/5",
        HONOLULU,
        HONOLULU_THU_EVENING,
        W("2026-12-05T00:00:00-10:00", "2026-12-06T00:00:00-10:00"),
    ),
]


def _same_moment(actual: datetime, expected: str, tz: str) -> None:
    want = at(expected)
    assert actual.timestamp() == want.timestamp(), (actual.isoformat(), expected)
    assert actual.utcoffset() == want.utcoffset(), (actual.isoformat(), expected)
    assert actual.tzinfo == ZoneInfo(tz)


@pytest.mark.parametrize(("phrase", "tz", "now", "expected"), CASES)
def test_phrase(phrase: str, tz: str, now: str, expected: tuple[str, ...]) -> None:
    result = parse_when(phrase, now=at(now), tz=tz)
    if expected[0] == "window":
        assert isinstance(result, Window), result
        _same_moment(result.start, expected[1], tz)
        _same_moment(result.end, expected[2], tz)
        assert result.start.timestamp() >= at(now).timestamp()
    else:
        assert isinstance(result, Exact), result
        _same_moment(result.start, expected[1], tz)
    assert result.label


def test_at_least_forty_phrases_across_five_zones() -> None:
    assert len(CASES) >= 40
    assert {tz for _, tz, _, _ in CASES} == {NY, LONDON, KOLKATA, APIA, HONOLULU}


@pytest.mark.parametrize(
    ("phrase", "tz", "now", "hours"),
    [
        ("sun", NY, NY_BEFORE_DST_END, 25),
        ("sunday", LONDON, LONDON_BEFORE_DST_END, 25),
        ("sunday", NY, NY_BEFORE_DST_START, 23),
        ("tomorrow", NY, NY_FRI, 24),
    ],
)
def test_day_windows_follow_dst(phrase: str, tz: str, now: str, hours: int) -> None:
    result = parse_when(phrase, now=at(now), tz=tz)
    assert isinstance(result, Window)
    assert result.end.timestamp() - result.start.timestamp() == hours * 3600


@pytest.mark.parametrize(
    ("phrase", "tz", "now", "label"),
    [
        ("tomorrow", NY, NY_FRI, "tomorrow (Sat 28 Nov)"),
        ("today", NY, NY_FRI, "today (Fri 27 Nov)"),
        ("next friday", NY, NY_FRI, "Fri 4 Dec"),
        ("nov 26", NY, NY_FRI, "Fri 26 Nov 2027"),
        ("friday afternoon", NY, NY_FRI, "this afternoon (Fri 27 Nov)"),
        ("tue afternoon", NY, NY_FRI, "Tue 1 Dec afternoon"),
        ("tomorrow morning", NY, NY_FRI, "tomorrow morning (Sat 28 Nov)"),
        ("tomorrow 3pm", NY, NY_FRI, "tomorrow at 3pm (Sat 28 Nov)"),
        ("dec 5 2:30pm", NY, NY_FRI, "Sat 5 Dec at 2:30pm"),
        ("tomorrow 2-4pm", NY, NY_FRI, "tomorrow 2pm–4pm (Sat 28 Nov)"),
        ("next week", NY, NY_FRI, "next week (Mon 30 Nov – Sun 6 Dec)"),
        ("this week", NY, NY_FRI, "this week (to Sun 29 Nov)"),
        ("", NY, NY_FRI, "the next 7 days"),
        ("next 3 days", NY, NY_FRI, "the next 3 days"),
        ("mar 8 2:30am", NY, NY_BEFORE_DST_START, "Sun 8 Mar at 3:30am"),  # the real time
    ],
)
def test_labels(phrase: str, tz: str, now: str, label: str) -> None:
    assert parse_when(phrase, now=at(now), tz=tz).label == label


@pytest.mark.parametrize(
    ("phrase", "now"),
    [
        ("today 9am", NY_FRI),
        ("this morning", "2026-11-27T13:00:00-05:00"),
        ("tonight", "2026-11-27T22:00:00-05:00"),
        ("2025-12-05", NY_FRI),
        ("5 dec 25", NY_FRI),  # an explicit two-digit year in the past
        ("yesterday", NY_FRI),
        ("last monday", NY_FRI),
        ("nov 27 9am", NY_FRI),  # today's date, time over: not rolled a year
    ],
)
def test_past_is_an_error(phrase: str, now: str) -> None:
    with pytest.raises(WhenError, match="in the past"):
        parse_when(phrase, now=at(now), tz=NY)


@pytest.mark.parametrize(
    ("phrase", "match"),
    [
        ("blah", "couldn't read"),
        ("30min", "couldn't read"),  # durations belong to the grammar, not to dates
        ("9", "a day or an hour"),  # a bare number could be either: asked, not guessed
        ("dec 5 foo", "couldn't read"),
        ("next month 3pm", "couldn't read"),
        ("in 0 days", "couldn't read"),
        ("feb 30", "couldn't read"),
        ("tomorrow this afternoon", "two different days"),
        ("tomorrow 15pm", "time I can't read"),
        ("tomorrow 25:00", "time I can't read"),
        ("tomorrow 3pm 4pm", "more than one time"),
        ("tomorrow morning evening", "more than one time"),
        ("tomorrow 16:00-14:00", "end comes before the start"),
        ("fri dec 5", "is a Saturday, not a Friday"),
        ("dec 5 2099", "too far ahead"),
        ("in 400 days", "too far ahead"),
        ("next 999 days", "too far ahead"),
    ],
)
def test_unusable_phrases_explain_themselves(phrase: str, match: str) -> None:
    with pytest.raises(WhenError, match=match) as caught:
        parse_when(phrase, now=at(NY_FRI), tz=NY)
    message = str(caught.value)
    assert "`" in message  # every message carries examples to copy


def test_error_is_a_value_error_with_examples() -> None:
    with pytest.raises(ValueError, match="`tomorrow`"):
        parse_when("whenever-ish", now=at(NY_FRI), tz=NY)


def test_now_in_another_zone_is_converted() -> None:
    """The caller may pass any aware `now`; the answer is in the user's zone."""
    utc_now = at(NY_FRI).astimezone(UTC)
    result = parse_when("tomorrow", now=utc_now, tz=NY)
    assert isinstance(result, Window)
    _same_moment(result.start, "2026-11-28T00:00:00-05:00", NY)


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_when("tomorrow", now=datetime(2026, 11, 27, 10, 15), tz=NY)


def test_results_are_frozen() -> None:
    result = parse_when("tomorrow", now=at(NY_FRI), tz=NY)
    with pytest.raises(AttributeError):
        result.label = "x"  # type: ignore[misc]


def test_weekday_on_every_day_of_the_week() -> None:
    """`fri` is never more than six days away and never in the past, whatever today is."""
    start = at("2026-11-23T09:00:00-05:00")  # a Monday
    for offset in range(7):
        now = start + timedelta(days=offset)
        result = parse_when("fri", now=now, tz=NY)
        assert isinstance(result, Window)
        assert result.start.weekday() == 4
        assert 0 <= (result.start.date() - now.date()).days <= 6


def test_warm_up_loads_what_the_first_request_would_pay_for() -> None:
    """In a fresh process: dateparser's English data and the zone-name table are loaded by
    `warm_up()` (the server calls it at start-up), not by the first user's phrase."""
    import subprocess
    import sys

    from tests.helpers import child_env

    code = (
        "from dateparser.languages.loader import default_loader as d\n"
        "from bot.when import zones, warm_up\n"
        "assert 'en' not in d._loaded_languages\n"
        "warm_up()\n"
        "assert 'en' in d._loaded_languages\n"
        "assert zones._cities.cache_info().currsize == 1\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=child_env()
    )
    assert done.returncode == 0, done.stderr
