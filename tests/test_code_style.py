"""The code stays as STYLE.md asks: ruff's lint rules and formatting hold across the tree."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, "src", "tests", "conftest.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_ruff_finds_no_lint_errors() -> None:
    result = _ruff("check", "--no-cache")
    assert result.returncode == 0, result.stdout


def test_code_is_formatted() -> None:
    result = _ruff("format", "--check", "--no-cache")
    assert result.returncode == 0, result.stdout
