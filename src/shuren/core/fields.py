"""Model fields for personal data: stored encrypted, never readable from the database alone."""

from __future__ import annotations

from typing import Any

from django.db import models

from . import crypto


class EncryptedTextField(models.TextField):
    """Text encrypted with AES-GCM. Not searchable: pair it with a blind-index column for lookups."""

    def contribute_to_class(self, cls: type[models.Model], name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only)
        self._context = f"{cls._meta.label}.{name}"

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return crypto.encrypt(str(value), context=self._context)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value in (None, ""):
            return value
        return crypto.decrypt(value, context=self._context)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in ("isnull",):
            return None  # ciphertext cannot be compared: use the blind index
        return super().get_lookup(lookup_name)
