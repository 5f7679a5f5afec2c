"""Pages of free times for the picker: every free time on exactly one page, both ways.

Pure: no I/O. The times of a picker are cut into pages greedily from where the picker
began (its anchor, the asked window's start): whole days while they fit in 25 buttons and
20 days, and a crowded day (more than 25 free times) in runs of 25 within the day. The
asked window's end is a page boundary too, so the first page shows only what was asked.

Later shows the page that starts at the first time after the current page. Earlier
rebuilds the pages from the anchor and shows the one before the current page, so it is
exactly the inverse of Later: walking forward and back meets every free time once.
A cursor travels in the button's value as epoch seconds: anchor, window end, page start.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.blocks import limits

PAGE_SLOTS = limits.PICKER_SLOTS  # buttons a picker shows at most
PAGE_DAYS = limits.PICKER_DAYS  # days a picker shows at most (two blocks each)
REACH = timedelta(days=21)  # how far past a page's start we look to fill it and the next


@dataclass(frozen=True)
class Cursor:
    """Where a page of a picker starts, and how that picker's pages are cut."""

    anchor: datetime  # the picker's first moment (the asked window's start)
    end: datetime  # the asked window's end: pages never straddle it
    at: datetime  # the first moment of the page (Later), or of the page after it (Earlier)

    def encode(self) -> str:
        return ".".join(str(int(t.timestamp())) for t in (self.anchor, self.end, self.at))

    @staticmethod
    def decode(text: str, tz: str) -> Cursor | None:
        """A cursor from a button's value; None when it was tampered with."""
        parts = text.split(".")
        if len(parts) != 3 or not all(p.isascii() and p.isdigit() and len(p) <= 12 for p in parts):
            return None
        zone = ZoneInfo(tz)
        anchor, end, at = (datetime.fromtimestamp(int(p), UTC).astimezone(zone) for p in parts)
        if not anchor <= at or not anchor < end:
            return None
        return Cursor(anchor, end, at)


@dataclass(frozen=True)
class Page:
    """The times one picker message shows, by day, and where Earlier/Later lead."""

    days: dict[date, list[datetime]]
    earlier: Cursor | None
    later: Cursor | None

    @property
    def later_day(self) -> date | None:
        return self.later.at.date() if self.later else None


def page_ends(times: list[datetime], start: int, boundary: int) -> int:
    """The end (exclusive) of the page that starts at index `start` of sorted `times`.

    Whole days while they fit; a first day with more than PAGE_SLOTS times is cut in runs.
    A page never crosses index `boundary` (the first time at or after the window's end).
    """
    stop = boundary if start < boundary else len(times)
    i, days = start, 0
    while i < stop and days < PAGE_DAYS:
        day = times[i].date()
        j = i
        while j < stop and times[j].date() == day:
            j += 1
        if i == start and j - start > PAGE_SLOTS:
            return start + PAGE_SLOTS  # a crowded day: a run of 25 within it
        if j - start > PAGE_SLOTS:
            return i  # the next whole day does not fit: it starts the next page
        i, days = j, days + 1
    return i


def page_starts(times: list[datetime], boundary: int, until: int) -> list[int]:
    """The start index of every page from the anchor (index 0) up to index `until`."""
    starts, i = [], 0
    while i < until and i < len(times):
        starts.append(i)
        i = page_ends(times, i, boundary)
    return starts


def page_at(times: list[datetime], cursor: Cursor, *, earlier: bool) -> Page:
    """The page a cursor leads to, from the picker's free times (sorted, from the anchor on,
    reaching at least REACH past `cursor.at`)."""
    boundary = next((k for k, t in enumerate(times) if t >= cursor.end), len(times))
    at = next((k for k, t in enumerate(times) if t >= cursor.at), len(times))
    if earlier:
        before = page_starts(times, boundary, at)
        start = before[-1] if before else 0
    else:
        start = at
    end = page_ends(times, start, boundary)
    shown: dict[date, list[datetime]] = {}
    for t in times[start:end]:
        shown.setdefault(t.date(), []).append(t)
    back = Cursor(cursor.anchor, cursor.end, times[start]) if start > 0 else None
    ahead = Cursor(cursor.anchor, cursor.end, times[end]) if end < len(times) else None
    return Page(shown, back, ahead)
