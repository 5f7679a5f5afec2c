"""Numbers a button or select carries, read defensively."""

from __future__ import annotations

import re


def number(value: object) -> int | None:
    """An id or epoch a button carries: ASCII digits, at most 12 (SQLite and datetime take
    them); None for anything else, so a doctored value is ignored, never a crash."""
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,12}", value.strip()):
        return int(value)
    return None


LAST_EPOCH = 253_402_300_799  # 9999-12-31 23:59:59 UTC, the last second datetime can hold


def epoch(value: object) -> int | None:
    """A time a button or select carries, in seconds: `number`, and one datetime can hold
    (twelve digits can name the year 33658); None for anything else."""
    seconds = number(value)
    return seconds if seconds is not None and seconds <= LAST_EPOCH else None
