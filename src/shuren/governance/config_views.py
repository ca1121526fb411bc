"""Staff console of governance: each community's policy (claim lapse, review of wishes)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from shuren.core.errors import OutOfScope
from shuren.core.forms import add_validation_errors
from shuren.core.permissions import requires

from . import services
from .forms import PolicyForm
from .list_views import _communities

# --- policy --------------------------------------------------------------------------------------


@requires("governance.manage")
def policy_list(request: HttpRequest) -> HttpResponse:
    communities = list(_communities(request.user, "governance.manage"))
    for community in communities:
        community.policy = services.policy_for(community)
    return render(request, "governance/console/policy_list.html", {"communities": communities})


@requires("governance.manage")
def policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    community = _communities(request.user, "governance.manage").filter(pk=pk).first()
    if community is None:
        raise OutOfScope()
    policy = services.policy_for(community)
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_policy(
                request.user,
                community,
                claim_lapse_days=form.cleaned_data["claim_lapse_days"],
                wishes_need_review=form.cleaned_data["wishes_need_review"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The policy of %(community)s has been saved.") % {"community": community.name})
            return redirect("governance:policy_list")
    return render(
        request,
        "governance/console/policy_form.html",
        {"form": form, "community": community},
        status=400 if form.errors else 200,
    )
