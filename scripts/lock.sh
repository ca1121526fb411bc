#!/usr/bin/env bash
# Resolve pyproject.toml's dependencies (with the test extra) in a clean venv and pin them all.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet --disable-pip-version-check ".[test]"
{
  echo "# Pinned by scripts/lock.sh from pyproject.toml (runtime + test). Do not edit by hand."
  "$tmp/venv/bin/pip" freeze --exclude-editable | grep -v '^shuren'
} > requirements.lock
rm -rf "$tmp"
echo "requirements.lock updated"
