"""Reading Cal.com's JSON leniently: times, and fields that may be missing or mistyped.

Every model reads Cal.com's fields through these, so a value of the wrong type or a missing
one becomes None (or an empty tuple or list) rather than an exception.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def parse_datetime(value: Any) -> datetime | None:
    """An ISO 8601 string (``Z``, offsets and milliseconds allowed) as an aware datetime.

    A string without an offset is taken as UTC, as Cal.com documents its times.
    """
    if not value or not isinstance(value, str):
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def format_datetime(value: datetime) -> str:
    """An aware datetime as Cal.com wants it: UTC, ISO 8601, ``Z`` suffix."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value!r}: pass a timezone-aware datetime")
    utc = value.astimezone(UTC)
    if utc.microsecond:
        return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"
    return utc.strftime("%Y-%m-%dT%H:%M:%SZ")


def opt_int(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def opt_str(value: Any) -> str | None:
    if value is None:
        return None
    return str(value)


def str_tuple(values: Any) -> tuple[str, ...]:
    if not isinstance(values, list | tuple):
        return ()
    return tuple(str(v) for v in values if v is not None)


def dict_list(values: Any) -> list[dict[str, Any]]:
    if not isinstance(values, list | tuple):
        return []
    return [v for v in values if isinstance(v, dict)]
