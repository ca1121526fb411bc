"""The serviceable list (可服务清单, /public/services/<community>/): what a community's units and residents
offer, open to everyone. No personal data: organisations by name, a resident only when they chose
to be named; no phone, no address beyond the community or grid."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shuren.core.permissions import public
from shuren.core.scoping import has_action

from .. import selectors
from ..models import Category


@public
def serviceable_list(request: HttpRequest, pk: int) -> HttpResponse:
    community = selectors.public_community(pk)
    resources = list(selectors.serviceable_resources(community)[:300])
    groups: dict[str, list[object]] = {}
    for resource in resources:
        groups.setdefault(resource.category, []).append(resource)
    person = selectors.person_of(request.user)
    may_request = (
        has_action(request.user, "lists.request") and person is not None and person.community_id == community.pk
    )
    return render(
        request,
        "lists/public/serviceable_list.html",
        {
            "community": community,
            "groups": [(Category(code).label, items) for code, items in groups.items()],
            "count": len(resources),
            "may_request": may_request,
        },
    )
