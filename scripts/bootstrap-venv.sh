#!/usr/bin/env bash
# Create the project's virtual environment. Debian's python3 ships without venv/ensurepip unless the
# python3-venv package is installed: install it when root, otherwise print the command.
set -euo pipefail
PYTHON=${1:-python3}
VENV=${2:-.venv}

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Shuren needs Python 3.11 or newer; $PYTHON is $("$PYTHON" -V 2>&1)." >&2
  exit 1
fi
if "$PYTHON" -m venv "$VENV" 2>/dev/null; then
  exit 0
fi
rm -rf "$VENV"
version=$("$PYTHON" -c 'import sys; print(f"{sys.version_info.major}.{sys.version_info.minor}")')
if [ "$(id -u)" -ne 0 ]; then
  echo "Python's venv module is missing. Install it, then run make again:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y python3-venv python${version}-venv" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq python3-venv >/dev/null || apt-get install -y -qq "python${version}-venv" >/dev/null
"$PYTHON" -m venv "$VENV"
