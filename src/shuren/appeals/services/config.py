"""The configuration of appeals: categories, dispatch rules, handler accounts, intake policies and
working-day overrides. Each change is one transaction with its audit record. The pages' model
forms build the rows (``form.save(commit=False)``); these functions store them."""

from __future__ import annotations

from django.db import transaction

from shuren.accounts.models import User
from shuren.audit.services import record_event
from shuren.core.errors import NotPermitted
from shuren.core.models import WorkdayOverride
from shuren.core.scoping import has_action
from shuren.orgs.models import Organization
from shuren.places.models import Area

from ..models import Category, DispatchRule, Handler, IntakePolicy

CONFIGURE = "appeals.configure"
RULES = "appeals.configure_rules"


def _require(actor: User, action: str) -> None:
    if not has_action(actor, action):
        raise NotPermitted()


def save_category(*, actor: User, category: Category, created: bool, changed: list[str]) -> Category:
    """Store a new or edited category (``changed``: the form's changed fields, for the record)."""
    _require(actor, CONFIGURE)
    with transaction.atomic():
        category.save()
        record_event(
            "appeals.category_save",
            actor=actor,
            obj=category,
            detail={
                "code": category.code,
                "created": created,
                "changed": changed,
                "response_hours": category.response_hours,
                "resolution_hours": category.resolution_hours,
            },
        )
    return category


def save_rule(*, actor: User, rule: DispatchRule, created: bool, changed: list[str]) -> DispatchRule:
    """Store a new or edited dispatch rule of the actor's areas."""
    _require(actor, RULES)
    with transaction.atomic():
        rule.save()
        record_event(
            "appeals.rule_save",
            actor=actor,
            obj=rule,
            detail={
                "created": created,
                "changed": changed,
                "category": rule.category.code if rule.category is not None else "*",
                "organization": rule.organization_id,
                "priority": rule.priority,
                "active": rule.is_active,
            },
        )
    return rule


def toggle_rule(*, actor: User, rule: DispatchRule) -> DispatchRule:
    """Deactivate an active rule, or activate it again."""
    _require(actor, RULES)
    with transaction.atomic():
        rule.is_active = not rule.is_active
        rule.save(update_fields=["is_active", "updated_at"])
        record_event("appeals.rule_active", actor=actor, obj=rule, detail={"active": rule.is_active})
    return rule


def link_handler(*, actor: User, user: User, organization: Organization) -> tuple[Handler, bool]:
    """Let ``user`` (who holds the handler role) answer appeals for ``organization``; an earlier
    link made inactive becomes active again. Returns the link and whether it is new."""
    _require(actor, RULES)
    with transaction.atomic():
        handler, created = Handler.objects.get_or_create(user=user, organization=organization)
        if not created and not handler.is_active:
            handler.is_active = True
            handler.save(update_fields=["is_active", "updated_at"])
        record_event(
            "appeals.handler_link",
            actor=actor,
            obj=handler.organization,
            detail={"user": handler.user_id, "handler": handler.pk, "created": created},
        )
    return handler, created


def toggle_handler(*, actor: User, handler: Handler) -> Handler:
    """Suspend a handler account's link to its organisation, or restore it."""
    _require(actor, RULES)
    with transaction.atomic():
        handler.is_active = not handler.is_active
        handler.save(update_fields=["is_active", "updated_at"])
        record_event(
            "appeals.handler_active",
            actor=actor,
            obj=handler.organization,
            detail={"user": handler.user_id, "handler": handler.pk, "active": handler.is_active},
        )
    return handler


def save_intake_policy(*, actor: User, community: Area, policy: IntakePolicy) -> IntakePolicy:
    """Store the intake policy of ``community`` (anonymous appeals, the reopen window, publication)."""
    _require(actor, RULES)
    with transaction.atomic():
        policy.save()
        record_event(
            "appeals.intake_policy_save",
            actor=actor,
            obj=community,
            detail={"allow_anonymous": policy.allow_anonymous, "reopen_days": policy.reopen_days},
        )
    return policy


def save_workday_override(*, actor: User, override: WorkdayOverride) -> WorkdayOverride:
    """Store a day the calendar package gets wrong or does not know yet."""
    _require(actor, CONFIGURE)
    with transaction.atomic():
        override.save()
        record_event(
            "appeals.workday_override_save",
            actor=actor,
            detail={"on": override.on.isoformat(), "working": override.is_working_day, "note": override.note},
        )
    return override


def delete_workday_override(*, actor: User, override: WorkdayOverride) -> None:
    _require(actor, CONFIGURE)
    with transaction.atomic():
        record_event(
            "appeals.workday_override_delete",
            actor=actor,
            detail={"on": override.on.isoformat(), "working": override.is_working_day},
        )
        override.delete()
