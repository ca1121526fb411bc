"""AES-GCM encryption of personal data and keyed-hash blind indexes. Keys live outside the database."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

VERSION_PREFIX = "v1:"


def _decode_key(name: str) -> bytes:
    raw = getattr(settings, name, "")
    if not raw:
        raise ImproperlyConfigured(f"{name} is not set: personal data cannot be stored without it.")
    try:
        key = base64.b64decode(raw, validate=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be base64 of 32 random bytes") from exc
    if len(key) != 32:
        raise ImproperlyConfigured(f"{name} must be base64 of 32 random bytes")
    return key


@lru_cache(maxsize=4)
def _aead(raw: str) -> AESGCM:
    return AESGCM(_decode_key("SHUREN_PII_KEY"))


def _cipher() -> AESGCM:
    return _aead(settings.SHUREN_PII_KEY)


def encrypt(plaintext: str, *, context: str) -> str:
    """Encrypt ``plaintext``; ``context`` (e.g. ``people.Person.id_number``) is bound as associated data."""
    nonce = os.urandom(12)
    sealed = _cipher().encrypt(nonce, plaintext.encode(), context.encode())
    return VERSION_PREFIX + base64.b64encode(nonce + sealed).decode()


def decrypt(token: str, *, context: str) -> str:
    if not token.startswith(VERSION_PREFIX):
        raise ValueError("unknown ciphertext version")
    blob = base64.b64decode(token[len(VERSION_PREFIX) :])
    return _cipher().decrypt(blob[:12], blob[12:], context.encode()).decode()


def encrypt_bytes(data: bytes, *, context: str) -> bytes:
    """Encrypt a blob (an uploaded spreadsheet waiting for a worker); nonce first, then ciphertext."""
    nonce = os.urandom(12)
    return nonce + _cipher().encrypt(nonce, data, context.encode())


def decrypt_bytes(blob: bytes, *, context: str) -> bytes:
    return _cipher().decrypt(blob[:12], blob[12:], context.encode())


def blind_index(value: str, *, purpose: str) -> str:
    """A keyed hash for exact lookup and de-duplication; ``purpose`` separates e.g. phones from IDs."""
    key = _decode_key("SHUREN_BLIND_INDEX_KEY")
    return hmac.new(key, f"{purpose}\x00{value}".encode(), hashlib.sha256).hexdigest()
