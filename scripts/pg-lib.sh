# Sourced by test.sh and bench.sh: a throw-away PostgreSQL from the machine's binaries (initdb in a
# temporary directory, private unix socket, no TCP), stopped and removed on exit.
# After start_pg, PG_URL holds the DATABASE_URL of an empty database "shuren".
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
# start_pg [extra server options]
start_pg() {
  [ "$(id -u)" -eq 0 ] && chown postgres "$PG_DIR"
  as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log"; return 1; }
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -w -l "$PG_DIR/server.log" \
    -o "-k $PG_DIR -c listen_addresses='' -c max_connections=200 $*" start >/dev/null \
    || { cat "$PG_DIR/server.log"; return 1; }
  PG_URL="postgres://postgres@/shuren?host=$PG_DIR"
}
