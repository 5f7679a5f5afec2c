"""Files generated from pyproject.toml's dependencies, so they cannot drift from it.

    python3 .ci/pins.py requirements > requirements.txt   # what Procfile hosts install
    python3 .ci/pins.py floors > floors.txt               # every lower bound, pinned exactly

`requirements` keeps pyproject's ranges and installs the project itself (`.`), so buildpacks
(Heroku, Dokku) get the `calbot` command the Procfile runs. `floors` is a pip constraints
file: installing with it proves the oldest versions pyproject allows still pass the suite
(`.ci/run` does). Standard library only: it runs before any virtual environment exists.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
# name, optional [extras], then the version specifiers: "uvicorn[standard]>=0.30,<0.55"
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*?)\s*$")


def _project() -> dict:
    return tomllib.loads(PYPROJECT.read_text())["project"]


def requirements() -> str:
    """requirements.txt: pyproject's runtime dependencies as they are, then the project."""
    lines = [
        "# Generated from pyproject.toml by `python3 .ci/pins.py requirements > requirements.txt`:",
        "# edit pyproject.toml, not this file (a test checks the two agree).",
        *_project()["dependencies"],
        ".",
    ]
    return "\n".join(lines) + "\n"


def floor(requirement: str) -> str:
    """`name==lowest` for one requirement; every dependency must state its floor."""
    found = REQUIREMENT.match(requirement)
    low = re.search(r">=\s*([^,;\s]+)", found[3]) if found else None
    if found is None or low is None:
        raise SystemExit(f"no >= floor in {requirement!r}: every dependency needs one")
    return f"{found[1]}=={low[1]}"


def floors() -> str:
    """A constraints file pinning every runtime and dev dependency to its floor."""
    project = _project()
    wanted = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    return "\n".join(floor(r) for r in wanted) + "\n"


def main(argv: list[str]) -> None:
    commands = {"requirements": requirements, "floors": floors}
    if len(argv) != 1 or argv[0] not in commands:
        raise SystemExit(f"usage: python3 .ci/pins.py {{{'|'.join(commands)}}}")
    sys.stdout.write(commands[argv[0]]())


if __name__ == "__main__":
    main(sys.argv[1:])
