"""Posts and duties (设岗定责, 楼长-巷长-街长): who holds which post over which buildings, the
vacancies, assigning and ending terms, the post kinds, and a post holder's own home page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuren.accounts.acting import acting_user
from shuren.core.exports import requested_format
from shuren.core.forms import add_validation_errors
from shuren.core.masking import display_name
from shuren.core.permissions import requires
from shuren.core.scoping import has_action
from shuren.people.selectors import people_where
from shuren.places.selectors import areas_where, buildings_where

from ..exports import PostExporter
from ..forms import PostAssignmentForm, PostFilterForm, PostKindForm
from ..panels import building_panels
from ..selectors import (
    building_leader_kind,
    buildings_without_leader,
    coverage,
    leader_home,
    post_kinds,
    visible_assignments,
)
from ..services import assign_post, end_post, save_post_kind

CHANGE = "orgs.change_organization"


@requires("orgs.view_organization")
def post_list(request: HttpRequest) -> HttpResponse:
    form = PostFilterForm(request.GET or None, kinds=post_kinds())
    kind = form.cleaned_data.get("kind", "") if form.is_valid() else ""
    page = Paginator(visible_assignments(request.user, kind=kind), 50).get_page(request.GET.get("page"))
    full = has_action(request.user, "people.change_person")
    for assignment in page.object_list:
        assignment.shown_name = display_name(assignment.person.name, full=full)  # type: ignore[attr-defined]  # for the template
    vacant = buildings_without_leader(request.user)
    return render(
        request,
        "orgs/post_list.html",
        {
            "form": form,
            "page": page,
            "headings": [_("Post"), _("Person"), _("Area"), _("Covers"), _("Term"), ""],
            "coverage": coverage(request.user),
            "vacant": vacant[:30],
            "vacant_count": vacant.count(),
            "can_assign": has_action(request.user, "orgs.change_organization"),
            "can_configure": has_action(request.user, "orgs.configure_posts"),
        },
    )


@requires("orgs.change_organization")
def post_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    areas = areas_where(user, CHANGE)
    buildings = buildings_where(user, CHANGE)
    people = people_where(user, CHANGE)
    initial: dict[str, object] = {"from_on": timezone.localdate()}
    if request.GET.get("building", "").isdigit():
        building = buildings.filter(pk=request.GET["building"]).first()
        if building is not None:
            initial |= {
                "buildings": [building.pk],
                "area": building.grid_id,
                "kind": building_leader_kind(),
            }
    form = PostAssignmentForm(
        request.POST or None,
        kinds=post_kinds(),
        people=people,
        areas=areas,
        buildings=buildings,
        full_names=has_action(user, "people.change_person"),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assign_post(
                actor=user,
                kind=data["kind"],
                person=data["person"],
                area=data["area"],
                buildings=list(data["buildings"]),
                place_name=data["place_name"],
                from_on=data["from_on"],
                to_on=data["to_on"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The post has been assigned."))
            return redirect("orgs:post_list")
    return render(request, "orgs/post_form.html", {"form": form, "title": _("Assign a post")})


@requires("orgs.change_organization")
@require_POST
def post_end(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(visible_assignments(request.user), pk=pk)
    try:
        end_post(actor=acting_user(request), assignment=assignment, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The term has ended; the post is vacant."))
    return redirect("orgs:post_list")


@requires("orgs.view_own_posts")
def my_posts(request: HttpRequest) -> HttpResponse:
    """楼长的首页: my buildings, their residents (masked) and who is due a visit."""
    home = leader_home(request.user)
    for person in home.residents:
        person.shown_name = display_name(person.name, full=False)
        person.home = next((r.dwelling for r in person.residences.all() if r.to_on is None), None)
    for item in home.due:
        item.person.shown_name = display_name(item.person.name, full=False)
    # Panels of the apps above orgs (e.g. the households a notice has not reached yet).
    panels = [
        render_to_string(template, context, request=request)
        for template, context in building_panels(request.user, home.buildings)
    ]
    return render(
        request,
        "orgs/my_posts.html",
        {"home": home, "can_visit": has_action(request.user, "people.record_visit"), "panels": panels},
    )


@requires("orgs.configure_posts")
def post_kind_list(request: HttpRequest) -> HttpResponse:
    return render(request, "orgs/post_kind_list.html", {"kinds": post_kinds()})


@requires("orgs.configure_posts")
def post_kind_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    kind = get_object_or_404(post_kinds(), pk=pk) if pk is not None else None
    form = PostKindForm(request.POST or None, instance=kind)
    if request.method == "POST" and form.is_valid():
        save_post_kind(actor=acting_user(request), kind=kind, fields=form.cleaned_data)
        messages.success(request, _("The post kind has been saved."))
        return redirect("orgs:post_kind_list")
    title = _("Edit post kind") if kind else _("New post kind")
    return render(request, "orgs/post_form.html", {"form": form, "title": title})


@requires("orgs.view_organization")
def post_export(request: HttpRequest) -> HttpResponse:
    """Posts held today as xlsx; names masked unless the user may see them in full."""
    form = PostFilterForm(request.GET or None, kinds=post_kinds())
    kind = form.cleaned_data.get("kind", "") if form.is_valid() else ""
    full = has_action(request.user, "people.change_person")
    return PostExporter(request.user).response(
        request,
        visible_assignments(request.user, kind=kind),
        fmt=requested_format(request),
        filters={"kind": kind},
        detail={"kind": kind, "full_names": full},
    )
