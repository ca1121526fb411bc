"""The co-signing policy of a community: how many co-signatures and how many days."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.audit.services import record_event
from shuren.core.errors import NotPermitted, OutOfScope
from shuren.core.scoping import can
from shuren.places.models import Area, AreaKind

from ..models import ProposalPolicy


def update_policy(*, actor: User, community: Area, signature_threshold: int, signing_days: int) -> ProposalPolicy:
    """Set the community's threshold and signing window; proposals already collecting keep theirs."""
    if community.kind != AreaKind.COMMUNITY:
        raise ValidationError(_("Policies are set per community."))
    if not can(actor, "proposals.manage", community):
        if can(actor, "proposals.view", community):
            raise NotPermitted()
        raise OutOfScope()
    errors: dict[str, list[str]] = {}
    if not 1 <= int(signature_threshold) <= 10000:
        errors["signature_threshold"] = [_("Between 1 and 10000 co-signatures.")]
    if not 1 <= int(signing_days) <= 365:
        errors["signing_days"] = [_("Between 1 and 365 days.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        policy, _created = ProposalPolicy.objects.update_or_create(
            community=community,
            defaults={"signature_threshold": signature_threshold, "signing_days": signing_days},
        )
        record_event(
            "proposals.policy",
            actor=actor,
            obj=policy,
            scope=community.path,
            detail={"threshold": signature_threshold, "days": signing_days},
        )
    return policy
