#!/usr/bin/env bash
# Debian packages the test suite needs: Chromium (browser tests), Noto CJK fonts (Chinese pages and
# PDFs), gettext (translations) and PostgreSQL (the second database pass). With `bench` (scripts/bench.sh),
# what the benchmarks need instead: PostgreSQL and PgBouncer (bench/scale_out.py). Installed with
# apt-get when run as root; otherwise prints the command and stops.
#
#   bash scripts/ensure-system-deps.sh [test|bench]
set -euo pipefail
purpose=${1:-test}

missing=()
if [ "$purpose" = "bench" ]; then
  command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)
else
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
  command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
fi
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${missing[*]}" >&2
  echo "Install them as root, then run make $purpose again:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
