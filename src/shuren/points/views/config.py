"""Console pages of the system administrator (points.configure): the rules that map events to
points (validity dates, community, scheme, points; deactivate instead of delete) and each
community's points policy (expiry after N months). Rules are not personal data."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuren.accounts.acting import acting_user
from shuren.core.errors import OutOfScope, StaleVersion
from shuren.core.forms import add_validation_errors
from shuren.core.permissions import requires
from shuren.places.community_settings import settings_page
from shuren.places.models import Area, AreaKind

from .. import selectors, services
from ..forms import PolicyForm, RuleForm
from ..models import Rule
from ..services.rules import RULE_FIELDS


def _communities(request: HttpRequest) -> QuerySet[Area]:
    return selectors.communities(request.user, "points.configure")


@requires("points.configure")
def rule_list(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "active")
    rules = selectors.rules(active_only=show == "active")
    return render(request, "points/console/rule_list.html", {"rules": rules, "show": show})


def _rule_form(request: HttpRequest, rule: Rule | None) -> HttpResponse:
    form = RuleForm(request.POST or None, instance=rule, communities=_communities(request))
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data.get(name) for name in RULE_FIELDS}
        try:
            if rule is None:
                rule = services.create_rule(actor=acting_user(request), **data)
            else:
                services.edit_rule(
                    actor=acting_user(request), rule=rule, version=form.cleaned_data.get("version") or 0, **data
                )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except StaleVersion:
            form.add_error(None, _("Someone changed this rule meanwhile. Reload the page and try again."))
        else:
            messages.success(request, _("The rule “%(name)s” has been saved.") % {"name": rule.name})
            return redirect("points:rule_list")
    return render(
        request, "points/console/rule_form.html", {"form": form, "rule": rule}, status=400 if form.errors else 200
    )


@requires("points.configure")
def rule_new(request: HttpRequest) -> HttpResponse:
    return _rule_form(request, None)


@requires("points.configure")
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _rule_form(request, get_object_or_404(selectors.rules(active_only=False), pk=pk))


@requires("points.configure")
@require_POST
def rule_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(selectors.rules(active_only=False), pk=pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        services.set_rule_active(actor=acting_user(request), rule=rule, version=version, active=not rule.is_active)
    except StaleVersion:
        messages.error(request, _("Someone changed this rule meanwhile. Reload the page and try again."))
    else:
        messages.success(
            request,
            (_("The rule “%(name)s” is in force again.") if rule.is_active else _("The rule “%(name)s” is off."))
            % {"name": rule.name},
        )
    return redirect("points:rule_list")


@requires("points.configure")
def policy_list(request: HttpRequest) -> HttpResponse:
    communities = list(_communities(request))
    for community in communities:
        community.points_policy_now = services.policy_for(community)  # type: ignore[attr-defined]  # shown by the template
    return render(request, "points/console/policy_list.html", {"communities": communities})


@requires("points.configure")
def policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    community = selectors.community_by_pk(request.user, pk, "points.configure")
    if community is None or community.kind != AreaKind.COMMUNITY:
        raise OutOfScope()
    return settings_page(
        request,
        community=community,
        form=PolicyForm(request.POST or None, instance=services.policy_for(community)),
        save=lambda data: services.set_policy(
            actor=acting_user(request), community=community, expiry_months=data["expiry_months"]
        ),
        template="points/console/policy_form.html",
        done="points:policy_list",
    )
