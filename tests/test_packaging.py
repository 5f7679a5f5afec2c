"""What hosts build calbot from: requirements.txt and .python-version for Procfile hosts
(Heroku-style buildpacks, Dokku), the Dockerfile for everyone else. Both are checked as far
as a machine without a container engine allows; `.ci/run` also lints the Dockerfile with
hadolint."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.helpers import Bot, child_env

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())


def pins(what: str) -> str:
    done = subprocess.run(
        [sys.executable, str(REPO / ".ci" / "pins.py"), what],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return done.stdout


def test_requirements_txt_is_generated_from_pyproject() -> None:
    assert (REPO / "requirements.txt").read_text() == pins("requirements"), (
        "requirements.txt is stale: python3 .ci/pins.py requirements > requirements.txt"
    )
    lines = [x for x in pins("requirements").splitlines() if not x.startswith("#")]
    assert lines == [*PYPROJECT["project"]["dependencies"], "."]  # "." brings `calbot`


def test_every_dependency_has_a_floor_and_the_floors_pin_it() -> None:
    project = PYPROJECT["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    floors = pins("floors").splitlines()
    assert len(floors) == len(wanted)
    sqlite_utils = next(f for f in floors if f.startswith("sqlite-utils=="))
    assert int(sqlite_utils.split("==")[1].split(".")[0]) >= 4  # Migrations came in 4.0
    uvicorn = next(r for r in wanted if r.startswith("uvicorn"))
    assert "<" in uvicorn  # subclassed in bot/server.py: bounded


def _python_version() -> str:
    return (REPO / ".python-version").read_text().strip()


def test_python_version_is_one_pyproject_allows() -> None:
    major, minor = (int(x) for x in _python_version().split("."))
    floor = re.fullmatch(r">=(\d+)\.(\d+)", PYPROJECT["project"]["requires-python"])
    assert floor and (major, minor) >= (int(floor[1]), int(floor[2]))


class Dockerfile:
    """The instructions of a Dockerfile, continuation lines joined, comments dropped."""

    def __init__(self, text: str):
        joined = re.sub(r"\\\n\s*", " ", text)
        self.instructions: list[tuple[str, str]] = []
        for line in joined.splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                keyword, _, rest = line.partition(" ")
                self.instructions.append((keyword.upper(), rest.strip()))

    def all(self, keyword: str) -> list[str]:
        return [rest for k, rest in self.instructions if k == keyword]

    def index(self, keyword: str) -> int:
        return max(i for i, (k, _) in enumerate(self.instructions) if k == keyword)


DOCKERFILE = Dockerfile((REPO / "Dockerfile").read_text())


def test_the_dockerfile_builds_a_slim_image_of_the_python_the_buildpacks_get() -> None:
    [base] = DOCKERFILE.all("FROM")
    assert base == f"python:{_python_version()}-slim"
    copies = " ".join(DOCKERFILE.all("COPY"))
    assert "requirements.txt" in copies and "pyproject.toml" in copies and "bot" in copies
    assert any("pip install" in r and "-r requirements.txt" in r for r in DOCKERFILE.all("RUN"))


def test_the_dockerfile_runs_calbot_serve_as_an_unprivileged_user() -> None:
    [user] = DOCKERFILE.all("USER")
    uid = user.split(":")[0]
    assert uid.isdigit() and int(uid) != 0
    assert any(f"--uid {uid}" in r for r in DOCKERFILE.all("RUN"))  # the user exists
    assert json.loads(DOCKERFILE.all("CMD")[-1]) == ["calbot", "serve"]
    assert DOCKERFILE.index("USER") < DOCKERFILE.index("CMD")
    env = " ".join(DOCKERFILE.all("ENV"))
    assert "DATABASE_PATH=/data/" in env and "/data" in " ".join(DOCKERFILE.all("VOLUME"))


def _healthcheck() -> list[str]:
    [check] = DOCKERFILE.all("HEALTHCHECK")
    options, _, command = check.partition(" CMD ")
    assert "--interval=" in options and "--timeout=" in options
    return json.loads(command)


def test_the_dockerfile_healthcheck_passes_against_calbot_and_fails_without_it(
    bot: Bot,
) -> None:
    """The HEALTHCHECK's own command, run here against the real app's /healthz."""
    command = _healthcheck()
    assert command[0] == "python" and "/healthz" in command[-1]
    port = bot.url.rsplit(":", 1)[1]
    argv = [sys.executable, *command[1:]]
    alive = subprocess.run(argv, env=child_env(PORT=port), capture_output=True, timeout=30)
    assert alive.returncode == 0, alive.stderr
    dead = subprocess.run(argv, env=child_env(PORT="9"), capture_output=True, timeout=30)
    assert dead.returncode != 0, shlex.join(argv)
