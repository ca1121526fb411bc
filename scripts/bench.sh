#!/usr/bin/env bash
# make bench: every benchmark in bench/, first on a fresh SQLite file, then on a throw-away
# PostgreSQL (default durability settings). Each prints its table; results go to bench/results/.
# BENCH_ROWS overrides the import size (default 100000).
# SHUREN_BENCH_APPEALS sets the appeal history of the PostgreSQL run (default 100000; the README's
# figures use 5000000, which takes about a quarter of an hour to load); SQLite always runs with
# SHUREN_BENCH_SQLITE_APPEALS (default 100000).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
ROWS=${BENCH_ROWS:-100000}
PG_APPEALS=${SHUREN_BENCH_APPEALS:-100000}
SQLITE_APPEALS=${SHUREN_BENCH_SQLITE_APPEALS:-100000}
export PYTHONDONTWRITEBYTECODE=1 DJANGO_SETTINGS_MODULE=shuren.settings.dev
# shellcheck source=scripts/pg-lib.sh
source scripts/pg-lib.sh

run_all() {
  $BIN/shuren migrate --noinput -v0
  $BIN/python bench/import_residents.py --rows "$ROWS"
  $BIN/python bench/appeals_api.py --appeals "$1"
}

echo "== SQLite =="
export DATABASE_URL="sqlite:///$PG_DIR/bench.sqlite3"
run_all "$SQLITE_APPEALS"

echo "== PostgreSQL ($PG_BIN) =="
start_pg
as_pg "$PG_BIN/createdb" -h "$PG_DIR" -U postgres shuren
export DATABASE_URL="$PG_URL"
run_all "$PG_APPEALS"
