"""The connected user and what hangs off the account: calendars, conferencing, teams,
verified emails."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.calcom.models.fields import dict_list, opt_int, opt_str


@dataclass(frozen=True)
class Me:
    """The connected Cal.com user (``GET /v2/me``)."""

    id: int
    username: str
    email: str
    name: str | None
    time_zone: str
    time_format: int | None = None  # 12 or 24
    week_start: str | None = None
    default_schedule_id: int | None = None
    organization_id: int | None = None
    bio: str | None = None
    avatar_url: str | None = None
    locale: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Me:
        return cls(
            id=opt_int(data.get("id")) or 0,
            username=str(data.get("username") or ""),
            email=str(data.get("email") or ""),
            name=opt_str(data.get("name")),
            time_zone=str(data.get("timeZone") or "UTC"),
            time_format=opt_int(data.get("timeFormat")),
            week_start=opt_str(data.get("weekStart")),
            default_schedule_id=opt_int(data.get("defaultScheduleId")),
            organization_id=opt_int(data.get("organizationId")),
            bio=opt_str(data.get("bio")),
            avatar_url=opt_str(data.get("avatarUrl")),
            locale=opt_str(data.get("locale")),
            raw=data,
        )

    @property
    def display_name(self) -> str:
        return self.name or self.username or self.email


@dataclass(frozen=True)
class Calendar:
    external_id: str
    name: str | None
    integration: str | None = None
    email: str | None = None
    primary: bool = False
    read_only: bool = False
    is_selected: bool = False
    credential_id: int | None = None

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Calendar:
        return cls(
            external_id=str(data.get("externalId") or ""),
            name=opt_str(data.get("name")),
            integration=opt_str(data.get("integration")),
            email=opt_str(data.get("email") or data.get("primaryEmail")),
            primary=bool(data.get("primary")),
            read_only=bool(data.get("readOnly", False)),
            is_selected=bool(data.get("isSelected", False)),
            credential_id=opt_int(data.get("credentialId")),
        )


@dataclass(frozen=True)
class ConnectedCalendar:
    """One connected calendar account (e.g. a Google account) and its calendars."""

    integration_name: str
    integration_type: str | None
    credential_id: int | None
    primary: Calendar | None
    calendars: tuple[Calendar, ...]

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> ConnectedCalendar:
        integration = data.get("integration") if isinstance(data.get("integration"), dict) else {}
        primary = data.get("primary")
        return cls(
            integration_name=str(
                integration.get("title") or integration.get("name") or integration.get("slug") or ""
            ),
            integration_type=opt_str(integration.get("type")),
            credential_id=opt_int(data.get("credentialId")),
            primary=Calendar.from_api(primary) if isinstance(primary, dict) else None,
            calendars=tuple(Calendar.from_api(c) for c in dict_list(data.get("calendars"))),
        )


@dataclass(frozen=True)
class Calendars:
    """``GET /v2/calendars``: connected calendar accounts and where new events are written."""

    connected: tuple[ConnectedCalendar, ...]
    destination: Calendar | None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Calendars:
        destination = data.get("destinationCalendar")
        return cls(
            connected=tuple(
                ConnectedCalendar.from_api(c) for c in dict_list(data.get("connectedCalendars"))
            ),
            destination=Calendar.from_api(destination) if isinstance(destination, dict) else None,
            raw=data,
        )

    def __len__(self) -> int:
        return len(self.connected)


@dataclass(frozen=True)
class ConferencingApp:
    id: int
    type: str  # e.g. google_video, zoom_video, daily_video
    user_id: int | None = None
    invalid: bool = False
    app_id: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> ConferencingApp:
        return cls(
            id=opt_int(data.get("id")) or 0,
            type=str(data.get("type") or ""),
            user_id=opt_int(data.get("userId")),
            invalid=bool(data.get("invalid")),
            app_id=opt_str(data.get("appId")),
            raw=data,
        )


@dataclass(frozen=True)
class DefaultConferencing:
    app_slug: str | None
    app_link: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> DefaultConferencing:
        return cls(
            app_slug=opt_str(data.get("appSlug")), app_link=opt_str(data.get("appLink")), raw=data
        )


@dataclass(frozen=True)
class Team:
    id: int
    name: str
    slug: str | None = None
    is_organization: bool = False
    parent_id: int | None = None
    time_zone: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Team:
        return cls(
            id=opt_int(data.get("id")) or 0,
            name=str(data.get("name") or ""),
            slug=opt_str(data.get("slug")),
            is_organization=bool(data.get("isOrganization", False)),
            parent_id=opt_int(data.get("parentId")),
            time_zone=opt_str(data.get("timeZone")),
            raw=data,
        )


@dataclass(frozen=True)
class VerifiedEmail:
    id: int | None
    email: str
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> VerifiedEmail:
        return cls(id=opt_int(data.get("id")), email=str(data.get("email") or ""), raw=data)
