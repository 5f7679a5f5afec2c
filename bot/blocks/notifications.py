"""Booking notifications as Slack messages, and the replies of `/cal notify`. Pure.

A notification is read by a whole channel, so every time is Slack's date token (each
reader sees their own zone); the plain-text fallback (push notifications, old clients)
uses the host's zone. Example fallback: "New booking: Intro call, Thu 26 Nov, 3:00 PM EST,
Jane Doe with Alice Wong".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks.kit import actions, button, context, message, section
from bot.blocks.timefmt import day_and_clock, slack_date
from bot.grammar import ALL_TRIGGERS
from bot.ids import Action, Block
from bot.models import BookingEvent, Subscription

# kind -> (emoji, lead word)
LEADS: dict[str, tuple[str, str]] = {
    "created": (":calendar:", "New booking"),
    "rescheduled": (":repeat:", "Rescheduled"),
    "reschedule_asked": (":repeat:", "Reschedule requested"),
    "moved": (":repeat:", "Rescheduled"),
    "cancelled": (":x:", "Cancelled"),
    "requested": (":raised_hand:", "Booking request"),
    "rejected": (":no_entry_sign:", "Declined"),
    "no_show": (":ghost:", "No-show"),
    "no_show_cleared": (":ballot_box_with_check:", "No-show mark removed"),
}

# kinds whose booking no longer happens at the time shown: no Join button
NO_JOIN = frozenset({"cancelled", "rejected", "reschedule_asked", "no_show", "no_show_cleared"})

# Slack errors that stop a subscription until someone acts, as the owner is told about them
BROKEN_REASONS: dict[str, str] = {
    "channel_not_found": "that channel no longer exists, or it is private and I'm not in it",
    "not_in_channel": "I'm not a member of that channel any more",
    "is_archived": "that channel is archived",
}


# who acted, as Cal.com names them (an email), on the kinds that say it
BY_VERB: dict[str, str] = {
    "cancelled": "Cancelled",
    "reschedule_asked": "Asked",
    "rescheduled": "Rescheduled",
    "rejected": "Declined",
}


def _lead(event: BookingEvent) -> tuple[str, str]:
    emoji, word = LEADS.get(event.kind, (":calendar:", "Booking update"))
    if event.kind == "rescheduled" and event.needs_confirmation:
        word = "Reschedule request"
    return emoji, word


def _local(when: datetime, event: BookingEvent) -> datetime:
    """`when` in the host's zone, for the fallback text."""
    zone = event.organizer.time_zone if event.organizer else None
    try:
        return when.astimezone(ZoneInfo(zone)) if zone else when
    except (ValueError, KeyError):
        return when


def fallback_time(when: datetime | None, event: BookingEvent) -> str:
    if when is None:
        return "time unknown"
    local = _local(when, event)
    return f"{day_and_clock(local)} {local:%Z}".strip()


def _token(when: datetime, event: BookingEvent) -> str:
    return slack_date(_local(when, event))


def _people(event: BookingEvent) -> str:
    guests = ", ".join(a.label for a in event.attendees) or "a guest"
    host = event.organizer.label if event.organizer else None
    return f"{guests} with {host}" if host else guests


def _when_line(event: BookingEvent) -> str:
    if event.start is None:
        return ""
    when = _token(event.start, event)
    if event.kind == "rescheduled" and event.previous_start:
        when = f"~{_token(event.previous_start, event)}~ → {when}"
    length = f" · {event.length} min" if event.length else ""
    return when + length


def _details(event: BookingEvent, host_user_id: str | None) -> list[str]:
    lines = [_people(event)]
    if event.kind == "reschedule_asked":
        lines.append("The host asked for a new time; the guest picks one.")
    if event.kind == "no_show" and event.no_shows:
        lines.append(f"Marked as no-show: {', '.join(event.no_shows)}")
    if event.no_show_cleared:
        lines.append(f"No longer marked as no-show: {', '.join(event.no_show_cleared)}")
    if event.location and not event.join_url:
        lines.append(f":round_pushpin: {event.location}")
    elif event.location:
        lines.append(f"Where: {event.location}")
    if event.reason:
        lines.append(f"Reason: {event.reason}")
    if event.by and event.kind in BY_VERB:
        lines.append(f"{BY_VERB[event.kind]} by {event.by}")
    if event.needs_confirmation:
        who = f"<@{host_user_id}>" if host_user_id else "the host"
        lines.append(f"Waiting for {who} to confirm.")
    return lines


def summary_text(event: BookingEvent) -> str:
    """The notification's plain fallback: lead, title, time, people."""
    _, word = _lead(event)
    return f"{word}: {event.title}, {fallback_time(event.start, event)}, {_people(event)}"


