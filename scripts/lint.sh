#!/usr/bin/env bash
# The static checks: ruff (style, common bugs and formatting), mypy with the Django and DRF stubs
# (types), import-linter (the layers of docs/architecture.md), djLint (templates) and the length of
# template lines. Each runs even when an earlier one fails; the exit code covers all. `make test` runs
# this first.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
export PYTHONPATH="$PWD/src${PYTHONPATH:+:$PYTHONPATH}"
rc=0
echo "== ruff =="
$BIN/ruff check src tests bench conftest.py || rc=1
$BIN/ruff format --check src tests bench conftest.py || rc=1
echo "== mypy =="
$BIN/mypy || rc=1
echo "== import-linter =="
$BIN/lint-imports --no-cache || rc=1
echo "== djLint =="
$BIN/djlint src/shuren --check --quiet || rc=1
echo "== template line length =="
$BIN/python scripts/check_template_lines.py || rc=1
exit $rc
