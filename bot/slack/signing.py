"""The shape of Slack's signing headers, checked before Bolt sees a request.

Bolt's verifier runs `int(X-Slack-Request-Timestamp)`: a timestamp such as `abc`, `` or
`1.5` raised ValueError inside Bolt, which answered 500 and ran the app's error handler
with the *unverified* body's `response_url`, so anyone could make calbot POST to any
address. A request whose headers cannot be a Slack signature is refused here with 401,
before any of its body is read or believed; a well-formed one is verified here too
(HMAC and the five-minute window, with slack_sdk's verifier), so a body that then trips
Bolt's own parsing (a signed but malformed payload) is known to come from Slack.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from slack_sdk.signature import SignatureVerifier

TIMESTAMP_HEADER = "x-slack-request-timestamp"
SIGNATURE_HEADER = "x-slack-signature"

_TIMESTAMP = re.compile(r"[0-9]{1,12}")  # Unix seconds; Bolt checks it is within 5 minutes
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")  # hex HMAC-SHA256, as Slack sends it


def well_formed(headers: Mapping[str, str]) -> bool:
    """Whether the request carries a signature and timestamp Slack could have sent."""
    timestamp = headers.get(TIMESTAMP_HEADER) or ""
    signature = headers.get(SIGNATURE_HEADER) or ""
    return bool(_TIMESTAMP.fullmatch(timestamp) and _SIGNATURE.fullmatch(signature))


def verified(secret: str, headers: Mapping[str, str], body: bytes) -> bool:
    """Whether Slack signed `body` in the last five minutes (headers checked for shape first)."""
    if not well_formed(headers):
        return False
    return SignatureVerifier(secret).is_valid(
        body, headers[TIMESTAMP_HEADER], headers[SIGNATURE_HEADER]
    )