def booking_message(
    event: BookingEvent, *, ref: int | None = None, host_user_id: str | None = None
) -> dict[str, Any]:
    """The channel message for `event`; a request gets Confirm and Decline (value `ref`)."""
    emoji, word = _lead(event)
    head = f"{emoji} *{word}:* *{event.title}*"
    when = _when_line(event)
    blocks = [section(f"{head}\n{when}" if when else head)]
    blocks.append(section("\n".join(_details(event, host_user_id))))
    buttons = []
    if event.join_url and event.kind not in NO_JOIN:
        buttons.append(button("Join", Action.JOIN_MEETING, url=event.join_url))
    if event.needs_confirmation and ref is not None:
        value = str(ref)
        buttons.append(button("Confirm", Action.NOTIFY_CONFIRM, value=value, style="primary"))
        buttons.append(button("Decline", Action.NOTIFY_DECLINE, value=value, style="danger"))
    if buttons:
        blocks.append(actions(*buttons, block_id=Block.NOTIFY_ACTIONS))
    return message(summary_text(event), blocks)


def moved_message(cancelled: BookingEvent, rescheduled: BookingEvent) -> dict[str, Any]:
    """A "Cancelled" post corrected once the reschedule it was half of arrived late."""
    moved = BookingEvent(
        **{
            **rescheduled.__dict__,
            "previous_start": rescheduled.previous_start or cancelled.start,
            "needs_confirmation": False,
        }
    )
    original = booking_message(moved)
    blocks = [b for b in original["blocks"] if b.get("block_id") != Block.NOTIFY_ACTIONS]
    blocks.append(context(":information_source: Moved to a new time, not cancelled."))
    return message(original["text"], blocks)


def decided_message(
    event: BookingEvent, *, confirmed: bool, by_user_id: str, reason: str | None = None
) -> dict[str, Any]:
    """The request once the host acted: the same facts, no buttons, and what was decided."""
    original = booking_message(
        BookingEvent(**{**event.__dict__, "needs_confirmation": False, "reason": None})
    )
    blocks = [b for b in original["blocks"] if b.get("block_id") != Block.NOTIFY_ACTIONS]
    if confirmed:
        note = f":white_check_mark: Confirmed by <@{by_user_id}>"
    else:
        note = f":no_entry_sign: Declined by <@{by_user_id}>" + (f": {reason}" if reason else "")
    blocks.append(context(note))
    verb = "Confirmed" if confirmed else "Declined"
    return message(f"{verb}: {event.title}, {fallback_time(event.start, event)}", blocks)


# --- replies to `/cal notify` ------------------------------------------------------------


def target_label(sub: Subscription) -> str:
    return f"<#{sub.channel_id}>" if sub.channel_id else "your DMs"


def _scope(sub: Subscription) -> str:
    what = f"*{sub.event_type_title}*" if sub.event_type_title else "all your event types"
    triggers = "all" if set(sub.triggers) >= set(ALL_TRIGGERS) else ", ".join(sub.triggers)
    return f"{what} ({triggers})"


def subscribed(sub: Subscription, *, updated: bool) -> dict[str, Any]:
    lead = "Updated: booking" if updated else "Booking"
    text = f":bell: {lead} notifications for {_scope(sub)} go to {target_label(sub)}."
    return message(
        text,
        [
            section(text),
            context("`/cal notify list` shows them all; `/cal notify off #channel` stops them."),
        ],
    )


def subscription_list(subs: list[Subscription]) -> dict[str, Any]:
    if not subs:
        text = "You have no booking notifications. Try `/cal notify #channel` or `/cal notify me`."
        return message(text, [section(text)])
    blocks = [section(f"*Your booking notifications* ({len(subs)})")]
    for sub in subs:
        line = f"{target_label(sub)}: {_scope(sub)}"
        if sub.broken:
            line += f"\n:warning: Not delivered: {BROKEN_REASONS.get(sub.broken, sub.broken)}."
        blocks.append(
            section(line, accessory=button("Turn off", Action.NOTIFY_OFF, value=str(sub.id)))
        )
    return message("Your booking notifications", blocks)


def turned_off(channel_id: str | None, count: int) -> dict[str, Any]:
    where = f"<#{channel_id}>" if channel_id else "your DMs"
    text = (
        f":no_bell: Booking notifications to {where} are off."
        if count
        else f"You have no booking notifications going to {where}."
    )
    return message(text, [section(text)])


def delivery_broken(sub: Subscription, error: str) -> dict[str, Any]:
    """The one DM an owner gets when Slack stops taking their notifications."""
    why = BROKEN_REASONS.get(error, f"Slack said `{error}`")
    text = (
        f":warning: I couldn't post a booking notification to {target_label(sub)}: {why}. "
        f"Invite me there (`/invite @calbot`) and run `/cal notify` again, "
        f"or stop them with `/cal notify off`."
    )
    return message(text, [section(text)])
