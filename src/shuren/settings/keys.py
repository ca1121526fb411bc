"""Local key file for development: generated once, kept outside the database and outside git."""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

KEY_NAMES = ("SHUREN_SECRET_KEY", "SHUREN_PII_KEY", "SHUREN_BLIND_INDEX_KEY")


def _new_key(name: str) -> str:
    if name == "SHUREN_SECRET_KEY":
        return secrets.token_urlsafe(50)
    return base64.b64encode(secrets.token_bytes(32)).decode()


def load_or_create_local_keys(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            if "=" in line and not line.startswith("#"):
                name, _, value = line.partition("=")
                values[name.strip()] = value.strip()
    missing = [name for name in KEY_NAMES if not values.get(name)]
    if missing:
        path.parent.mkdir(parents=True, exist_ok=True)
        for name in missing:
            values[name] = _new_key(name)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write("# Local development keys. Losing SHUREN_PII_KEY makes stored PII unreadable.\n")
            for name in KEY_NAMES:
                handle.write(f"{name}={values[name]}\n")
    for name in KEY_NAMES:
        env_value = os.environ.get(name)
        if env_value:
            values[name] = env_value
    return values
