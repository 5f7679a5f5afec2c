"""The phrase table: what people type into `[when]`, pinned in four zones, DST days included.

Phrases come from what schedulers type and from the English test suites of chrono, Duckling
and dateparser (as material for phrases, not code). Every row states the expected window or
exact start, or a clear refusal (a fragment of the message, which must also carry examples).

The shared rows are asked at the same wall time, Friday 27 Nov 2026 10:15, in each zone, so
their expectations are local wall times turned into instants by the zone's own rules: a wrong
offset shows. DST rows and named-zone rows give explicit offsets. Nothing here depends on
today's date: the clock is injected.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.when import Exact, WhenError, Window, parse_when, warm_up

NY = "America/New_York"
BERLIN = "Europe/Berlin"
AUCKLAND = "Pacific/Auckland"
HONOLULU = "Pacific/Honolulu"
ZONES = (NY, BERLIN, AUCKLAND, HONOLULU)
FRI = "2026-11-27 10:15"  # a Friday morning, asked in every zone
NOW = "NOW"  # a window clipped to start at the moment asked

Row = tuple[str, str, str, tuple[str, ...]]


def W(start: str, end: str) -> tuple[str, ...]:
    return ("window", start, end)


def E(start: str) -> tuple[str, ...]:
    return ("exact", start)


def R(fragment: str) -> tuple[str, ...]:
    return ("refused", fragment)


# --- asked on Fri 27 Nov 2026 10:15, local wall times (the same in every zone) ---
SHARED: list[tuple[str, tuple[str, ...]]] = [
    # silent misreads from the issue, now read right
    ("tomorrow afternoon at 3:30", E("2026-11-28 15:30")),
    ("fri afternoon 2:30", E("2026-11-27 14:30")),
    ("this afternoon at 3:20", E("2026-11-27 15:20")),
    ("3:30", E("2026-11-27 15:30")),
    ("at 3", E("2026-11-27 15:00")),
    ("this evening at 12", E("2026-11-28 00:00")),
    ("July 13-15", W("2027-07-13 00:00", "2027-07-16 00:00")),
    ("1-8 september", W("2027-09-01 00:00", "2027-09-09 00:00")),
    ("10 - 22 August", W("2027-08-10 00:00", "2027-08-23 00:00")),
    ("7 - 8", W("2026-11-27 19:00", "2026-11-27 20:00")),
    ("10 - 11 at night", W("2026-11-27 22:00", "2026-11-27 23:00")),
    ("Jul 18, Fri", R("is a Sunday, not a Friday")),
    ("fri jul 18", R("is a Sunday, not a Friday")),
    ("11:30-1:30", W("2026-11-27 11:30", "2026-11-27 13:30")),
    ("tomorrow 11:30-1:30", W("2026-11-28 11:30", "2026-11-28 13:30")),
    # H:MM and bare hours follow one rule; a part of day places the clock
    ("3:30 tomorrow", E("2026-11-28 15:30")),
    ("tomorrow 9:30", E("2026-11-28 09:30")),
    ("tomorrow 7:45", E("2026-11-28 19:45")),
    ("tomorrow morning at 7:30", E("2026-11-28 07:30")),
    ("tomorrow evening at 7", E("2026-11-28 19:00")),
    ("tonight at 11", E("2026-11-27 23:00")),
    ("tomorrow at 12", E("2026-11-28 12:00")),
    ("tomorrow 12:30", E("2026-11-28 12:30")),
    ("tomorrow 07:30", E("2026-11-28 07:30")),
    ("tomorrow 18:45", E("2026-11-28 18:45")),
    ("tomorrow afternoon 9am", R("isn't in the afternoon")),
    ("tomorrow morning at 12", R("isn't in the morning")),
    ("next thursday morning at 3pm", R("isn't in the morning")),
    # ranges of days
    ("monday to wednesday", W("2026-11-30 00:00", "2026-12-03 00:00")),
    ("mon - fri", W("2026-11-30 00:00", "2026-12-05 00:00")),
    ("mon-fri", W("2026-11-30 00:00", "2026-12-05 00:00")),
    ("today to tomorrow afternoon", W(NOW, "2026-11-28 17:00")),
    ("dec 5-7", W("2026-12-05 00:00", "2026-12-08 00:00")),
    ("from dec 5 to dec 7", W("2026-12-05 00:00", "2026-12-08 00:00")),
    ("between dec 5 and dec 7", W("2026-12-05 00:00", "2026-12-08 00:00")),
    ("5th to 7th december", W("2026-12-05 00:00", "2026-12-08 00:00")),
    ("dec 28 - jan 3", W("2026-12-28 00:00", "2027-01-04 00:00")),
    ("tue to thu", W("2026-12-01 00:00", "2026-12-04 00:00")),
    ("fri to mon", W(NOW, "2026-12-01 00:00")),
    ("mon 3pm to wed 5pm", W("2026-11-30 15:00", "2026-12-02 17:00")),
    ("mon 3pm to wed afternoon", W("2026-11-30 15:00", "2026-12-02 17:00")),
    ("mon - wed afternoon", R("every afternoon or one stretch")),
    ("by wednesday", W(NOW, "2026-12-03 00:00")),
    ("before wednesday", W(NOW, "2026-12-02 00:00")),
    # the weekday after the week
    ("friday next week", W("2026-12-04 00:00", "2026-12-05 00:00")),
    ("tuesday of next week", W("2026-12-01 00:00", "2026-12-02 00:00")),
    ("next week tuesday", W("2026-12-01 00:00", "2026-12-02 00:00")),
    ("next week on thursday at 2pm", E("2026-12-03 14:00")),
    ("wednesday after next", W("2026-12-09 00:00", "2026-12-10 00:00")),
    ("next friday", W("2026-12-04 00:00", "2026-12-05 00:00")),
    ("this friday", W(NOW, "2026-11-28 00:00")),
    ("thursday this week", R("in the past")),
    # ordinals
    ("the 15th", W("2026-12-15 00:00", "2026-12-16 00:00")),
    ("tuesday the 15th", W("2026-12-15 00:00", "2026-12-16 00:00")),
    ("tuesday the 19th", R("is a Saturday, not a Tuesday")),
    ("on the 3rd", W("2026-12-03 00:00", "2026-12-04 00:00")),
    ("first of march", W("2027-03-01 00:00", "2027-03-02 00:00")),
    ("march 1st", W("2027-03-01 00:00", "2027-03-02 00:00")),
    ("the 27th", W(NOW, "2026-11-28 00:00")),
    ("the 31st", W("2026-12-31 00:00", "2027-01-01 00:00")),
    ("the 30th at 2pm", E("2026-11-30 14:00")),
    ("dec 5th at 10am", E("2026-12-05 10:00")),
    ("the first", W("2026-12-01 00:00", "2026-12-02 00:00")),
    ("the twenty-first", W("2026-12-21 00:00", "2026-12-22 00:00")),
    # noon and midnight
    ("midnight", E("2026-11-28 00:00")),
    ("tomorrow at midnight", E("2026-11-29 00:00")),
    ("noon", E("2026-11-27 12:00")),
    ("tomorrow noon", E("2026-11-28 12:00")),
    ("tomorrow 12am", E("2026-11-28 00:00")),
    # a bare hour with a part of day or a day
    ("8 tonight", E("2026-11-27 20:00")),
    ("6 in the morning", E("2026-11-28 06:00")),
    ("9 tomorrow", E("2026-11-28 09:00")),
    ("tomorrow 9", E("2026-11-28 09:00")),
    ("fri 3", E("2026-11-27 15:00")),
    ("mon 10", E("2026-11-30 10:00")),
    ("3 in the afternoon", E("2026-11-27 15:00")),
    ("tomorrow at 5 in the evening", E("2026-11-28 17:00")),
    # hedges: an hour either side
    ("around 3pm", W("2026-11-27 14:00", "2026-11-27 16:00")),
    ("about 10", W(NOW, "2026-11-27 11:00")),
    ("3ish", W("2026-11-27 14:00", "2026-11-27 16:00")),
    ("tomorrow around 11", W("2026-11-28 10:00", "2026-11-28 12:00")),
    ("3pm-ish tomorrow", W("2026-11-28 14:00", "2026-11-28 16:00")),
    ("approximately 4pm", W("2026-11-27 15:00", "2026-11-27 17:00")),
    # short meridiems, o'clock, compact times, quarters
    ("3p", E("2026-11-27 15:00")),
    ("9a", E("2026-11-28 09:00")),
    ("3:15p", E("2026-11-27 15:15")),
    ("tomorrow 9a", E("2026-11-28 09:00")),
    ("3 o'clock", E("2026-11-27 15:00")),
    ("tomorrow at 10 o'clock", E("2026-11-28 10:00")),
    ("8 o'clock tonight", E("2026-11-27 20:00")),
    ("1030", E("2026-11-27 10:30")),
    ("330pm", E("2026-11-27 15:30")),
    ("tomorrow 1030", E("2026-11-28 10:30")),
    ("tomorrow at 930am", E("2026-11-28 09:30")),
    ("half past 3 tomorrow", E("2026-11-28 15:30")),
    ("quarter to 4 tomorrow", E("2026-11-28 15:45")),
    ("2026", R("looks like a year")),
    # weeks and months
    ("next 2 weeks", W(NOW, "2026-12-11 10:15")),
    ("in a week", W("2026-11-30 00:00", "2026-12-07 00:00")),
    ("2 days later", W("2026-11-29 00:00", "2026-11-30 00:00")),
    ("next month", W("2026-12-01 00:00", "2027-01-01 00:00")),
    ("in january", W("2027-01-01 00:00", "2027-02-01 00:00")),
    ("january", W("2027-01-01 00:00", "2027-02-01 00:00")),
    ("in november", W(NOW, "2026-12-01 00:00")),
    ("march 2027", W("2027-03-01 00:00", "2027-04-01 00:00")),
    ("this month", W(NOW, "2026-12-01 00:00")),
    ("the week after next", W("2026-12-07 00:00", "2026-12-14 00:00")),
    ("within 3 days", W(NOW, "2026-11-30 10:15")),
    ("next few days", W(NOW, "2026-11-30 10:15")),
    ("next couple of days", W(NOW, "2026-11-29 10:15")),
    ("in a couple of days", W("2026-11-29 00:00", "2026-11-30 00:00")),
    ("in 2 hours", W("2026-11-27 12:15", "2026-11-27 13:15")),
    ("in half an hour", W("2026-11-27 10:45", "2026-11-27 11:45")),
    ("early next week", W("2026-11-30 00:00", "2026-12-03 00:00")),
    ("end of next week", W("2026-12-03 00:00", "2026-12-07 00:00")),
    ("later this week", W("2026-11-28 00:00", "2026-11-30 00:00")),
    ("in 3 weeks", W("2026-12-14 00:00", "2026-12-21 00:00")),
    # time ranges
    ("8pm - 11", W("2026-11-27 20:00", "2026-11-27 23:00")),
    ("2-4pm", W("2026-11-27 14:00", "2026-11-27 16:00")),
    ("9-5", W(NOW, "2026-11-27 17:00")),
    ("tomorrow 9-5", W("2026-11-28 09:00", "2026-11-28 17:00")),
    ("from 9 to 11 next mon", W("2026-11-30 09:00", "2026-11-30 11:00")),
    ("between 2 and 4 tomorrow", W("2026-11-28 14:00", "2026-11-28 16:00")),
    ("tomorrow 14:00-16:30", W("2026-11-28 14:00", "2026-11-28 16:30")),
    ("tomorrow 10am-2", W("2026-11-28 10:00", "2026-11-28 14:00")),
    ("tomorrow 11-1pm", W("2026-11-28 11:00", "2026-11-28 13:00")),
    ("tomorrow 10pm-12am", W("2026-11-28 22:00", "2026-11-29 00:00")),
    ("thursday 9:30 - 11:00", W("2026-12-03 09:30", "2026-12-03 11:00")),
    ("after 3pm tomorrow", W("2026-11-28 15:00", "2026-11-29 00:00")),
    ("before noon tomorrow", W("2026-11-28 00:00", "2026-11-28 12:00")),
    ("tomorrow 16:00-14:00", R("end comes before the start")),
    # days, parts of day, everyday phrases
    ("today", W(NOW, "2026-11-28 00:00")),
    ("tomorrow", W("2026-11-28 00:00", "2026-11-29 00:00")),
    ("fri", W(NOW, "2026-11-28 00:00")),
    ("sat", W("2026-11-28 00:00", "2026-11-29 00:00")),
    ("next tuesday", W("2026-12-01 00:00", "2026-12-02 00:00")),
    ("dec 5", W("2026-12-05 00:00", "2026-12-06 00:00")),
    ("5 dec", W("2026-12-05 00:00", "2026-12-06 00:00")),
    ("december 5th", W("2026-12-05 00:00", "2026-12-06 00:00")),
    ("2026-12-05", W("2026-12-05 00:00", "2026-12-06 00:00")),
    ("5.12.2026", W("2026-12-05 00:00", "2026-12-06 00:00")),  # dots: day first everywhere
    ("tomorrow 15.30", E("2026-11-28 15:30")),
    ("week of dec 7", W("2026-12-07 00:00", "2026-12-14 00:00")),
    ("the week of the 14th", W("2026-12-14 00:00", "2026-12-21 00:00")),
    ("tomorrow 3pm", E("2026-11-28 15:00")),
    ("fri at 14:30", E("2026-11-27 14:30")),
    ("tomorrow morning", W("2026-11-28 08:00", "2026-11-28 12:00")),
    ("friday afternoon", W("2026-11-27 12:00", "2026-11-27 17:00")),
    ("this evening", W("2026-11-27 17:00", "2026-11-27 21:00")),
    ("tonight", W("2026-11-27 17:00", "2026-11-27 21:00")),
    ("next week", W("2026-11-30 00:00", "2026-12-07 00:00")),
    ("this week", W(NOW, "2026-11-30 00:00")),
    ("weekend", W("2026-11-28 00:00", "2026-11-30 00:00")),
    ("in 2 days", W("2026-11-29 00:00", "2026-11-30 00:00")),
    ("day after tomorrow", W("2026-11-29 00:00", "2026-11-30 00:00")),
    ("next 3 days", W(NOW, "2026-11-30 10:15")),
    ("tomorrow late afternoon", W("2026-11-28 15:00", "2026-11-28 17:00")),
    ("tomorrow lunch", W("2026-11-28 12:00", "2026-11-28 14:00")),
    ("mon at 9:15am", E("2026-11-30 09:15")),
    ("Tues. 3 P.M.", E("2026-12-01 15:00")),
    ("tomorrow @ 4", E("2026-11-28 16:00")),
    ("sometime next week", W("2026-11-30 00:00", "2026-12-07 00:00")),
    ("anytime tomorrow", W("2026-11-28 00:00", "2026-11-29 00:00")),
    ("tomorrow anytime", W("2026-11-28 00:00", "2026-11-29 00:00")),
    ("tonite at 8", E("2026-11-27 20:00")),
    ("2moro 3pm", E("2026-11-28 15:00")),
    ("friday at noon", E("2026-11-27 12:00")),
    ("noon-2", W("2026-11-27 12:00", "2026-11-27 14:00")),
    ("the day after tomorrow at 5pm", E("2026-11-29 17:00")),
    ("Tuesday, December 1st at 2", E("2026-12-01 14:00")),
    ("tue 1-3", W("2026-12-01 13:00", "2026-12-01 15:00")),
    ("thu after 2", W("2026-12-03 14:00", "2026-12-04 00:00")),
    ("next monday morning", W("2026-11-30 08:00", "2026-11-30 12:00")),
    # refusals that say what was not understood, with examples
    ("9", R("a day or an hour")),
    ("blah", R("couldn't read “blah”")),
    ("dec 5 foo", R("couldn't read “foo”")),
    ("next tuesday at 3pm sharpish", R("“sharpish”")),
    ("tomorrow 3pm 4pm", R("more than one time")),
    ("feb 30", R("couldn't read")),
    ("3pm mars time", R("don't know the time zone")),
    ("3pm UTC+5:30", R("whole-hour offsets")),
    ("1" + "0" * 308, R("too big a number")),
    ("in " + "9" * 400 + " days", R("too big a number")),
    ("yesterday", R("in the past")),
    ("dec 5 2099", R("too far ahead")),
]

# --- per zone: numeric dates, named zones, DST days (explicit offsets) ---
NY_FALL = "2026-10-31T10:15:00-04:00"  # Sat; clocks go back Sun 1 Nov 02:00 -> 01:00
NY_SPRING = "2026-03-07T10:15:00-05:00"  # Sat; clocks go forward Sun 8 Mar 02:00 -> 03:00
BER_FALL = "2026-10-24T10:15:00+02:00"  # Sat; back Sun 25 Oct 03:00 -> 02:00
BER_SPRING = "2026-03-28T10:15:00+01:00"  # Sat; forward Sun 29 Mar 02:00 -> 03:00
AKL_SPRING = "2026-09-26T10:15:00+12:00"  # Sat; forward Sun 27 Sep 02:00 -> 03:00
AKL_FALL = "2026-04-04T10:15:00+13:00"  # Sat; back Sun 5 Apr 03:00 -> 02:00
HNL_US_SPRING = "2026-03-07T10:15:00-10:00"  # Honolulu keeps its clock when the US moves

SPECIFIC: list[Row] = [
    # numeric dates: month first in North America (Honolulu too), day first in Berlin, Auckland
    ("12/5", NY, FRI, W("2026-12-05 00:00", "2026-12-06 00:00")),
    ("12/5", HONOLULU, FRI, W("2026-12-05 00:00", "2026-12-06 00:00")),
    ("12/5", BERLIN, FRI, W("2027-05-12 00:00", "2027-05-13 00:00")),
    ("12/5", AUCKLAND, FRI, W("2027-05-12 00:00", "2027-05-13 00:00")),
    ("5/12", BERLIN, FRI, W("2026-12-05 00:00", "2026-12-06 00:00")),
    ("5/12 3pm", AUCKLAND, FRI, E("2026-12-05 15:00")),
    ("31/12", BERLIN, FRI, W("2026-12-31 00:00", "2027-01-01 00:00")),  # no 31st month
    ("12/31", HONOLULU, FRI, W("2026-12-31 00:00", "2027-01-01 00:00")),
    # a named zone is honoured: instants, whatever zone the user is in
    ("dec 5 3pm PST", NY, FRI, E("@2026-12-05T15:00:00-08:00")),
    ("dec 5 3pm PST", BERLIN, FRI, E("@2026-12-05T15:00:00-08:00")),
    ("dec 5 3pm PST", AUCKLAND, FRI, E("@2026-12-05T15:00:00-08:00")),
    ("dec 5 3pm PST", HONOLULU, FRI, E("@2026-12-05T15:00:00-08:00")),
    ("tomorrow 9am CET", NY, FRI, E("@2026-11-28T09:00:00+01:00")),
    ("tomorrow 9am CET", BERLIN, FRI, E("@2026-11-28T09:00:00+01:00")),
    ("tomorrow 9am CET", AUCKLAND, FRI, E("@2026-11-27T09:00:00+01:00")),  # Berlin's tomorrow
    ("tomorrow 9am CET", HONOLULU, FRI, E("@2026-11-28T09:00:00+01:00")),
    ("3pm UTC", NY, FRI, E("@2026-11-28T15:00:00+00:00")),  # 15:15 UTC: over, so tomorrow
    ("3pm UTC", BERLIN, FRI, E("@2026-11-27T15:00:00+00:00")),
    ("3pm UTC", AUCKLAND, FRI, E("@2026-11-27T15:00:00+00:00")),
    ("3pm UTC", HONOLULU, FRI, E("@2026-11-28T15:00:00+00:00")),
    ("10am Berlin time", NY, FRI, E("@2026-11-28T10:00:00+01:00")),
    ("10am Berlin time", BERLIN, FRI, E("@2026-11-28T10:00:00+01:00")),
    ("10am Berlin time", AUCKLAND, FRI, E("@2026-11-27T10:00:00+01:00")),
    ("10am Berlin time", HONOLULU, FRI, E("@2026-11-28T10:00:00+01:00")),
    ("fri 2pm ET", NY, FRI, E("@2026-11-27T14:00:00-05:00")),
    ("fri 2pm ET", BERLIN, FRI, E("@2026-11-27T14:00:00-05:00")),
    ("fri 2pm ET", AUCKLAND, FRI, E("@2026-11-27T14:00:00-05:00")),
    ("fri 2pm ET", HONOLULU, FRI, E("@2026-12-04T14:00:00-05:00")),  # 15:15 ET: next Friday
    ("3pm UTC+2", NY, FRI, E("@2026-11-28T15:00:00+02:00")),
    ("3pm UTC+2", BERLIN, FRI, E("@2026-11-27T15:00:00+02:00")),
    ("3pm UTC+2", AUCKLAND, FRI, E("@2026-11-27T15:00:00+02:00")),
    ("3pm UTC+2", HONOLULU, FRI, E("@2026-11-28T15:00:00+02:00")),
    ("tomorrow 3pm my time", BERLIN, FRI, E("2026-11-28 15:00")),
    ("3pm ET tomorrow", HONOLULU, HNL_US_SPRING, E("@2026-03-08T15:00:00-04:00")),
    ("3pm PST tomorrow", NY, NY_SPRING, E("@2026-03-08T15:00:00-07:00")),
    # New York, the 25-hour Sunday
    ("tomorrow", NY, NY_FALL, W("2026-11-01T00:00:00-04:00", "2026-11-02T00:00:00-05:00")),
    ("tomorrow 1:30am", NY, NY_FALL, E("2026-11-01T01:30:00-04:00")),  # the first 1:30
    ("tomorrow 2:30am", NY, NY_FALL, E("2026-11-01T02:30:00-05:00")),
    ("tomorrow 3:30", NY, NY_FALL, E("2026-11-01T15:30:00-05:00")),
    ("sunday afternoon", NY, NY_FALL, W("2026-11-01T12:00:00-05:00", "2026-11-01T17:00:00-05:00")),
    ("sun 9-5", NY, NY_FALL, W("2026-11-01T09:00:00-05:00", "2026-11-01T17:00:00-05:00")),
    ("sat to mon", NY, NY_FALL, W(NY_FALL, "2026-11-03T00:00:00-05:00")),
    ("next 2 days", NY, NY_FALL, W(NY_FALL, "2026-11-02T10:15:00-05:00")),  # wall clock
    ("midnight", NY, NY_FALL, E("2026-11-01T00:00:00-04:00")),
    # New York, the 23-hour Sunday
    ("tomorrow", NY, NY_SPRING, W("2026-03-08T00:00:00-05:00", "2026-03-09T00:00:00-04:00")),
    ("tomorrow 2:30am", NY, NY_SPRING, E("2026-03-08T03:30:00-04:00")),  # skipped: moved on
    ("tomorrow 3", NY, NY_SPRING, E("2026-03-08T15:00:00-04:00")),
    ("sun morning", NY, NY_SPRING, W("2026-03-08T08:00:00-04:00", "2026-03-08T12:00:00-04:00")),
    (
        "tomorrow to monday",
        NY,
        NY_SPRING,
        W("2026-03-08T00:00:00-05:00", "2026-03-10T00:00:00-04:00"),
    ),
    ("next 2 days", NY, NY_SPRING, W(NY_SPRING, "2026-03-09T10:15:00-04:00")),
    # Berlin, both changes
    ("tomorrow", BERLIN, BER_FALL, W("2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00")),
    ("sunday 2:30am", BERLIN, BER_FALL, E("2026-10-25T02:30:00+02:00")),
    ("sunday 3:30", BERLIN, BER_FALL, E("2026-10-25T15:30:00+01:00")),
    ("sun evening", BERLIN, BER_FALL, W("2026-10-25T17:00:00+01:00", "2026-10-25T21:00:00+01:00")),
    ("this weekend", BERLIN, BER_FALL, W(BER_FALL, "2026-10-26T00:00:00+01:00")),
    ("tomorrow 9-5", BERLIN, BER_FALL, W("2026-10-25T09:00:00+01:00", "2026-10-25T17:00:00+01:00")),
    ("tomorrow", BERLIN, BER_SPRING, W("2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00")),
    ("tomorrow 2:30am", BERLIN, BER_SPRING, E("2026-03-29T03:30:00+02:00")),
    ("sunday 10am", BERLIN, BER_SPRING, E("2026-03-29T10:00:00+02:00")),
    ("sat to sun", BERLIN, BER_SPRING, W(BER_SPRING, "2026-03-30T00:00:00+02:00")),
    # Auckland, both changes (southern hemisphere: spring in September)
    ("tomorrow", AUCKLAND, AKL_SPRING, W("2026-09-27T00:00:00+12:00", "2026-09-28T00:00:00+13:00")),
    ("tomorrow 2:30am", AUCKLAND, AKL_SPRING, E("2026-09-27T03:30:00+13:00")),
    (
        "sunday afternoon",
        AUCKLAND,
        AKL_SPRING,
        W("2026-09-27T12:00:00+13:00", "2026-09-27T17:00:00+13:00"),
    ),
    ("next 2 days", AUCKLAND, AKL_SPRING, W(AKL_SPRING, "2026-09-28T10:15:00+13:00")),
    ("tomorrow", AUCKLAND, AKL_FALL, W("2026-04-05T00:00:00+13:00", "2026-04-06T00:00:00+12:00")),
    ("tomorrow 2:30am", AUCKLAND, AKL_FALL, E("2026-04-05T02:30:00+13:00")),
    ("sunday 3:30", AUCKLAND, AKL_FALL, E("2026-04-05T15:30:00+12:00")),
    ("sun 9-5", AUCKLAND, AKL_FALL, W("2026-04-05T09:00:00+12:00", "2026-04-05T17:00:00+12:00")),
    # Honolulu on the US change: no DST there
    (
        "tomorrow",
        HONOLULU,
        HNL_US_SPRING,
        W("2026-03-08T00:00:00-10:00", "2026-03-09T00:00:00-10:00"),
    ),
    ("tomorrow 2:30am", HONOLULU, HNL_US_SPRING, E("2026-03-08T02:30:00-10:00")),
]

TABLE: list[Row] = [(p, tz, FRI, want) for tz in ZONES for p, want in SHARED] + SPECIFIC


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    warm_up()


def _now(now: str, tz: str) -> datetime:
    if "T" in now:
        return datetime.fromisoformat(now)
    return datetime.fromisoformat(now).replace(tzinfo=ZoneInfo(tz))


def _check(actual: datetime, expected: str, tz: str, now: datetime) -> None:
    """Same instant; same offset too unless the row names another zone's instant (`@`)."""
    assert actual.tzinfo == ZoneInfo(tz), actual
    if expected == NOW:
        assert actual == now and actual.timestamp() == now.timestamp()
        return
    instant_only = expected.startswith("@")
    text = expected.lstrip("@")
    want = datetime.fromisoformat(text)
    if want.tzinfo is None:
        want = want.replace(tzinfo=ZoneInfo(tz))
    assert actual.timestamp() == want.timestamp(), (actual.isoformat(), want.isoformat())
    if not instant_only:
        assert actual.utcoffset() == want.utcoffset(), (actual.isoformat(), want.isoformat())


