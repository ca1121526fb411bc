"""The keys and signatures of the audit chain, and the checkpoint file kept outside the database.

Every sealed event carries ``hash = HMAC(key, "row" || prev_hash || canonical row)``; the chain head
in the database and each line of the checkpoint file carry ``mac = HMAC(key, "checkpoint" ||
canonical checkpoint)``. The key (``SHUREN_AUDIT_KEY``) lives in the environment, never in the
database, so someone who can write to the database can neither recompute the chain after an edit
nor sign a head that hides deleted rows. The checkpoint file, in a directory on another disk or
machine (``SHUREN_AUDIT_CHECKPOINT_DIR``), remembers how far the chain reached: rolling the database
back to an older, validly signed state is caught against it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

GENESIS_HASH = "0" * 64
CHECKPOINT_FILE = "audit-checkpoints.jsonl"


def audit_key() -> bytes:
    """The chain key: ``SHUREN_AUDIT_KEY``, or (with a deployment warning) one derived from the
    secret key, so that development and the demo seal without extra setup."""
    configured = getattr(settings, "SHUREN_AUDIT_KEY", "")
    if configured:
        return configured.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"shuren.audit.chain-key", hashlib.sha256).digest()


def _canonical_json(body: dict[str, Any]) -> bytes:
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def row_hash(prev_hash: str, canonical_row: bytes, *, key: bytes | None = None) -> str:
    message = b"row\0" + prev_hash.encode() + b"\0" + canonical_row
    return hmac.new(key or audit_key(), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Checkpoint:
    """How far the chain reaches: sealed events ``first_seq..last_seq`` (``count`` of them), the hash
    the first one links to (``anchor``: the genesis hash, or the last purged event's hash), the
    newest hash, and the highest row id the sealer has passed (every id up to it is final)."""

    first_seq: int
    anchor: str
    last_seq: int
    last_hash: str
    count: int
    through_id: int
    at: str

    def mac(self, *, key: bytes | None = None) -> str:
        return hmac.new(key or audit_key(), b"checkpoint\0" + _canonical_json(asdict(self)), hashlib.sha256).hexdigest()

    def line(self) -> str:
        return json.dumps({**asdict(self), "mac": self.mac()}, sort_keys=True, separators=(",", ":"))


class CheckpointFileError(Exception):
    """The checkpoint file cannot be read as a list of checkpoints signed with the chain key."""


def checkpoint_path() -> Path | None:
    directory = getattr(settings, "SHUREN_AUDIT_CHECKPOINT_DIR", "")
    return Path(directory) / CHECKPOINT_FILE if directory else None


def append_checkpoint(checkpoint: Checkpoint) -> None:
    """Append one signed line to the checkpoint file and flush it to disk (no-op when unconfigured)."""
    path = checkpoint_path()
    if path is None:
        return
    if not path.parent.is_dir():
        raise CheckpointFileError(f"SHUREN_AUDIT_CHECKPOINT_DIR {path.parent} does not exist")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, (checkpoint.line() + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def _parse(line: str, where: str) -> Checkpoint:
    try:
        data = json.loads(line)
        mac = data.pop("mac")
        checkpoint = Checkpoint(**data)
    except (ValueError, TypeError, KeyError) as exc:
        raise CheckpointFileError(f"{where} is not a checkpoint") from exc
    if not hmac.compare_digest(mac, checkpoint.mac()):
        raise CheckpointFileError(f"{where} is not signed with the audit key (edited or forged)")
    return checkpoint


def newest_checkpoint() -> Checkpoint | None:
    """The last line of the checkpoint file, read from its end (cheap however long the file grows)."""
    path = checkpoint_path()
    if path is None or not path.exists():
        return None
    with path.open("rb") as handle:
        handle.seek(0, os.SEEK_END)
        end = handle.tell()
        block = b""
        position = end
        while position > 0 and block.rstrip(b"\n").count(b"\n") < 1:
            step = min(8192, position)
            position -= step
            handle.seek(position)
            block = handle.read(step) + block
    lines = [line for line in block.decode().splitlines() if line.strip()]
    return _parse(lines[-1], "the last line") if lines else None


def read_checkpoints() -> list[Checkpoint]:
    """Every checkpoint in the file, each signature checked, in the order written; they must never
    go backwards (a chain only grows at its end and shrinks at its start)."""
    path = checkpoint_path()
    if path is None or not path.exists():
        return []
    checkpoints: list[Checkpoint] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            checkpoint = _parse(line, f"line {number}")
            if checkpoints:
                before = checkpoints[-1]
                if checkpoint.last_seq < before.last_seq or checkpoint.first_seq < before.first_seq:
                    raise CheckpointFileError(f"line {number} goes back behind the checkpoint before it")
            checkpoints.append(checkpoint)
    return checkpoints
