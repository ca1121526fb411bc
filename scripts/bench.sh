#!/usr/bin/env bash
# make bench: every benchmark in bench/ on a throw-away PostgreSQL (default durability settings)
# holding the synthetic district at scale, then a summary table of the headline figures, each next
# to its floor measured in the same run. Results go to bench/results/.
#
# SHUREN_BENCH_RESIDENTS (default 1000000) and SHUREN_BENCH_APPEALS (default 5000000) size the
# district `shuren seed-scale` builds, with two years of activity (--activity); BENCH_ROWS sizes the
# import (default 100000).
# SHUREN_BENCH_SQLITE=1 also runs the benchmarks on a fresh SQLite file, with
# SHUREN_BENCH_SQLITE_APPEALS (default 100000) appeals and no residents.
# On PostgreSQL, bench/scale_out.py then runs the appeals load against one and two app processes
# behind PgBouncer (Debian's pgbouncer, installed here when run as root).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-deps.sh bench
BIN=.venv/bin
ROWS=${BENCH_ROWS:-100000}
RESIDENTS=${SHUREN_BENCH_RESIDENTS:-1000000}
APPEALS=${SHUREN_BENCH_APPEALS:-5000000}
SQLITE_APPEALS=${SHUREN_BENCH_SQLITE_APPEALS:-100000}
export PYTHONDONTWRITEBYTECODE=1 DJANGO_SETTINGS_MODULE=shuren.settings.dev
# shellcheck source=scripts/pg-lib.sh
source scripts/pg-lib.sh
started=$(date +%s)

run_all() {  # residents appeals
  $BIN/shuren migrate --noinput -v0
  echo "-- seed-scale --residents $1 --appeals $2 --activity"
  local seed_started=$(date +%s)
  local residents_args=()
  [ "$1" -gt 0 ] && residents_args=(--residents "$1")
  $BIN/shuren seed-scale "${residents_args[@]}" --appeals "$2" --activity
  echo "seed-scale: $(( $(date +%s) - seed_started )) s"
  $BIN/python bench/import_residents.py --rows "$ROWS"
  SHUREN_BENCH_APPEALS="$2" $BIN/python bench/appeals_api.py --appeals "$2"
  case "$DATABASE_URL" in
    postgres*) $BIN/python bench/scale_out.py --appeals "$2" ;;
  esac
  $BIN/python bench/dashboard.py
  $BIN/python bench/audit.py
  $BIN/python bench/notify_fanout.py
}

rm -f bench/results/*.json
echo "== PostgreSQL ($PG_BIN) =="
start_pg
as_pg "$PG_BIN/createdb" -h "$PG_DIR" -U postgres shuren
DATABASE_URL="$PG_URL" run_all "$RESIDENTS" "$APPEALS"
stop_pg

if [ "${SHUREN_BENCH_SQLITE:-0}" = "1" ]; then
  echo "== SQLite =="
  PG_DIR=$(mktemp -d /tmp/shuren-bench.XXXXXX)
  DATABASE_URL="sqlite:///$PG_DIR/bench.sqlite3" run_all 0 "$SQLITE_APPEALS"
  rm -rf "$PG_DIR"
fi

$BIN/python bench/summary.py postgresql $( [ "${SHUREN_BENCH_SQLITE:-0}" = "1" ] && echo sqlite )
echo "make bench: $(( $(date +%s) - started )) s in all"
