"""The audit log: append-only and hash-chained, so that any edit or deletion is detectable."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class Outcome(models.TextChoices):
    SUCCESS = "success", _("Success")
    FAILURE = "failure", _("Failure")
    DENIED = "denied", _("Denied")


class AuditEvent(models.Model):
    """One audited action. Rows are never updated or deleted (database triggers refuse it) except by
    the retention purge for rows older than the legal minimum."""

    seq = models.BigIntegerField(_("sequence"), unique=True, editable=False)
    occurred_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_username = models.CharField(_("actor's username"), max_length=150, blank=True)
    actor_role = models.CharField(_("actor's role"), max_length=64, blank=True)
    ip = models.CharField(_("IP address"), max_length=64, blank=True)
    request_id = models.CharField(_("request id"), max_length=32, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    scope = models.CharField(_("scope"), max_length=255, blank=True, db_index=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-seq"]
        indexes = [models.Index(fields=["actor_username", "occurred_at"], name="audit_actor_time")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.outcome}"

    def canonical(self) -> bytes:
        """The bytes the hash covers: every column but the hashes, in a fixed order."""
        body: dict[str, Any] = {
            "seq": self.seq,
            "occurred_at": self.occurred_at.isoformat(timespec="microseconds"),
            "actor_id": self.actor_id,
            "actor_username": self.actor_username,
            "actor_role": self.actor_role,
            "ip": self.ip,
            "request_id": self.request_id,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "scope": self.scope,
            "outcome": self.outcome,
            "reason": self.reason,
            "detail": self.detail,
        }
        return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()

    def compute_hash(self) -> str:
        return hashlib.sha256(self.prev_hash.encode() + self.canonical()).hexdigest()


class ChainHead(models.Model):
    """A single row holding the newest hash; locking it serializes appends to the chain."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    def __str__(self) -> str:
        return f"chain head #{self.last_seq}"
