"""How fast is `parse_when`? Cold start, with and without `warm_up()`, and warm p50/p99.

Runs every phrase of the table test (tests/test_when_table.py) in its zone, warm, several
rounds, and prints the per-call p50, p99 and max. The cold figures come from fresh
subprocesses: the first call without `warm_up()`, and the first call after it.
Run: .venv/bin/python bench/parse_when.py [--rounds 20]   (about 10 s)
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_COLD = """
import time
from datetime import datetime
from zoneinfo import ZoneInfo
from bot.when import parse_when, warm_up
now = datetime(2026, 11, 27, 10, 15, tzinfo=ZoneInfo("America/New_York"))
begin = time.perf_counter()
if {warm}:
    warm_up()
warmed = time.perf_counter()
parse_when("dec 5 10am", now=now, tz="America/New_York")
parse_when("3pm Berlin time", now=now, tz="America/New_York")
ours = time.perf_counter()
parse_when("5-Dec-2026", now=now, tz="Europe/Berlin")  # a spelling only dateparser reads
done = time.perf_counter()
print((warmed - begin) * 1000, (ours - warmed) * 1000, (done - ours) * 1000)
"""


def _cold(warm: bool) -> tuple[float, float, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", _COLD.format(warm=warm)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=ROOT,
    )
    warm_ms, ours_ms, fallback_ms = (float(x) for x in out.stdout.split())
    return warm_ms, ours_ms, fallback_ms


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()

    from bot.when import WhenError, parse_when, warm_up
    from tests.test_when_table import TABLE, _now

    _, ours, fallback = _cold(warm=False)
    print(
        f"cold, no warm-up: first phrases {ours:.0f} ms (zone names), "
        f"first dateparser fallback {fallback:.0f} ms"
    )
    spent, ours, fallback = _cold(warm=True)
    print(
        f"cold, warm_up() at start-up ({spent:.0f} ms then): first phrases {ours:.1f} ms, "
        f"first dateparser fallback {fallback:.1f} ms"
    )

    warm_up()
    calls = [(phrase, tz, _now(now, tz)) for phrase, tz, now, _ in TABLE]
    samples: list[float] = []
    for _ in range(args.rounds):
        for phrase, tz, now in calls:
            begin = time.perf_counter()
            with contextlib.suppress(WhenError):
                parse_when(phrase, now=now, tz=tz)
            samples.append((time.perf_counter() - begin) * 1000)
    samples.sort()
    p50 = statistics.median(samples)
    p99 = samples[int(len(samples) * 0.99)]
    print(
        f"warm: {len(calls)} phrases x {args.rounds} rounds = {len(samples)} calls: "
        f"p50 {p50:.3f} ms, p99 {p99:.3f} ms, max {samples[-1]:.2f} ms"
    )


if __name__ == "__main__":
    main()
