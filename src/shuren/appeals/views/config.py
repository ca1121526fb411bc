"""Configuration of appeals in the staff console: the category tree with its deadlines and the
working-day overrides (system administrator); dispatch rules, handler accounts and the intake
policy of each community (the desk, within its own areas). Every change is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuren.accounts.models import RoleGrant, User
from shuren.accounts.roles import Role
from shuren.audit.services import record_event
from shuren.core.models import WorkdayOverride
from shuren.core.permissions import requires
from shuren.core.scoping import scope_paths, scope_q, visible
from shuren.core.workdays import calendar_covers
from shuren.orgs.models import Organization
from shuren.places.models import Area, AreaKind, Building, Estate

from .forms import (
    CategoryForm,
    DispatchRuleForm,
    HandlerForm,
    IntakePolicyForm,
    RuleTestForm,
    WorkdayOverrideForm,
    category_label,
    category_tree,
)
from .models import Appeal, Category, DispatchRule, Handler, IntakePolicy

RULES = "appeals.configure_rules"

# --- categories (system administrator) -----------------------------------------------------------


@requires("appeals.configure")
def category_list(request: HttpRequest) -> HttpResponse:
    rows = [(category, "\u3000" * depth, category_label(category)) for category, depth in category_tree()]
    return render(request, "appeals/console/category_list.html", {"rows": rows})


@requires("appeals.configure")
def category_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    category = get_object_or_404(Category, pk=pk) if pk is not None else None
    form = CategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        record_event(
            "appeals.category_save",
            request=request,
            obj=saved,
            detail={
                "code": saved.code,
                "created": category is None,
                "changed": form.changed_data,
                "response_hours": saved.response_hours,
                "resolution_hours": saved.resolution_hours,
            },
        )
        messages.success(request, _("The category has been saved."))
        return redirect("appeals:category_list")
    title = _("Edit category %(name)s") % {"name": category.name} if category else _("New category")
    return render(
        request,
        "appeals/console/config_form.html",
        {"form": form, "title": title, "back": "appeals:category_list", "section": "categories"},
    )


# --- dispatch rules (the desk, in its areas) -----------------------------------------------------


def _rules(user: Any) -> QuerySet[DispatchRule]:
    return visible(
        DispatchRule.objects.select_related("area", "category", "estate", "organization"), user, RULES
    ).order_by("scope", "priority", "pk")


def _areas_above(paths: list[str]) -> set[str]:
    return {".".join(p.split(".")[:i]) for p in paths for i in range(1, p.count(".") + 1)}


def rule_organizations(user: Any) -> QuerySet[Organization]:
    """Organisations a rule of the user's areas may name: those of the areas, and departments above."""
    paths = scope_paths(user, RULES)
    if not paths:
        return Organization.objects.none()
    return Organization.objects.filter(scope_q(paths, "scope") | Q(scope__in=_areas_above(paths))).order_by(
        "scope", "kind", "name"
    )


def _rule_form(request: HttpRequest, rule: DispatchRule | None) -> DispatchRuleForm:
    user = request.user
    return DispatchRuleForm(
        request.POST or None,
        instance=rule,
        areas=visible(Area.objects.order_by("path"), user, RULES),
        estates=visible(Estate.objects.all(), user, RULES).order_by("name"),
        organizations=rule_organizations(user),
    )


@requires(RULES)
def rule_list(request: HttpRequest) -> HttpResponse:
    """The rules of the user's areas, and a helper that shows which organisation a category in a
    building would be given to (htmx refreshes only the answer)."""
    from django.db.models.functions import Length

    buildings = visible(Building.objects.select_related("estate"), request.user, RULES).order_by(
        "estate__name", Length("number"), "number"
    )
    test_form = RuleTestForm(request.GET if "test_category" in request.GET else None, buildings=buildings)
    result = _rule_test(test_form) if test_form.is_bound and test_form.is_valid() else None
    context = {"test_form": test_form, "result": result}
    if request.htmx and test_form.is_bound:
        return render(request, "appeals/console/_rule_test.html", context)
    return render(
        request,
        "appeals/console/rule_list.html",
        {**context, "rules": _rules(request.user), "section": "rules"},
    )


def _rule_test(form: RuleTestForm) -> dict[str, Any]:
    from .dispatching import matching_rules

    building = form.cleaned_data["test_building"]
    category = form.cleaned_data["test_category"]
    probe = Appeal(
        category=category,
        estate=building.estate,
        building=building,
        area=building.grid or building.estate.community,
        scope=building.scope,
    )
    rules = matching_rules(probe)
    return {
        "category": category_label(category),
        "building": f"{building.estate.name} {building.number}",
        "rule": rules[0] if rules else None,
        "others": rules[1:5],
    }


@requires(RULES)
def rule_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    rule = get_object_or_404(_rules(request.user), pk=pk) if pk is not None else None
    form = _rule_form(request, rule)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        record_event(
            "appeals.rule_save",
            request=request,
            obj=saved,
            detail={
                "created": rule is None,
                "changed": form.changed_data,
                "category": saved.category.code if saved.category_id else "*",
                "organization": saved.organization_id,
                "priority": saved.priority,
                "active": saved.is_active,
            },
        )
        messages.success(request, _("The dispatch rule has been saved."))
        return redirect("appeals:rule_list")
    return render(
        request,
        "appeals/console/config_form.html",
        {
            "form": form,
            "title": _("Edit dispatch rule") if rule else _("New dispatch rule"),
            "back": "appeals:rule_list",
            "section": "rules",
        },
    )


