"""The README is the user's manual: its set-up order works, and its message mock-ups show
what Slack renders for the date token the bot sends."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.blocks.timefmt import clock, slack_date
from tests.emulators.calcom import CalcomEmulator
from tests.emulators.slack import SlackEmulator
from tests.helpers import child_env, make_env

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()
CALBOT = Path(sys.executable).parent / "calbot"


def test_the_set_up_creates_the_database_before_doctor_checks_it(
    tmp_path: Path, calcom: CalcomEmulator, slack: SlackEmulator
) -> None:
    steps = [m[1] for m in re.finditer(r"^calbot (\w+)", README, re.MULTILINE)]
    assert steps.index("migrate") < steps.index("doctor") < steps.index("serve"), steps

    env = child_env(**make_env(tmp_path, calcom, slack))
    for command in ("migrate", "doctor"):  # in the README's order, as a new user runs them
        done = subprocess.run(
            [str(CALBOT), command], env=env, capture_output=True, text=True, timeout=60
        )
    assert "ok    database:" in done.stdout, done.stdout


def render_date_short_pretty_at_time(when: datetime) -> str:
    """Slack's rendering of `{date_short_pretty} at {time}` for a date that is not today,
    tomorrow or yesterday ({date_short}: "Feb 18, 2014"; {time}: "6:39 AM")."""
    return f"{when:%b} {when.day}, {when.year} at {clock(when)}"


def test_message_mock_ups_show_what_the_date_token_renders() -> None:
    when = datetime(2026, 11, 26, 15, 0, tzinfo=ZoneInfo("America/New_York"))
    assert "^{date_short_pretty} at {time}|" in slack_date(when)  # what the bot sends
    assert render_date_short_pretty_at_time(when) in README
    # No mock-up shows a weekday the token never renders ("Thu, Nov 26 at 3:00 PM").
    assert not re.search(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [A-Z][a-z]{2} \d", README)
    shown = re.findall(r"[A-Z][a-z]{2} \d{1,2}, \d{4} at \d{1,2}:\d{2} [AP]M", README)
    assert len(shown) >= 5
