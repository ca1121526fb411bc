"""Configuration of appeals in the staff console: the category tree with its deadlines and the
working-day overrides (system administrator); dispatch rules, handler accounts and the intake
policy of each community (the desk, within its own areas). Every change is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuren.accounts.acting import acting_user
from shuren.core.permissions import requires
from shuren.core.workdays import calendar_covers

from .. import services
from ..forms.console import (
    CategoryForm,
    DispatchRuleForm,
    HandlerForm,
    IntakePolicyForm,
    RuleTestForm,
    WorkdayOverrideForm,
    category_label,
)
from ..models import Appeal, DispatchRule
from ..selectors import (
    all_categories,
    category_tree,
    config_rules,
    configurable_communities,
    configured_handlers,
    handler_candidates,
    handler_organizations,
    intake_policies,
    intake_policy_of,
    rule_areas,
    rule_estates,
    rule_organizations,
    rule_test_buildings,
    workday_overrides,
)

RULES = "appeals.configure_rules"

# --- categories (system administrator) -----------------------------------------------------------


@requires("appeals.configure")
def category_list(request: HttpRequest) -> HttpResponse:
    rows = [(category, "\u3000" * depth, category_label(category)) for category, depth in category_tree()]
    return render(request, "appeals/console/category_list.html", {"rows": rows})


@requires("appeals.configure")
def category_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    category = get_object_or_404(all_categories(), pk=pk) if pk is not None else None
    form = CategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        services.save_category(
            actor=acting_user(request),
            category=form.save(commit=False),
            created=category is None,
            changed=form.changed_data,
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


def _rule_form(request: HttpRequest, rule: DispatchRule | None) -> DispatchRuleForm:
    user = request.user
    return DispatchRuleForm(
        request.POST or None,
        instance=rule,
        areas=rule_areas(user),
        estates=rule_estates(user),
        organizations=rule_organizations(user),
    )


@requires(RULES)
def rule_list(request: HttpRequest) -> HttpResponse:
    """The rules of the user's areas, and a helper that shows which organisation a category in a
    building would be given to (htmx refreshes only the answer)."""
    buildings = rule_test_buildings(request.user)
    test_form = RuleTestForm(request.GET if "test_category" in request.GET else None, buildings=buildings)
    result = _rule_test(test_form) if test_form.is_bound and test_form.is_valid() else None
    context = {"test_form": test_form, "result": result}
    if getattr(request, "htmx", False) and test_form.is_bound:  # django-htmx's middleware sets it
        return render(request, "appeals/console/_rule_test.html", context)
    return render(
        request,
        "appeals/console/rule_list.html",
        {**context, "rules": config_rules(request.user), "section": "rules"},
    )


def _rule_test(form: RuleTestForm) -> dict[str, Any]:
    from ..dispatching import matching_rules

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
    rule = get_object_or_404(config_rules(request.user), pk=pk) if pk is not None else None
    form = _rule_form(request, rule)
    if request.method == "POST" and form.is_valid():
        services.save_rule(
            actor=acting_user(request), rule=form.save(commit=False), created=rule is None, changed=form.changed_data
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
    rule = services.toggle_rule(actor=acting_user(request), rule=get_object_or_404(config_rules(request.user), pk=pk))
    messages.success(request, _("The rule is active again.") if rule.is_active else _("The rule has been deactivated."))
    return redirect("appeals:rule_list")


# --- handler accounts ----------------------------------------------------------------------------


@requires(RULES)
def handler_list(request: HttpRequest) -> HttpResponse:
    """Link an account holding the handler role to the organisation it answers for."""
    form = HandlerForm(
        request.POST or None,
        users=handler_candidates(request.user),
        organizations=handler_organizations(request.user),
    )
    if request.method == "POST" and form.is_valid():
        handler, _created = services.link_handler(
            actor=acting_user(request), user=form.cleaned_data["user"], organization=form.cleaned_data["organization"]
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
        {"form": form, "handlers": configured_handlers(request.user), "section": "handlers"},
    )


@requires(RULES)
@require_POST
def handler_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    services.toggle_handler(
        actor=acting_user(request), handler=get_object_or_404(configured_handlers(request.user), pk=pk)
    )
    messages.success(request, _("The handler account has been updated."))
    return redirect("appeals:handler_accounts")


# --- intake policy per community -----------------------------------------------------------------


@requires(RULES)
def policy_list(request: HttpRequest) -> HttpResponse:
    communities = list(configurable_communities(request.user)[:500])
    policies = intake_policies(communities)
    rows = [(community, policies.get(community.pk)) for community in communities]
    return render(request, "appeals/console/policy_list.html", {"rows": rows, "section": "policies"})


@requires(RULES)
def policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    community = get_object_or_404(configurable_communities(request.user), pk=pk)
    form = IntakePolicyForm(request.POST or None, instance=intake_policy_of(community))
    if request.method == "POST" and form.is_valid():
        services.save_intake_policy(actor=acting_user(request), community=community, policy=form.save(commit=False))
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
        saved = services.save_workday_override(actor=acting_user(request), override=form.save(commit=False))
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
            "overrides": workday_overrides(since),
            "uncovered": uncovered,
        },
    )


@requires("appeals.configure")
@require_POST
def workday_delete(request: HttpRequest, pk: int) -> HttpResponse:
    services.delete_workday_override(actor=acting_user(request), override=get_object_or_404(workday_overrides(), pk=pk))
    messages.success(request, _("The override has been removed."))
    return redirect("appeals:workday_list")
