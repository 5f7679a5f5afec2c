"""The reference data the tests check against: Cal.com's OpenAPI document, Slack's manifest
schema, real Slack payloads and Slack's signing vector.

It lives in the repository (`tests/reference/`, with its origins and how to refresh them in
the README there), so a plain clone tests offline with nothing beside it.
"""

from __future__ import annotations

from pathlib import Path

REFERENCE = Path(__file__).resolve().parent / "reference"
