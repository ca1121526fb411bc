#!/usr/bin/env bash
# Run the suite twice: on SQLite, then on a throw-away PostgreSQL started from the machine's binaries
# (initdb in a temporary directory, private unix socket, no TCP). The PostgreSQL pass runs the tests
# that reach the database, browser journeys excepted (conftest.py, docs/adr/0013).
# pytest prints its summary after each pass with the 15 slowest steps (where to look when the suite
# nears its budget), followed by the pass's wall time; the exit code covers both.
set -uo pipefail
cd "$(dirname "$0")/.."

BIN=.venv/bin
ARTIFACTS=${SHUREN_TEST_ARTIFACTS:-test-artifacts}
WORKERS=${SHUREN_TEST_WORKERS:-2}
# Work stealing: a worker that runs out of tests takes half of another's queue, so that one long
# test at the end does not keep the other worker idle.
DIST=${SHUREN_TEST_DIST:-worksteal}
mkdir -p "$ARTIFACTS"
export SHUREN_TEST_ARTIFACTS="$ARTIFACTS"
export PYTHONDONTWRITEBYTECODE=1
unset DATABASE_URL

# shellcheck source=scripts/pg-lib.sh
source scripts/pg-lib.sh

echo "== Static checks (scripts/lint.sh) =="
lint_started=$SECONDS
bash scripts/lint.sh
lint_rc=$?
echo "== Static checks took $((SECONDS - lint_started)) s =="

# Each pass prints its wall time: the suite must stay within its budget (25 min for both on 2 cores).
started=$SECONDS
echo "== Pass 1 of 2: SQLite =="
$BIN/pytest -n "$WORKERS" --dist "$DIST" --durations=15 "$@"
sqlite_rc=$?
sqlite_secs=$((SECONDS - started))
echo "== Pass 1 of 2 (SQLite) took $((sqlite_secs / 60)) min $((sqlite_secs % 60)) s =="

echo "== Pass 2 of 2: PostgreSQL ($PG_BIN) =="
# Durability is not under test here: the suite runs faster without fsync.
start_pg "-c fsync=off -c synchronous_commit=off -c full_page_writes=off" || exit 1
started=$SECONDS
DATABASE_URL="$PG_URL" $BIN/pytest -n "$WORKERS" --dist "$DIST" --durations=15 "$@"
pg_rc=$?
pg_secs=$((SECONDS - started))
echo "== Pass 2 of 2 (PostgreSQL) took $((pg_secs / 60)) min $((pg_secs % 60)) s =="
echo "== Wall time: SQLite $((sqlite_secs / 60)) min $((sqlite_secs % 60)) s, PostgreSQL $((pg_secs / 60)) min $((pg_secs % 60)) s =="

if [ $lint_rc -ne 0 ] || [ $sqlite_rc -ne 0 ] || [ $pg_rc -ne 0 ]; then
  exit 1
fi
exit 0
