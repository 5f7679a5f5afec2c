"""A time zone named in the phrase ("3pm PST", "CET", "UTC+2", "Berlin time").

A zone the user names is honoured (the phrase is read on that zone's clock and the answer
converted to the user's zone) or refused with a message; it is never silently dropped.
Abbreviations stand for the region people mean by them, so "PST" in July is Pacific time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from bot.when.values import WhenError

_ABBREVIATIONS = {
    "utc": "UTC",
    "gmt": "UTC",
    "z": "UTC",
    "zulu": "UTC",
    "pst": "America/Los_Angeles",
    "pdt": "America/Los_Angeles",
    "pt": "America/Los_Angeles",
    "est": "America/New_York",
    "edt": "America/New_York",
    "et": "America/New_York",
    "cst": "America/Chicago",
    "cdt": "America/Chicago",
    "ct": "America/Chicago",
    "mst": "America/Denver",
    "mdt": "America/Denver",
    "mt": "America/Denver",
    "akst": "America/Anchorage",
    "akdt": "America/Anchorage",
    "hst": "Pacific/Honolulu",
    "cet": "Europe/Berlin",
    "cest": "Europe/Berlin",
    "eet": "Europe/Athens",
    "eest": "Europe/Athens",
    "bst": "Europe/London",
    "ist": "Asia/Kolkata",
    "jst": "Asia/Tokyo",
    "kst": "Asia/Seoul",
    "sgt": "Asia/Singapore",
    "aest": "Australia/Sydney",
    "aedt": "Australia/Sydney",
    "nzst": "Pacific/Auckland",
    "nzdt": "Pacific/Auckland",
    "nzt": "Pacific/Auckland",
}
_REGIONS = {
    "pacific": "America/Los_Angeles",
    "eastern": "America/New_York",
    "central": "America/Chicago",
    "mountain": "America/Denver",
    "central european": "Europe/Berlin",
    "uk": "Europe/London",
    "british": "Europe/London",
    "ny": "America/New_York",
    "nyc": "America/New_York",
    "sf": "America/Los_Angeles",
    "la": "America/Los_Angeles",
    "hawaii": "Pacific/Honolulu",
    "india": "Asia/Kolkata",
    "japan": "Asia/Tokyo",
    "germany": "Europe/Berlin",
    "france": "Europe/Paris",
    "new zealand": "Pacific/Auckland",
    "nz": "Pacific/Auckland",
    "sydney": "Australia/Sydney",
    "local": "",
    "my": "",
    "our": "",
}
# Words before "time" that are no zone: "lunch time", "any time", "same time".
_NOT_ZONES = frozenset({"lunch", "any", "some", "same", "this", "that", "a", "the", "free", "tea"})
_ABBREVIATION = re.compile(
    r"(?:\b(?:in|at)\s+)?\b(" + "|".join(_ABBREVIATIONS) + r")\b(?!\s*[+-]\d)"
)
_OFFSET = re.compile(r"(?:\bin\s+)?\b(?:utc|gmt)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?\b")
_NAMED_TIME = re.compile(r"(?:\b(?:in|at)\s+)?\b((?:[a-z]+ ){0,2}[a-z]+) time\b")


@dataclass(frozen=True)
class NamedZone:
    zone: ZoneInfo
    name: str  # as shown back: "PST", "Berlin time", "UTC+2"


@cache
def _cities() -> dict[str, str]:
    """ "berlin" -> "Europe/Berlin", "new york" -> "America/New_York" (built once)."""
    cities: dict[str, str] = {}
    for key in sorted(available_timezones()):
        if "/" in key and not key.startswith(("Etc/", "SystemV/", "posix/", "right/")):
            cities.setdefault(key.rsplit("/", 1)[1].replace("_", " ").lower(), key)
    return cities


def warm_up() -> None:
    _cities()


def take_zone(phrase: str) -> tuple[NamedZone | None, str]:
    """The zone named in `phrase`, if any, and the phrase without it."""
    if m := _OFFSET.search(phrase):
        sign, hours, minutes = m.group(1), int(m.group(2)), int(m.group(3) or 0)
        if minutes or hours > 14:
            raise WhenError(
                f"I can only use whole-hour offsets like `UTC+2`; for “{m.group(0).strip()}” "
                "name the place instead, like `3pm Kolkata time`."
            )
        label = f"UTC{sign}{hours}"
        key = "UTC" if hours == 0 else f"Etc/GMT{'-' if sign == '+' else '+'}{hours}"
        return NamedZone(ZoneInfo(key), label), _cut(phrase, m)
    if m := _NAMED_TIME.search(phrase):
        words = m.group(1).split()
        for size in range(len(words), 0, -1):
            place = " ".join(words[-size:])
            key = _REGIONS.get(place, _cities().get(place))
            if key is None and place in _ABBREVIATIONS:
                key = _ABBREVIATIONS[place]
            if key is not None:
                head = " ".join(words[:-size])
                rest = _cut(phrase, m, keep=head)
                if key == "":
                    return None, rest  # "my time", "local time": the user's own zone
                return NamedZone(ZoneInfo(key), f"{place.title()} time"), rest
        if words[-1] not in _NOT_ZONES:
            raise WhenError(
                f"I don't know the time zone “{m.group(0).strip()}”. Name a city or a "
                "zone, like `3pm Berlin time`, `3pm PST` or `15:00 UTC`."
            )
    if m := _ABBREVIATION.search(phrase):
        name = m.group(1)
        return NamedZone(ZoneInfo(_ABBREVIATIONS[name]), name.upper()), _cut(phrase, m)
    return None, phrase


def _cut(phrase: str, m: re.Match[str], keep: str = "") -> str:
    return re.sub(r"\s+", " ", f"{phrase[: m.start()]} {keep} {phrase[m.end() :]}").strip()
