#!/usr/bin/env bash
# Run the whole suite twice: on SQLite, then on a throw-away PostgreSQL started from the machine's
# binaries (initdb in a temporary directory, private unix socket, no TCP). Browser tests included.
# The last line printed is pytest's summary of the PostgreSQL pass; the exit code covers both passes.
set -uo pipefail
cd "$(dirname "$0")/.."

BIN=.venv/bin
ARTIFACTS=${SHUREN_TEST_ARTIFACTS:-test-artifacts}
WORKERS=${SHUREN_TEST_WORKERS:-2}
mkdir -p "$ARTIFACTS"
export SHUREN_TEST_ARTIFACTS="$ARTIFACTS"
export PYTHONDONTWRITEBYTECODE=1
unset DATABASE_URL

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
PG_DIR=$(mktemp -d /tmp/shuren-pg.XXXXXX)
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
stop_pg() {
  if [ -f "$PG_DIR/data/postmaster.pid" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_DIR"
}
trap stop_pg EXIT

echo "== Pass 1 of 2: SQLite =="
$BIN/pytest -n "$WORKERS" "$@"
sqlite_rc=$?

echo "== Pass 2 of 2: PostgreSQL ($PG_BIN) =="
[ "$(id -u)" -eq 0 ] && chown postgres "$PG_DIR"
as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
  || { cat "$PG_DIR/initdb.log"; exit 1; }
as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -w -l "$PG_DIR/server.log" \
  -o "-k $PG_DIR -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null || { cat "$PG_DIR/server.log"; exit 1; }
DATABASE_URL="postgres://postgres@/shuren?host=$PG_DIR" $BIN/pytest -n "$WORKERS" "$@"
pg_rc=$?

if [ $sqlite_rc -ne 0 ] || [ $pg_rc -ne 0 ]; then
  exit 1
fi
exit 0
