"""Which rule gives points for an event, and the administrator's edits of rules and policies.

``rule_in_force`` resolves the rule for (event, community, date, is the person a party member):
only active rules valid on the date apply; the community's own rule beats a rule for everywhere;
for party members a party-members-only rule beats a general one; among equals the latest
``valid_from`` wins. Rules are not personal data: the system administrator (points.configure)
edits them, and every edit is audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.audit.services import record_event
from shuren.core.concurrency import update_versioned
from shuren.core.errors import NotPermitted
from shuren.core.scoping import has_action
from shuren.core.validators import required_text
from shuren.places.models import Area, AreaKind

from ..models import EventKind, PointsPolicy, Rule, Scheme

RULE_FIELDS = ("name", "event", "scheme", "community", "points", "party_members_only", "valid_from", "valid_to")


def rule_in_force(event: str, community: Area | None, on: dt.date, *, party_member: bool = False) -> Rule | None:
    rules = Rule.objects.filter(event=event, is_active=True, valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )
    rules = (
        rules.filter(Q(community__isnull=True) | Q(community=community))
        if community
        else rules.filter(community__isnull=True)
    )
    if not party_member:
        rules = rules.filter(party_members_only=False)
    candidates = list(rules)
    if not candidates:
        return None
    return max(
        candidates,
        key=lambda r: (r.community_id is not None, r.party_members_only, r.valid_from, r.pk),
    )


def _check_admin(actor: User) -> None:
    if not has_action(actor, "points.configure"):
        raise NotPermitted()


def _clean_rule(data: dict[str, Any]) -> dict[str, Any]:
    data = {k: data.get(k) for k in RULE_FIELDS}
    data["name"] = required_text(data["name"], "name", _("Give the rule a name."), limit=80)
    errors: dict[str, list[str]] = {}
    if data["event"] not in EventKind.values:
        errors["event"] = [_("Choose what the rule gives points for.")]
    if (data["scheme"] or Scheme.RESIDENT) not in Scheme.values:
        errors["scheme"] = [_("Choose a scheme.")]
    data["scheme"] = data["scheme"] or Scheme.RESIDENT
    if data["points"] is None or not (0 <= int(data["points"]) <= 100000):
        errors["points"] = [_("Enter between 0 and 100000 points.")]
    if data["valid_from"] is None:
        errors["valid_from"] = [_("Enter the date from which the rule applies.")]
    elif data["valid_to"] is not None and data["valid_to"] < data["valid_from"]:
        errors["valid_to"] = [_("The end date cannot be before the start date.")]
    community = data["community"]
    if community is not None and community.kind != AreaKind.COMMUNITY:
        errors["community"] = [_("Choose a community, or leave it empty for every community.")]
    data["party_members_only"] = bool(data["party_members_only"])
    if errors:
        raise ValidationError(errors)
    return data


def create_rule(*, actor: User, **fields: Any) -> Rule:
    _check_admin(actor)
    data = _clean_rule(fields)
    with transaction.atomic():
        rule = Rule.objects.create(**data, is_active=True)
        record_event("points.rule_create", actor=actor, obj=rule, detail=_describe(rule))
    return rule


def edit_rule(*, actor: User, rule: Rule, version: int, **fields: Any) -> Rule:
    """Change a rule from the version the administrator read. Transactions already posted keep
    their points; the change applies to events credited from now on."""
    _check_admin(actor)
    data = _clean_rule(fields)
    with transaction.atomic():
        rule.version = update_versioned(Rule, pk=rule.pk, version=version, **data)
        for name, value in data.items():
            setattr(rule, name, value)
        record_event("points.rule_edit", actor=actor, obj=rule, detail=_describe(rule))
    return rule


def set_rule_active(*, actor: User, rule: Rule, version: int, active: bool) -> Rule:
    _check_admin(actor)
    with transaction.atomic():
        rule.version = update_versioned(Rule, pk=rule.pk, version=version, is_active=active)
        rule.is_active = active
        record_event("points.rule_activate" if active else "points.rule_deactivate", actor=actor, obj=rule)
    return rule


def _describe(rule: Rule) -> dict[str, str]:
    return {
        "event": rule.event,
        "community": str(rule.community_id or ""),
        "points": str(rule.points),
        "party_members_only": str(rule.party_members_only),
        "valid": f"{rule.valid_from}..{rule.valid_to or ''}",
    }


def policy_for(community: Area) -> PointsPolicy:
    """The community's policy, or the default (points never expire) unsaved."""
    return PointsPolicy.objects.filter(community=community).first() or PointsPolicy(community=community)


def set_policy(*, actor: User, community: Area, expiry_months: int) -> PointsPolicy:
    _check_admin(actor)
    if expiry_months is None or not (0 <= int(expiry_months) <= 120):
        raise ValidationError({"expiry_months": [_("Enter between 0 and 120 months (0: never).")]})
    with transaction.atomic():
        policy, _created = PointsPolicy.objects.update_or_create(
            community=community, defaults={"expiry_months": int(expiry_months)}
        )
        record_event("points.policy", actor=actor, obj=community, detail={"expiry_months": str(policy.expiry_months)})
    return policy
