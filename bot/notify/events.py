"""Cal.com webhook deliveries read into one plain value, with Cal.com's quirks decided here.

A delivery is `{triggerEvent, createdAt, payload}` (README, "Booking notifications"). What it
*means* is not always its trigger:

- a reschedule that needs the host's confirmation arrives as BOOKING_REQUESTED; it carries
  `rescheduleUid` / `rescheduleStartTime` (or `fromReschedule`), so it is a reschedule;
- the old half of a reschedule may arrive as BOOKING_CANCELLED. With `rescheduledToUid`
  set, the new half (BOOKING_RESCHEDULED or _REQUESTED) tells the story: kind "moved",
  never shown. A host's "request reschedule" is a cancellation whose `rescheduledToUid`
  is unset but which says `requestReschedule` (or `rescheduleRequested`, `rescheduled`):
  kind "reschedule_asked", never a cancellation. A plain-looking cancellation of a booking
  this subscription saw rescheduled is dropped by the worker (`rescheduled_from`), which
  holds plain cancellations a few seconds in case the reschedule comes second; for that,
  "cancelled" listens to reschedules too (`wanted` keeps them out of its channel).

Pure: no I/O. The endpoint uses `read_delivery` (cheap: the dedupe key), the worker
`normalise` (everything a message shows).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import orjson

from bot.calcom.models import parse_datetime
from bot.grammar import ALL_TRIGGERS
from bot.models import BookingEvent, Person

# What each `/cal notify` trigger word subscribes to at Cal.com. Reschedules also arrive as
# requests and cancellations (see above), so "rescheduled" listens to those, "cancelled"
# listens to reschedules (to know which cancellations are only their old halves), and the
# worker keeps only what the subscription asked for. BOOKING_CONFIRMED is no trigger (a 400).
CALCOM_TRIGGERS: dict[str, tuple[str, ...]] = {
    "created": ("BOOKING_CREATED",),
    "rescheduled": ("BOOKING_RESCHEDULED", "BOOKING_REQUESTED", "BOOKING_CANCELLED"),
    "cancelled": ("BOOKING_CANCELLED", "BOOKING_RESCHEDULED", "BOOKING_REQUESTED"),
    "requested": ("BOOKING_REQUESTED", "BOOKING_REJECTED"),
}
EVERYTHING_ELSE = ("BOOKING_NO_SHOW_UPDATED",)  # sent when a subscription takes all four
BOOKING_TRIGGERS = frozenset(t for ts in CALCOM_TRIGGERS.values() for t in ts) | frozenset(
    EVERYTHING_ELSE
)

# kind -> the `/cal notify` trigger word that asks for it
CATEGORY: dict[str, str] = {
    "created": "created",
    "rescheduled": "rescheduled",
    "reschedule_asked": "rescheduled",
    "moved": "rescheduled",
    "cancelled": "cancelled",
    "requested": "requested",
    "rejected": "requested",
}


def calcom_triggers(triggers: Iterable[str]) -> list[str]:
    """The Cal.com triggers a subscription's webhook needs, in a stable order."""
    chosen = set(triggers)
    wanted = [t for word in ALL_TRIGGERS if word in chosen for t in CALCOM_TRIGGERS[word]]
    if chosen >= set(ALL_TRIGGERS):
        wanted += EVERYTHING_ELSE
    return list(dict.fromkeys(wanted))


class Malformed(ValueError):
    """Not a Cal.com delivery: not JSON, not an object, or without a trigger or payload."""


@dataclass(frozen=True)
class Key:
    """What the outbox stores beside the body: enough to dedupe and to correlate."""

    trigger: str
    booking_uid: str | None
    start: str
    rescheduled_from: str | None

    @property
    def is_booking(self) -> bool:
        return self.trigger in BOOKING_TRIGGERS and bool(self.booking_uid)

    def dedupe(self, token: str) -> str:
        """One event for one subscription: Cal.com's retries and double sends share it."""
        raw = "\x1f".join((token, self.trigger, self.booking_uid or "", self.start))
        return hashlib.sha256(raw.encode()).hexdigest()


