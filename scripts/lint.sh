#!/usr/bin/env bash
# The static checks: ruff (style and common bugs), mypy with the Django and DRF stubs (types),
# import-linter (the layers of docs/architecture.md) and djLint (templates). Each runs even when an
# earlier one fails; the exit code covers all four. `make test` runs this first.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
export PYTHONPATH="$PWD/src${PYTHONPATH:+:$PYTHONPATH}"
rc=0
echo "== ruff =="
$BIN/ruff check src tests bench || rc=1
echo "== mypy =="
$BIN/mypy || rc=1
echo "== import-linter =="
$BIN/lint-imports --no-cache || rc=1
echo "== djLint =="
$BIN/djlint src/shuren --check --quiet || rc=1
exit $rc
