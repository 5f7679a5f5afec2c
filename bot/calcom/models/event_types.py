"""Event types (2024-06-14 shape)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.calcom.models.fields import dict_list, opt_int, opt_str, str_tuple


@dataclass(frozen=True)
class EventType:
    """An event type (2024-06-14 shape: ``lengthInMinutes``, ``ownerId``...)."""

    id: int
    title: str
    slug: str
    length: int  # minutes
    description: str | None = None
    hidden: bool = False
    owner_id: int | None = None
    schedule_id: int | None = None
    length_options: tuple[int, ...] = ()
    locations: tuple[dict[str, Any], ...] = ()
    requires_confirmation: bool = False
    users: tuple[str, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> EventType:
        length = data.get("lengthInMinutes", data.get("length"))
        policy = data.get("confirmationPolicy")
        requires_confirmation = bool(data.get("requiresConfirmation")) or (
            isinstance(policy, dict) and bool(policy) and not policy.get("disabled", False)
        )
        return cls(
            id=opt_int(data.get("id")) or 0,
            title=str(data.get("title") or ""),
            slug=str(data.get("slug") or ""),
            length=opt_int(length) or 0,
            description=opt_str(data.get("description")) or None,
            hidden=bool(data.get("hidden", False)),
            owner_id=opt_int(data.get("ownerId", data.get("userId"))),
            schedule_id=opt_int(data.get("scheduleId")),
            length_options=tuple(
                n for n in (opt_int(v) for v in data.get("lengthInMinutesOptions") or ()) if n
            ),
            locations=tuple(dict_list(data.get("locations"))),
            requires_confirmation=requires_confirmation,
            users=str_tuple(data.get("users")),
            raw=data,
        )