def parse_envelope(body: bytes) -> dict[str, Any]:
    """The delivery's JSON object, read by orjson: on the webhook route of every delivery,
    in a third of json's time (9 → 3 µs for Cal.com's 2 KB BOOKING_CREATED). It is
    stricter than json, never looser: it refuses NaN, Infinity, lone surrogates and nesting
    past 1,024 (`[[[[...`), none of which Cal.com's JSON.stringify writes."""
    try:
        envelope = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise Malformed("not JSON") from None
    if not isinstance(envelope, dict):
        raise Malformed("not a JSON object")
    if not isinstance(envelope.get("triggerEvent"), str) or not envelope["triggerEvent"]:
        raise Malformed("no triggerEvent")
    if not isinstance(envelope.get("payload"), dict):
        raise Malformed("no payload object")
    return envelope


def read_stored(body: str | bytes) -> Any:
    """A delivery the endpoint stored, read back (worker, buttons, reminders) by the parser
    that accepted it: json would raise RecursionError on nesting orjson takes (~990 levels
    against 1,024), failing a row the endpoint had answered 200."""
    return orjson.loads(body)


def read_delivery(body: bytes) -> Key:
    """The dedupe and correlation facts of a raw delivery; Malformed when it is none."""
    envelope = parse_envelope(body)
    payload = envelope["payload"]
    uid = _text(payload.get("uid")) or _text(payload.get("bookingUid"))
    start = parse_datetime(payload.get("startTime"))
    what = str(int(start.timestamp())) if start else _text(payload.get("startTime")) or ""
    if envelope["triggerEvent"] == "BOOKING_NO_SHOW_UPDATED":
        what = _no_show_marks(payload)  # no start: two updates differ by what they mark
    return Key(
        trigger=envelope["triggerEvent"],
        booking_uid=uid,
        start=what,
        rescheduled_from=_rescheduled_from(payload),
    )


def _no_show_marks(payload: dict[str, Any]) -> str:
    """A no-show update's identity: each attendee's email and mark, in a stable order."""
    marks = sorted(
        f"{_text(a.get('email')) or _text(a.get('name')) or '?'}={a.get('noShow') is True}"
        for a in _dicts(payload.get("attendees"))
    )
    return "no-show:" + ",".join(marks)


