#!/usr/bin/env bash
# Serve the demo: one task worker (large imports and other background work) beside the web server;
# Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8000}
.venv/bin/shuren jobs work -- --no-reload --interval 1 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
echo "Serving on http://127.0.0.1:$PORT/  (Ctrl-C to stop)"
.venv/bin/shuren runserver "127.0.0.1:$PORT" --noreload