@pytest.mark.parametrize(("phrase", "tz", "now", "expected"), TABLE)
def test_phrase_table(phrase: str, tz: str, now: str, expected: tuple[str, ...]) -> None:
    asked = _now(now, tz)
    if expected[0] == "refused":
        with pytest.raises(WhenError) as caught:
            parse_when(phrase, now=asked, tz=tz)
        message = str(caught.value)
        assert expected[1] in message, message
        assert "`" in message, message  # every refusal shows something to copy
        assert len(message) < 400, message  # a huge number is never echoed whole
        return
    result = parse_when(phrase, now=asked, tz=tz)
    assert result.label
    if expected[0] == "window":
        assert isinstance(result, Window), result
        _check(result.start, expected[1], tz, asked)
        _check(result.end, expected[2], tz, asked)
    else:
        assert isinstance(result, Exact), result
        _check(result.start, expected[1], tz, asked)


def test_table_covers_every_zone_with_at_least_250_phrases() -> None:
    counts = Counter(tz for _, tz, _, _ in TABLE)
    assert len(TABLE) >= 250
    assert set(counts) == set(ZONES)
    assert min(counts.values()) >= 60


@pytest.mark.parametrize(
    ("phrase", "shows"),
    [
        ("dec 5 3pm PST", ["3pm PST", "6pm your time"]),
        ("this evening at 12", ["midnight"]),
        ("around 3pm", ["around 3pm"]),
        ("mon - fri", ["Mon 30 Nov", "Fri 4 Dec"]),
        ("July 13-15", ["13 Jul", "15 Jul"]),
        ("11:30-1:30", ["11:30am", "1:30pm"]),
    ],
)
def test_labels_show_what_was_understood(phrase: str, shows: list[str]) -> None:
    """The label is how a user catches a misread: it spells out the day and the clock."""
    label = parse_when(phrase, now=_now(FRI, NY), tz=NY).label
    for fragment in shows:
        assert fragment in label, label