@requires(RULES)
@require_POST
def rule_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(_rules(request.user), pk=pk)
    rule.is_active = not rule.is_active
    rule.save(update_fields=["is_active", "updated_at"])
    record_event("appeals.rule_active", request=request, obj=rule, detail={"active": rule.is_active})
    messages.success(request, _("The rule is active again.") if rule.is_active else _("The rule has been deactivated."))
    return redirect("appeals:rule_list")


# --- handler accounts ----------------------------------------------------------------------------


def _handlers(user: Any) -> QuerySet[Handler]:
    paths = scope_paths(user, RULES)
    if not paths:
        return Handler.objects.none()
    return (
        Handler.objects.filter(scope_q(paths, "organization__scope"))
        .select_related("user", "organization")
        .order_by("organization__scope", "organization__name", "user__username")
    )


@requires(RULES)
def handler_list(request: HttpRequest) -> HttpResponse:
    """Link an account holding the handler role to the organisation it answers for."""
    paths = scope_paths(request.user, RULES)
    grants = RoleGrant.objects.active().filter(role=Role.HANDLER).filter(scope_q(paths, "area__path"))
    form = HandlerForm(
        request.POST or None,
        users=User.objects.filter(pk__in=grants.values("user"), is_active=True).order_by("username"),
        organizations=Organization.objects.filter(scope_q(paths, "scope")).order_by("scope", "name"),
    )
    if request.method == "POST" and form.is_valid():
        handler, created = Handler.objects.get_or_create(
            user=form.cleaned_data["user"], organization=form.cleaned_data["organization"]
        )
        if not created and not handler.is_active:
            handler.is_active = True
            handler.save(update_fields=["is_active", "updated_at"])
        record_event(
            "appeals.handler_link",
            request=request,
            obj=handler.organization,
            detail={"user": handler.user_id, "handler": handler.pk, "created": created},
        )
        messages.success(
            request,
            _("%(user)s now answers appeals for %(org)s.")
            % {"user": handler.user.label, "org": handler.organization.name},
        )
        return redirect("appeals:handler_accounts")
    return render(
        request,
        "appeals/console/handler_list.html",
        {"form": form, "handlers": _handlers(request.user), "section": "handlers"},
    )


@requires(RULES)
@require_POST
def handler_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    handler = get_object_or_404(_handlers(request.user), pk=pk)
    handler.is_active = not handler.is_active
    handler.save(update_fields=["is_active", "updated_at"])
    record_event(
        "appeals.handler_active",
        request=request,
        obj=handler.organization,
        detail={"user": handler.user_id, "handler": handler.pk, "active": handler.is_active},
    )
    messages.success(request, _("The handler account has been updated."))
    return redirect("appeals:handler_accounts")


# --- intake policy per community -----------------------------------------------------------------


def _communities(user: Any) -> QuerySet[Area]:
    return visible(Area.objects.filter(kind=AreaKind.COMMUNITY), user, RULES).order_by("path")


@requires(RULES)
def policy_list(request: HttpRequest) -> HttpResponse:
    communities = list(_communities(request.user)[:500])
    policies = {p.community_id: p for p in IntakePolicy.objects.filter(community__in=communities)}
    rows = [(community, policies.get(community.pk)) for community in communities]
    return render(request, "appeals/console/policy_list.html", {"rows": rows, "section": "policies"})


@requires(RULES)
def policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    community = get_object_or_404(_communities(request.user), pk=pk)
    policy = IntakePolicy.objects.filter(community=community).first() or IntakePolicy(community=community)
    form = IntakePolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        record_event(
            "appeals.intake_policy_save",
            request=request,
            obj=community,
            detail={"allow_anonymous": saved.allow_anonymous, "reopen_days": saved.reopen_days},
        )
        messages.success(request, _("The intake policy of %(name)s has been saved.") % {"name": community.name})
        return redirect("appeals:policy_list")
    return render(
        request,
        "appeals/console/config_form.html",
        {
            "form": form,
            "title": _("Intake policy of %(name)s") % {"name": community.name},
            "back": "appeals:policy_list",
            "section": "policies",
        },
    )


# --- working-day overrides (system administrator) ------------------------------------------------


@requires("appeals.configure")
def workday_list(request: HttpRequest) -> HttpResponse:
    """Days the calendar package gets wrong or does not know yet. Warns when it does not cover
    next year, so the administrator enters the State Council's holidays by hand."""
    form = WorkdayOverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        record_event(
            "appeals.workday_override_save",
            request=request,
            detail={"on": saved.on.isoformat(), "working": saved.is_working_day, "note": saved.note},
        )
        messages.success(request, _("The override for %(day)s has been saved.") % {"day": saved.on.isoformat()})
        return redirect("appeals:workday_list")
    this_year = timezone.localdate().year
    uncovered = [year for year in (this_year, this_year + 1) if not calendar_covers(year)]
    since = dt.date(this_year - 1, 1, 1)
    return render(
        request,
        "appeals/console/workday_list.html",
        {
            "form": form,
            "overrides": WorkdayOverride.objects.filter(on__gte=since).order_by("on"),
            "uncovered": uncovered,
        },
    )


@requires("appeals.configure")
@require_POST
def workday_delete(request: HttpRequest, pk: int) -> HttpResponse:
    override = get_object_or_404(WorkdayOverride, pk=pk)
    record_event(
        "appeals.workday_override_delete",
        request=request,
        detail={"on": override.on.isoformat(), "working": override.is_working_day},
    )
    override.delete()
    messages.success(request, _("The override has been removed."))
    return redirect("appeals:workday_list")
