"""Numbers a button or select carries, read defensively."""

from __future__ import annotations

import re


def number(value: object) -> int | None:
    """An id or epoch a button carries: ASCII digits, at most 12 (SQLite and datetime take
    them); None for anything else, so a doctored value is ignored, never a crash."""
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,12}", value.strip()):
        return int(value)
    return None
