"""Fail when a template line is longer than djLint's max_line_length (pyproject.toml, [tool.djlint]).

djLint formats templates but leaves a line alone when it cannot break it (a long attribute, a loop
written on one line to keep its text unspaced); such lines are hard to read and to review. Break them
by hand: move a condition into the view or a filter (``listing`` for "甲、乙、丙"), or split the tag.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    limit = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["djlint"]["max_line_length"]
    names = subprocess.run(  # noqa: S603 - a fixed command
        ["git", "ls-files", "*.html"],  # noqa: S607 - git as found on PATH
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,  # noqa: S607 - git from PATH
    ).stdout.split()
    found = 0
    for name in names:
        for number, line in enumerate((ROOT / name).read_text(encoding="utf-8").splitlines(), start=1):
            if len(line) > limit:
                print(f"{name}:{number}: {len(line)} characters (at most {limit})")
                found += 1
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