def normalise(envelope: dict[str, Any]) -> BookingEvent:
    """A parsed delivery (see `parse_envelope`) as one BookingEvent."""
    trigger = envelope["triggerEvent"]
    p = envelope["payload"]
    previous_start = parse_datetime(p.get("rescheduleStartTime"))
    is_reschedule = bool(_rescheduled_from(p) or previous_start)
    kind = _kind(trigger, p, is_reschedule)
    start, end = parse_datetime(p.get("startTime")), parse_datetime(p.get("endTime"))
    length = p.get("length") if isinstance(p.get("length"), int) else None
    if length is None and start and end:
        length = int((end - start).total_seconds() // 60)
    location, join_url = _where(p)
    attendees = tuple(_person(a) for a in _dicts(p.get("attendees")))
    return BookingEvent(
        kind=kind,
        trigger=trigger,
        uid=_text(p.get("uid")) or _text(p.get("bookingUid")) or "",
        title=_text(p.get("title")) or _text(p.get("eventTitle")) or "Booking",
        start=start,
        end=end,
        length=length,
        organizer=_person(p["organizer"]) if isinstance(p.get("organizer"), dict) else None,
        attendees=attendees,
        location=location,
        join_url=join_url,
        reason=_text(p.get("cancellationReason"))
        or _text(p.get("rejectionReason"))
        or _reschedule_reason(p),
        by=_text(p.get("rescheduledBy") if kind == "rescheduled" else p.get("cancelledBy"))
        or _text(p.get("cancelledBy"))
        or _text(p.get("rescheduledBy")),
        previous_start=previous_start,
        previous_end=parse_datetime(p.get("rescheduleEndTime")),
        needs_confirmation=trigger == "BOOKING_REQUESTED",
        no_shows=_marked(p, True) if kind in NO_SHOW_KINDS else (),
        no_show_cleared=_marked(p, False) if kind in NO_SHOW_KINDS else (),
    )


NO_SHOW_KINDS = ("no_show", "no_show_cleared")


def _marked(p: dict[str, Any], no_show: bool) -> tuple[str, ...]:
    """Who this no-show update marks (`no_show` True) or unmarks (False)."""
    return tuple(_person(a).label for a in _dicts(p.get("attendees")) if a.get("noShow") is no_show)


def _reschedule_reason(p: dict[str, Any]) -> str | None:
    """Cal.com puts the booker's reason in the booking form's answers
    (`responses.rescheduleReason.value`); API v2 reschedules say `reschedulingReason`."""
    responses = p.get("responses") if isinstance(p.get("responses"), dict) else {}
    answer = responses.get("rescheduleReason")
    if isinstance(answer, dict):
        answer = answer.get("value")
    return _text(answer) or _text(p.get("reschedulingReason")) or _text(p.get("rescheduleReason"))


def wanted(event: BookingEvent, triggers: Iterable[str]) -> bool:
    """Whether a subscription to `triggers` shows `event` (moved halves never show)."""
    chosen = set(triggers)
    if event.kind == "moved":
        return False
    if event.kind in NO_SHOW_KINDS:
        return chosen >= set(ALL_TRIGGERS)
    if event.needs_confirmation and "requested" in chosen:
        return True  # the host has to act, whether it is a new booking or a new time
    return CATEGORY.get(event.kind) in chosen


def _kind(trigger: str, p: dict[str, Any], is_reschedule: bool) -> str:
    if trigger == "BOOKING_CREATED":
        return "created"
    if trigger == "BOOKING_RESCHEDULED":
        return "rescheduled"
    if trigger == "BOOKING_REQUESTED":
        return "rescheduled" if is_reschedule else "requested"
    if trigger == "BOOKING_CANCELLED":
        if _text(p.get("rescheduledToUid")):
            return "moved"
        if any(p.get(flag) is True for flag in ("requestReschedule", "rescheduleRequested")):
            return "reschedule_asked"
        if p.get("rescheduled") is True:
            return "reschedule_asked"
        return "cancelled"
    if trigger == "BOOKING_REJECTED":
        return "rejected"
    if trigger == "BOOKING_NO_SHOW_UPDATED":  # noShow false on every one: a mark removed
        return "no_show" if _marked(p, True) or not _marked(p, False) else "no_show_cleared"
    return "other"


def _rescheduled_from(p: dict[str, Any]) -> str | None:
    return _text(p.get("rescheduleUid")) or _text(p.get("fromReschedule"))


# Cal.com names conferencing apps `integrations:<app>`; what people call them.
_APPS = {
    "daily": "Cal Video",
    "zoom": "Zoom",
    "google:meet": "Google Meet",
    "office365_video": "Microsoft Teams",
    "msteams": "Microsoft Teams",
    "whereby_video": "Whereby",
    "jitsi": "Jitsi",
}


def _where(p: dict[str, Any]) -> tuple[str | None, str | None]:
    """(a place to show, a link to join) from the payload's location and video data."""
    metadata = p.get("metadata") if isinstance(p.get("metadata"), dict) else {}
    video = p.get("videoCallData") if isinstance(p.get("videoCallData"), dict) else {}
    url = _web_url(metadata.get("videoCallUrl")) or _web_url(video.get("url"))
    location = _text(p.get("location"))
    if location and location.startswith(("https://", "http://")):
        return None, url or _web_url(location)
    if location and location.startswith("integrations:"):
        app = location.removeprefix("integrations:")
        return _APPS.get(app, app.replace("_", " ").title()), url
    return location, url


def _person(data: dict[str, Any]) -> Person:
    name = _text(data.get("name"))
    if not name:
        name = " ".join(filter(None, (_text(data.get("firstName")), _text(data.get("lastName")))))
    return Person(name or None, _text(data.get("email")), _text(data.get("timeZone")))


def _web_url(value: Any) -> str | None:
    """A link a Join button may carry: http(s), and within Slack's 3000 characters."""
    url = _text(value)
    if url and url.startswith(("https://", "http://")) and len(url) <= 3000 and " " not in url:
        return url
    return None


def _dicts(value: Any) -> list[dict[str, Any]]:
    """The objects of a list a payload should carry; [] for a list that is not one
    (a signed body may still say `"attendees": 5`: render the rest, lose nothing)."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
