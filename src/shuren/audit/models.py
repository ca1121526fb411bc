"""The audit log: append-only, sealed into a keyed hash chain, so that any edit or deletion is
detectable.

Events are written without a sequence number or hash, inside the audited transaction, so writers
never wait for one another. The sealer (``services.seal_events``) later takes the committed events
in id order, numbers them and chains them with HMAC under a key kept outside the database; it alone
sets the seal columns, once (the database triggers allow NULL → value and nothing else).
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .chain import GENESIS_HASH, Checkpoint, row_hash


class Outcome(models.TextChoices):
    SUCCESS = "success", _("Success")
    FAILURE = "failure", _("Failure")
    DENIED = "denied", _("Denied")


class AuditEvent(models.Model):
    """One audited action. Rows are never updated or deleted (database triggers refuse it) except by
    the sealer, which fills the empty seal columns (``seq``, ``prev_hash``, ``hash``) once, and the
    retention purge for rows older than the legal minimum."""

    seq = models.BigIntegerField(_("sequence"), unique=True, null=True, blank=True, editable=False)
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
    # NULL until sealed (not "": many unsealed rows share the unique column, and the triggers allow
    # exactly the change from NULL to a value).
    prev_hash = models.CharField(max_length=64, null=True, blank=True, editable=False)  # noqa: DJ001
    hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)  # noqa: DJ001

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-id"]
        indexes = [models.Index(fields=["actor_username", "occurred_at"], name="audit_actor_time")]

    def __str__(self) -> str:
        return f"#{self.seq or '-'} {self.action} {self.outcome}"

    @property
    def is_sealed(self) -> bool:
        return self.hash is not None

    def canonical(self) -> bytes:
        """The bytes the hash covers: the sequence number and every column of the event, in a fixed
        order."""
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

    def compute_hash(self, *, key: bytes | None = None) -> str:
        """The keyed hash this event must carry once sealed (after ``seq`` and ``prev_hash``)."""
        return row_hash(self.prev_hash or "", self.canonical(), key=key)


class ChainHead(models.Model):
    """The chain's checkpoint in the database: one row, written and locked only by the sealer and
    the purge (never by the transactions that record events), signed with the chain key.

    An unsigned head is the genesis state: valid only while nothing has been sealed."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    first_seq = models.BigIntegerField(default=1)
    anchor_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    last_id = models.BigIntegerField(default=0)
    sealed_at = models.DateTimeField(null=True, blank=True)
    signature = models.CharField(max_length=64, blank=True, default="")

    def __str__(self) -> str:
        return f"chain head #{self.last_seq}"

    @property
    def count(self) -> int:
        return self.last_seq - self.first_seq + 1

    def checkpoint(self) -> Checkpoint:
        return Checkpoint(
            first_seq=self.first_seq,
            anchor=self.anchor_hash,
            last_seq=self.last_seq,
            last_hash=self.last_hash,
            count=self.count,
            through_id=self.last_id,
            at=self.sealed_at.isoformat(timespec="microseconds") if self.sealed_at else "",
        )

    @property
    def is_genesis(self) -> bool:
        return (
            not self.signature
            and self.last_id == 0
            and self.count == 0
            and self.last_hash == self.anchor_hash == GENESIS_HASH
        )
