"""Revealing a masked personal field: a separate, audited action that needs permission in the
object's scope, a stated reason and a recent re-authentication (SECURITY.md PII 11)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from .scoping import require

REVEAL_ACTION = "people.reveal_pii"


@dataclass(frozen=True)
class Revealable:
    model: type[models.Model]
    field: str
    mask: Callable[[str], str]
    action: str = REVEAL_ACTION


_REGISTRY: dict[str, Revealable] = {}


def register_revealable(
    model: type[models.Model], field: str, *, mask: Callable[[str], str], action: str = REVEAL_ACTION
) -> None:
    """Declare that ``model.field`` is shown masked and may be revealed by holders of ``action``."""
    _REGISTRY[f"{model._meta.label_lower}.{field}"] = Revealable(model, field, mask, action)


def revealable(label: str, field: str) -> Revealable | None:
    return _REGISTRY.get(f"{label.lower()}.{field}")


def masked(obj: models.Model, field: str) -> str:
    spec = revealable(obj._meta.label_lower, field)
    if spec is None:
        raise KeyError(f"{obj._meta.label}.{field} is not registered as revealable")
    return spec.mask(getattr(obj, field) or "")


def reveal(*, actor: AbstractBaseUser, obj: models.Model, field: str, reason: str) -> str:
    """Return the full value of ``obj.field`` for ``actor``.

    Guarantees: the actor may perform the field's reveal action in the object's scope (else
    OutOfScope/NotPermitted); a reason is given; an AuditEvent ``pii.reveal`` is written in the same
    transaction, so no value leaves without its audit row (fail closed).
    """
    from .auditing import record_event

    spec = revealable(obj._meta.label_lower, field)
    if spec is None:
        raise KeyError(f"{obj._meta.label}.{field} is not registered as revealable")
    reason = (reason or "").strip()
    require(actor, spec.action, obj)
    if len(reason) < 2:
        raise ValidationError(_("State why you need to see the full value."), code="reason_required")
    with transaction.atomic():
        record_event("pii.reveal", actor=actor, obj=obj, reason=reason, detail={"field": field})
        value = getattr(obj, field) or ""
    return str(value)
