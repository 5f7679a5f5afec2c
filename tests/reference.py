"""Where the shared reference material lives (Cal.com's spec, Slack's schema and vectors).

It is not vendored: CI lays `shared/` beside the clone, as on a developer's machine.
`CALBOT_REFERENCE_DIR` points elsewhere when needed.
"""

from __future__ import annotations

import os
from pathlib import Path


def reference_dir() -> Path:
    candidates = [
        os.environ.get("CALBOT_REFERENCE_DIR"),
        Path(__file__).resolve().parents[2] / "shared" / "reference",
        "/work/shared/reference",
    ]
    for candidate in candidates:
        if candidate and Path(candidate, "calcom-v2-openapi.json").exists():
            return Path(candidate)
    raise FileNotFoundError(
        "shared/reference not found beside the repository; set CALBOT_REFERENCE_DIR"
    )


REFERENCE = reference_dir()
