"""Staff console of governance: each community's policy (claim lapse, review of wishes)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shuren.accounts.acting import acting_user
from shuren.core.errors import OutOfScope
from shuren.core.permissions import requires
from shuren.places.community_settings import settings_page

from .. import selectors, services
from ..forms import PolicyForm

# --- policy --------------------------------------------------------------------------------------


@requires("governance.manage")
def policy_list(request: HttpRequest) -> HttpResponse:
    communities = selectors.communities_with_policy(request.user)
    return render(request, "governance/console/policy_list.html", {"communities": communities})


@requires("governance.manage")
def policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    community = selectors.managed_community(user, pk)
    if community is None:
        raise OutOfScope()
    return settings_page(
        request,
        community=community,
        form=PolicyForm(request.POST or None, instance=selectors.policy_for(community)),
        save=lambda data: services.set_policy(
            actor=user,
            community=community,
            claim_lapse_days=data["claim_lapse_days"],
            wishes_need_review=data["wishes_need_review"],
        ),
        template="governance/console/policy_form.html",
        done="governance:policy_list",
    )
