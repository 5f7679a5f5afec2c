"""Profile, event types, schedules, calendars, conferencing, teams, verified emails."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .model import DEFAULT_HOURS, WEEKDAYS, ApiError, bad, not_found, zone
from .routing import (
    EVENT_TYPES_V,
    SCHEDULES_V,
    Ctx,
    int_param,
    maybe,
    need,
    ok,
    route,
)

if TYPE_CHECKING:
    from .core import CalcomEmulator

_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_LEGACY_LOCATION = {
    "cal-video": "integrations:daily",
    "google-meet": "integrations:google:meet",
    "zoom": "integrations:zoom",
    "office365-video": "integrations:office365_video",
}
_EVENT_TYPE_OPTIONS = {
    "description": str,
    "hidden": bool,
    "requiresConfirmation": bool,
    "minimumBookingNotice": int,
    "beforeEventBuffer": int,
    "afterEventBuffer": int,
    "slotInterval": int,
    "scheduleId": int,
    "locations": list,
    "metadata": dict,
    "disableGuests": bool,
    "lengthInMinutesOptions": list,
}


def _availability(items: Any, field: str = "availability") -> list[dict[str, Any]]:
    if not isinstance(items, list):
        raise bad(f"{field} must be an array")
    out = []
    for item in items:
        if not isinstance(item, dict):
            raise bad(f"each value in {field} must be an object")
        days = item.get("days")
        if field == "availability" and (
            not isinstance(days, list) or any(d not in WEEKDAYS for d in days)
        ):
            raise bad(
                "each value in days must be one of the following values: " + ", ".join(WEEKDAYS)
            )
        for key in ("startTime", "endTime"):
            if not isinstance(item.get(key), str) or not _HHMM.match(item[key]):
                raise bad(f"{key} must be a valid time in format HH:MM e.g. 08:00")
        entry = {"startTime": item["startTime"], "endTime": item["endTime"]}
        if field == "availability":
            entry = {"days": list(days), **entry}
        else:
            if not isinstance(item.get("date"), str):
                raise bad("date must be a valid ISO 8601 date string")
            entry = {"date": item["date"], **entry}
        out.append(entry)
    return out


def _minutes(hhmm: str) -> int:
    hh, mm = hhmm.split(":")
    return int(hh) * 60 + int(mm)


class ResourcesApi:
    # ------------------------------------------------------------- profile

    def _me_out(self: CalcomEmulator, user: Any) -> dict[str, Any]:
        return {
            "id": user.id,
            "username": user.username,
            "email": user.email,
            "name": user.name,
            "avatarUrl": user.avatar_url,
            "bio": user.bio,
            "timeFormat": user.time_format,
            "defaultScheduleId": user.default_schedule_id,
            "weekStart": user.week_start,
            "timeZone": user.time_zone,
            "locale": user.locale,
            "metadata": dict(user.metadata),
            "organizationId": None,
        }

    @route("GET", "/v2/me")
    def get_me(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        return ok(self._me_out(ctx.user))

    @route("PATCH", "/v2/me")
    def update_me(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        body, user = ctx.obj(), ctx.user
        for key, attr in (("name", "name"), ("email", "email"), ("bio", "bio")):
            value = maybe(body, key, str, "a string")
            if value is not None:
                setattr(user, attr, value)
        avatar = maybe(body, "avatarUrl", str, "a string")
        if avatar is not None:
            user.avatar_url = avatar
        fmt = maybe(body, "timeFormat", int, "12 or 24")
        if fmt is not None:
            if fmt not in (12, 24):
                raise bad("timeFormat must be 12 or 24")
            user.time_format = fmt
        week = maybe(body, "weekStart", str, "a string")
        if week is not None:
            if week not in WEEKDAYS:
                raise bad("weekStart must be one of the following values: " + ", ".join(WEEKDAYS))
            user.week_start = week
        locale = maybe(body, "locale", str, "a string")
        if locale is not None:
            user.locale = locale
        meta = maybe(body, "metadata", dict, "an object")
        if meta is not None:
            user.metadata = dict(meta)
        default = maybe(body, "defaultScheduleId", int, "a number")
        if default is not None:
            self._own_schedule(ctx, default)
            user.default_schedule_id = default
        tz = maybe(body, "timeZone", str, "a string")
        if tz is not None:
            zone(tz)
            user.time_zone = tz
            if user.schedule is not None:  # Cal.com moves the default schedule along
                user.schedule["timeZone"] = tz
        return ok(self._me_out(user))

    # ------------------------------------------------------------- event types

    def new_event_type(self: CalcomEmulator, owner_id: int, spec: dict[str, Any]) -> dict[str, Any]:
        """Create an event type record from a loose dict (test setup or API input)."""
        length = spec.get("length", spec.get("lengthInMinutes"))
        if not isinstance(length, int) or isinstance(length, bool) or length <= 0:
            raise bad("lengthInMinutes must be a positive number")
        title, slug = spec.get("title"), spec.get("slug")
        if not isinstance(title, str) or not title:
            raise bad("title must be a string")
        if not isinstance(slug, str) or not slug:
            raise bad("slug must be a string")
        if any(e["ownerId"] == owner_id and e["slug"] == slug for e in self.event_types.values()):
            raise bad("URL Slug already exists for given user.")
        et: dict[str, Any] = {
            "id": self.next_id("event_type"),
            "ownerId": owner_id,
            "title": title,
            "slug": slug,
            "length": length,
            "description": "",
            "hidden": False,
            "requiresConfirmation": False,
            "minimumBookingNotice": 0,
            "beforeEventBuffer": 0,
            "afterEventBuffer": 0,
            "slotInterval": None,
            "scheduleId": None,
            "locations": [{"type": "integration", "integration": "cal-video"}],
            "metadata": {},
            "disableGuests": False,
            "lengthInMinutesOptions": None,
        }
        for key, kind in _EVENT_TYPE_OPTIONS.items():
            if spec.get(key) is not None:
                if not isinstance(spec[key], kind) or isinstance(spec[key], bool) != (kind is bool):
                    raise bad(f"{key} has the wrong type")
                et[key] = spec[key]
        self.event_types[et["id"]] = et
        return et

    def _event_type_out(self: CalcomEmulator, et: dict[str, Any]) -> dict[str, Any]:
        owner = self.accounts[et["ownerId"]]
        out: dict[str, Any] = {
            "id": et["id"],
            "lengthInMinutes": et["length"],
            "title": et["title"],
            "slug": et["slug"],
            "description": et["description"],
            "locations": [dict(loc) for loc in et["locations"]],
            "bookingFields": [
                {
                    "type": "name",
                    "slug": "name",
                    "label": "Your name",
                    "placeholder": "",
                    "required": True,
                    "isDefault": True,
                },
                {
                    "type": "email",
                    "slug": "email",
                    "label": "Email address",
                    "placeholder": "",
                    "required": True,
                    "hidden": False,
                    "isDefault": True,
                },
            ],
            "disableGuests": et["disableGuests"],
            "slotInterval": et["slotInterval"],
            "minimumBookingNotice": et["minimumBookingNotice"],
            "beforeEventBuffer": et["beforeEventBuffer"],
            "afterEventBuffer": et["afterEventBuffer"],
            "recurrence": None,
            "metadata": dict(et["metadata"]),
            "price": 0,
            "currency": "usd",
            "lockTimeZoneToggleOnBookingPage": False,
            "seatsPerTimeSlot": None,
            "forwardParamsSuccessRedirect": None,
            "successRedirectUrl": None,
            "isInstantEvent": False,
            "seatsShowAvailabilityCount": False,
            "scheduleId": et["scheduleId"],
            "bookingLimitsCount": {},
            "onlyShowFirstAvailableSlot": False,
            "bookingLimitsDuration": {},
            "bookingWindow": [],
            "requiresBookerEmailVerification": False,
            "hideCalendarNotes": False,
            "hideCalendarEventDetails": False,
            "hideOrganizerEmail": False,
            "hidden": et["hidden"],
            "bookingRequiresAuthentication": False,
            "ownerId": et["ownerId"],
            "users": [owner.username],
        }
        if et["lengthInMinutesOptions"]:
            out["lengthInMinutesOptions"] = list(et["lengthInMinutesOptions"])
        if et["requiresConfirmation"]:
            out["confirmationPolicy"] = {"type": "always", "blockUnconfirmedBookingsInBooker": True}
        return out

    def _event_type_legacy(self: CalcomEmulator, et: dict[str, Any]) -> dict[str, Any]:
        legacy_locations = []
        for loc in et["locations"]:
            if loc.get("type") == "integration":
                legacy_locations.append({"type": _LEGACY_LOCATION.get(loc["integration"], "")})
            else:
                legacy_locations.append(dict(loc))
        return {
            "id": et["id"],
            "title": et["title"],
            "slug": et["slug"],
            "length": et["length"],
            "hidden": et["hidden"],
            "description": et["description"],
            "userId": et["ownerId"],
            "locations": legacy_locations,
            "requiresConfirmation": et["requiresConfirmation"],
            "scheduleId": et["scheduleId"],
            "minimumBookingNotice": et["minimumBookingNotice"],
            "metadata": dict(et["metadata"]),
        }

    def _own_event_type(self: CalcomEmulator, ctx: Ctx) -> dict[str, Any]:
        raw = ctx.params["eventTypeId"]
        et = self.event_types.get(int_param(raw, "eventTypeId"))
        if et is None or et["ownerId"] != ctx.user.id:
            raise not_found(f"Event type with id={raw} not found")
        return et

    def _user_by_username(self: CalcomEmulator, username: str) -> Any:
        for account in self.accounts.values():
            if account.username == username:
                return account
        raise not_found(f"User with username {username} not found")

    @route("GET", "/v2/event-types")
    def list_event_types(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        username = ctx.q("username")
        if ctx.version != EVENT_TYPES_V:
            owner = self._user_by_username(username) if username else ctx.user
            types = [
                self._event_type_legacy(et)
                for et in owner.event_types
                if owner.id == ctx.user.id or not et["hidden"]
            ]
            group = {
                "teamId": None,
                "bookerUrl": "https://cal.com",
                "membershipRole": None,
                "profile": {"slug": owner.username, "name": owner.name, "image": None},
                "metadata": {"membershipCount": 0, "readOnly": False},
                "eventTypes": types,
            }
            return ok({"eventTypeGroups": [group]})
        if not username:  # Cal.com: listing needs ?username= (from /v2/me)
            return ok([])
        owner = self._user_by_username(username)
        types = [et for et in owner.event_types if owner.id == ctx.user.id or not et["hidden"]]
        slug = ctx.q("eventSlug")
        if slug:
            types = [et for et in types if et["slug"] == slug]
        return ok([self._event_type_out(et) for et in types])

    @route("GET", "/v2/event-types/{eventTypeId}")
    def get_event_type(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        et = self._own_event_type(ctx)
        if ctx.version != EVENT_TYPES_V:
            return ok({"eventType": self._event_type_legacy(et)})
        return ok(self._event_type_out(et))

    def _event_type_changes(self: CalcomEmulator, ctx: Ctx, body: dict[str, Any]) -> dict[str, Any]:
        versioned = ctx.version == EVENT_TYPES_V
        spec: dict[str, Any] = {}
        for key in ("title", "slug", "description"):
            if body.get(key) is not None:
                spec[key] = need(body, key, str, "a string")
        length_key = "lengthInMinutes" if versioned else "length"
        if length_key in body:
            spec["length"] = need(body, length_key, int, "a number")
        for key in ("minimumBookingNotice", "beforeEventBuffer", "afterEventBuffer"):
            if key in body:
                spec[key] = need(body, key, int, "a number")
        if "slotInterval" in body:
            spec["slotInterval"] = maybe(body, "slotInterval", int, "a number")
        if "hidden" in body:
            spec["hidden"] = need(body, "hidden", bool, "a boolean value")
        if "scheduleId" in body:
            schedule_id = maybe(body, "scheduleId", int, "a number")
            if schedule_id is not None:
                self._own_schedule(ctx, schedule_id)
            spec["scheduleId"] = schedule_id
        if "locations" in body:
            spec["locations"] = need(body, "locations", list, "an array")
        if "lengthInMinutesOptions" in body:
            spec["lengthInMinutesOptions"] = [int(x) for x in body["lengthInMinutesOptions"] or []]
        if versioned and "confirmationPolicy" in body:
            policy = need(body, "confirmationPolicy", dict, "an object")
            spec["requiresConfirmation"] = not policy.get("disabled") and "type" in policy
        if not versioned and "requiresConfirmation" in body:
            spec["requiresConfirmation"] = need(body, "requiresConfirmation", bool, "a boolean")
        return spec

    @route("POST", "/v2/event-types")
    def create_event_type(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        body = ctx.obj()
        versioned = ctx.version == EVENT_TYPES_V
        need(body, "lengthInMinutes" if versioned else "length", int, "a number")
        need(body, "title", str, "a string")
        need(body, "slug", str, "a string")
        et = self.new_event_type(ctx.user.id, self._event_type_changes(ctx, body))
        if versioned:
            return ok(self._event_type_out(et), 201)
        return ok(self._event_type_legacy(et), 201)

    @route("PATCH", "/v2/event-types/{eventTypeId}")
    def update_event_type(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        et = self._own_event_type(ctx)
        changes = self._event_type_changes(ctx, ctx.obj())
        slug = changes.get("slug")
        if (
            slug
            and slug != et["slug"]
            and any(
                e["ownerId"] == et["ownerId"] and e["slug"] == slug
                for e in self.event_types.values()
            )
        ):
            raise bad("URL Slug already exists for given user.")
        if "length" in changes and changes["length"] <= 0:
            raise bad("lengthInMinutes must be a positive number")
        et.update(changes)
        if ctx.version == EVENT_TYPES_V:
            return ok(self._event_type_out(et))
        return ok(self._event_type_legacy(et))

    @route("DELETE", "/v2/event-types/{eventTypeId}")
    def delete_event_type(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        et = self._own_event_type(ctx)
        del self.event_types[et["id"]]
        for hook_id in [h["id"] for h in self.webhooks.values() if h["eventTypeId"] == et["id"]]:
            del self.webhooks[hook_id]
        length_key = "lengthInMinutes" if ctx.version == EVENT_TYPES_V else "length"
        return ok(
            {"id": et["id"], length_key: et["length"], "title": et["title"], "slug": et["slug"]}
        )

    # ------------------------------------------------------------- schedules

    def new_schedule(
        self: CalcomEmulator,
        owner_id: int,
        *,
        name: str,
        time_zone: str,
        availability: list[dict[str, Any]] | None = None,
        overrides: list[dict[str, Any]] | None = None,
        is_default: bool = False,
    ) -> dict[str, Any]:
        zone(time_zone)
        schedule = {
            "id": self.next_id("schedule"),
            "ownerId": owner_id,
            "name": name,
            "timeZone": time_zone,
            "availability": [dict(a) for a in (availability or DEFAULT_HOURS)],
            "overrides": [dict(o) for o in (overrides or [])],
        }
        self.schedules[schedule["id"]] = schedule
        owner = self.accounts[owner_id]
        if is_default or owner.default_schedule_id is None:
            owner.default_schedule_id = schedule["id"]
        return schedule

    def _schedule_out(self: CalcomEmulator, schedule: dict[str, Any]) -> dict[str, Any]:
        owner = self.accounts[schedule["ownerId"]]
        return {
            "id": schedule["id"],
            "ownerId": schedule["ownerId"],
            "name": schedule["name"],
            "timeZone": schedule["timeZone"],
            "availability": [dict(a, days=list(a["days"])) for a in schedule["availability"]],
            "isDefault": owner.default_schedule_id == schedule["id"],
            "overrides": [dict(o) for o in schedule["overrides"]],
        }

    def _schedule_legacy(self: CalcomEmulator, schedule: dict[str, Any]) -> dict[str, Any]:
        owner = self.accounts[schedule["ownerId"]]
        working = [
            {
                "days": [(WEEKDAYS.index(d) + 1) % 7 for d in a["days"]],
                "startTime": _minutes(a["startTime"]),
                "endTime": _minutes(a["endTime"]),
                "userId": owner.id,
            }
            for a in schedule["availability"]
        ]
        return {
            "id": schedule["id"],
            "name": schedule["name"],
            "isManaged": False,
            "workingHours": working,
            "timeZone": schedule["timeZone"],
            "dateOverrides": [dict(o) for o in schedule["overrides"]],
            "isDefault": owner.default_schedule_id == schedule["id"],
            "isLastSchedule": len(owner.schedules) == 1,
            "readOnly": False,
        }

    def _schedule_view(self: CalcomEmulator, ctx: Ctx, schedule: dict[str, Any] | None) -> Any:
        if schedule is None:
            return None
        if ctx.version == SCHEDULES_V:
            return self._schedule_out(schedule)
        return self._schedule_legacy(schedule)

    def _own_schedule(self: CalcomEmulator, ctx: Ctx, schedule_id: int) -> dict[str, Any]:
        schedule = self.schedules.get(schedule_id)
        if schedule is None or schedule["ownerId"] != ctx.user.id:
            raise not_found(f"Schedule with id={schedule_id} not found")
        return schedule

    @route("GET", "/v2/schedules")
    def list_schedules(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        return ok([self._schedule_view(ctx, s) for s in ctx.user.schedules])

    @route("GET", "/v2/schedules/default")
    def get_default_schedule(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        return ok(self._schedule_view(ctx, ctx.user.schedule))

    @route("GET", "/v2/schedules/{scheduleId}")
    def get_schedule(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        schedule_id = int_param(ctx.params["scheduleId"], "scheduleId")
        return ok(self._schedule_view(ctx, self._own_schedule(ctx, schedule_id)))

    @route("POST", "/v2/schedules")
    def create_schedule(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        body = ctx.obj()
        name = need(body, "name", str, "a string")
        tz = need(body, "timeZone", str, "a string")
        is_default = need(body, "isDefault", bool, "a boolean value")
        availability = None
        if body.get("availability") is not None:
            availability = _availability(body["availability"])
        overrides = None
        if body.get("overrides") is not None:
            overrides = _availability(body["overrides"], "overrides")
        schedule = self.new_schedule(
            ctx.user.id,
            name=name,
            time_zone=tz,
            availability=availability,
            overrides=overrides,
            is_default=is_default,
        )
        return ok(self._schedule_view(ctx, schedule), 201)

    @route("PATCH", "/v2/schedules/{scheduleId}")
    def update_schedule(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        schedule = self._own_schedule(ctx, int_param(ctx.params["scheduleId"], "scheduleId"))
        body = ctx.obj()
        name = maybe(body, "name", str, "a string")
        if name is not None:
            schedule["name"] = name
        tz = maybe(body, "timeZone", str, "a string")
        if tz is not None:
            zone(tz)
            schedule["timeZone"] = tz
        if body.get("availability") is not None:
            schedule["availability"] = _availability(body["availability"])
        if body.get("overrides") is not None:
            schedule["overrides"] = _availability(body["overrides"], "overrides")
        if maybe(body, "isDefault", bool, "a boolean value"):
            ctx.user.default_schedule_id = schedule["id"]
        return ok(self._schedule_view(ctx, schedule))

    @route("DELETE", "/v2/schedules/{scheduleId}")
    def delete_schedule(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        schedule = self._own_schedule(ctx, int_param(ctx.params["scheduleId"], "scheduleId"))
        del self.schedules[schedule["id"]]
        if ctx.user.default_schedule_id == schedule["id"]:
            ctx.user.default_schedule_id = None
        for et in self.event_types.values():
            if et["scheduleId"] == schedule["id"]:
                et["scheduleId"] = None
        return 200, {"status": "success"}

    # ------------------------------------------------------------- the rest

    @route("GET", "/v2/calendars")
    def list_calendars(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        user = ctx.user
        connected = []
        for cal in user.calendars:
            entry = {
                "externalId": cal["externalId"],
                "integration": cal["integration"],
                "name": cal["name"],
                "primary": True,
                "readOnly": False,
                "email": cal["email"],
                "isSelected": True,
                "credentialId": cal["credentialId"],
            }
            connected.append(
                {
                    "integration": {
                        "name": "Google Calendar",
                        "description": "Google Calendar",
                        "type": cal["integration"],
                        "title": "Google Calendar",
                        "variant": "calendar",
                        "categories": ["calendar"],
                        "logo": "/app-store/googlecalendar/logo.webp",
                        "publisher": "Cal.com",
                        "slug": "google-calendar",
                        "url": "https://cal.com/",
                        "email": "help@cal.com",
                        "locationOption": None,
                    },
                    "credentialId": cal["credentialId"],
                    "primary": entry,
                    "calendars": [entry],
                }
            )
        destination = None
        if user.calendars:
            first = user.calendars[0]
            destination = {
                "id": first["credentialId"],
                "integration": first["integration"],
                "externalId": first["externalId"],
                "primaryEmail": first["email"],
                "userId": user.id,
                "eventTypeId": None,
                "credentialId": first["credentialId"],
                "name": first["name"],
                "primary": True,
                "readOnly": False,
                "email": first["email"],
                "integrationTitle": "Google Calendar",
            }
        return ok({"connectedCalendars": connected, "destinationCalendar": destination})

    @route("GET", "/v2/conferencing")
    def list_conferencing(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        apps = [dict(app, userId=ctx.user.id, invalid=False) for app in ctx.user.conferencing_apps]
        return ok(apps)

    @route("GET", "/v2/conferencing/default")
    def get_default_conferencing(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        return ok(dict(ctx.user.default_conferencing))

    @route("POST", "/v2/conferencing/{app}/default")
    def set_default_conferencing(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        app = ctx.params["app"]
        if not any(a["appId"] == app for a in ctx.user.conferencing_apps):
            raise ApiError(400, f"Conferencing app {app} is not installed")
        ctx.user.default_conferencing = {"appSlug": app, "appLink": None}
        return 200, {"status": "success"}

    @route("GET", "/v2/teams")
    def list_teams(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        return ok([dict(t) for t in ctx.user.teams])

    @route("GET", "/v2/verified-resources/emails")
    def list_verified_emails(self: CalcomEmulator, ctx: Ctx) -> tuple[int, Any]:
        emails = [
            {"id": ctx.user.id * 100 + i, "email": email, "userId": ctx.user.id}
            for i, email in enumerate(ctx.user.verified_emails)
        ]
        skip, take = ctx.q_int("skip", 0), ctx.q_int("take", 250)
        return ok(emails[skip : skip + take])
