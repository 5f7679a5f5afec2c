"""Cal.com API v2 behind the Maton gateway, and Maton's control plane, in one ASGI app.

Start it with ``emu.start()`` / ``emu.stop()`` (or ``serve(emu.app)``, set ``emu.base_url``,
and call ``emu.close()`` before ``server.stop()`` so a hanging "timeout" request cannot hold
uvicorn's shutdown); point both ``MATON_GATEWAY_URL`` and ``MATON_CTRL_URL`` at
``emu.base_url``. Control plane at ``/connections``, gateway at ``/cal-com/v2/...``, the
OAuth page of a connection at ``/oauth/{connection_id}`` (``?username=alice`` completes it,
as a user's click would).

Test setup: ``add_account(...) -> Account``, ``add_connection(username=None) -> Connection``
(ACTIVE and bound when a username is given), ``complete_oauth``, ``expire_connection`` (the
control plane still says ACTIVE, as Maton's does), ``book_as_guest``, ``fault``. State for
assertions: ``accounts`` (id -> Account), ``connections``, ``event_types``, ``schedules``
(id -> internal dict), ``bookings`` (uid -> internal dict with datetimes), ``webhooks``,
``reservations``, ``requests`` (every request, ``gateway_requests()`` for /cal-com only),
``contract_violations``, ``deliveries``; wait with ``wait_for_delivery(predicate)``,
``wait_for_deliveries(n)`` or, in async tests, ``await wait_delivery(...)`` /
``await wait_deliveries(n)``; replay with ``redeliver(i)`` / ``await aredeliver(i)``.

Maton's layer (decided here; the real bodies are undocumented)
------------------------------------------------------------
Every Maton-made error is ``{"error": {"code": <code>, "message": <text>}}``:

=====  ======================  ==============================================================
 401   ``unauthorized``         ``Authorization: Bearer <api_key>`` missing or wrong (any path)
 400   ``no_connection``        no ``Maton-Connection`` header and no ACTIVE cal-com connection
 400   ``connection_not_found`` ``Maton-Connection`` names an unknown (or deleted) connection
 400   ``connection_not_active``the named connection is PENDING (OAuth not completed)
 500   ``internal_error``       the connection's OAuth token expired (``expire_connection``)
 504   ``gateway_timeout``      a "timeout" fault ended (client gone or emulator closed)
 400   ``invalid_app``          a path outside ``/cal-com/``, ``/connections``, ``/oauth``
 404   ``not_found``            control plane: unknown connection id
 400   ``invalid_request``      control plane: ``POST /connections`` without ``app``
=====  ======================  ==============================================================

Without ``Maton-Connection`` the oldest ACTIVE cal-com connection is used. Control plane:
``GET /connections?app=&status=`` -> ``{"connections": [...]}`` (oldest first);
``POST /connections {"app": "cal-com"}`` -> 200 ``{"connection": {connection_id,
status: "PENDING", creation_time, last_updated_time, url, app, metadata: {}}}``;
``GET /connections/{id}`` -> ``{"connection": ...}``; ``DELETE /connections/{id}`` -> 200 ``{}``.

Cal.com's layer
---------------
Envelope ``{"status": "success", "data": ...}``; errors ``{"status": "error", "timestamp",
"path", "error": {"code": <NestJS exception name>, "message", "details": {"message",
"error", "statusCode"}}}``; unhandled ones bare ``{"statusCode": 500, "message": "Internal
server error"}`` (an emulator bug also lands in ``internal_errors``). Every gateway answer
carries ``X-RateLimit-{Limit,Remaining,Reset}-Default``.

Versions: bookings ``2024-08-13``, event types ``2024-06-14``, schedules ``2024-06-11``,
slots ``2024-09-04``. Any other (or no) ``cal-api-version`` gets the legacy handler and
shape: ``GET /v2/bookings`` ignores ``status``/``take`` and returns upcoming bookings ten
at a time as ``{bookings, recurringInfo, totalCount, nextCursor}`` with ``startTime`` and
upper-case statuses; event types list as ``{eventTypeGroups: [...]}`` with ``length``;
schedules with minute-based ``workingHours``. Routes that exist only in a version (``GET
/v2/slots``, ``/v2/slots/reservations*``, booking ``reschedule``/``confirm``/``decline``)
answer 404 "Cannot GET /v2/slots" without it. Legacy ``/v2/slots/available`` and
``/v2/slots/reserve`` work as the gateway doc shows.

Choices: a duplicate event-type slug is 400 "URL Slug already exists for given user."
(Cal.com's own message); a duplicate webhook ``subscriberUrl`` is 409; someone else's
booking / event type / schedule / webhook is 404; versioned ``GET /v2/event-types``
without ``username`` returns ``[]`` (Cal.com: listing needs it); booking a slot that
another user holds is 400 "Someone else reserved this slot before you. This slot will be
freed up in N seconds." (the holder, and a body carrying ``reservedSlotUid``, may book).

Webhooks: user-level ones of the organizer and event-type-level ones get each booking
trigger (CREATED, REQUESTED, RESCHEDULED, CANCELLED, REJECTED; confirming a pending
booking sends BOOKING_CREATED), posted after the API response on the emulator's loop,
body ``{"triggerEvent", "createdAt", "payload"}`` (compact JSON), header
``X-Cal-Signature-256`` = hex HMAC-SHA256 of the raw body with the webhook's secret or
``no-secret-provided``. ``payloadTemplate`` is stored but not applied.

Faults (``fault(kind, path=None, times=1, seconds=0.0)``) hit gateway requests (any path
starting with ``path`` when given) after Maton's auth and connection checks:
``rate_limit`` 429 envelope with ``X-RateLimit-*-Default`` headers (Reset =
ceil(seconds)), no Retry-After; ``error_500``; ``bare_500``; ``forbidden`` (403) and
``not_found`` (404) in the error envelope; ``delay`` (then a normal
answer); ``timeout`` (hangs ``seconds`` or 60 s, released when the client disconnects or
on ``close()``); ``together`` (a test instrument, not a real fault: the ``times``
matching requests are each held until all of them are in flight at once, then answered
normally; 504 after ``seconds`` or 5 s, so requests sent one after another fail).
``hold(path=None, times=1, seconds=30.0)`` is another instrument: the ``times`` matching
gateway requests are held until the test sets the ``threading.Event`` it returns (or
``seconds`` pass, or ``close()``), then answered normally; a test sees which other calls
(here or in the Slack emulator) arrive while that one is in flight.
A fault whose ``path`` starts with ``/connections/`` hits the control plane's
``/connections/{id}`` instead (``error_500``/``bare_500``: Maton's 500).
``rate_limit_per_second = 10`` turns on Maton's per-connection limit as a
sliding window on the injected clock (off by default, for determinism).
"""

from .core import CalcomEmulator
from .model import Account, Connection, Delivery, Fault, RecordedRequest
from .webhooks import NO_SECRET, TRIGGERS, sign

__all__ = [
    "NO_SECRET",
    "TRIGGERS",
    "Account",
    "CalcomEmulator",
    "Connection",
    "Delivery",
    "Fault",
    "RecordedRequest",
    "sign",
]
