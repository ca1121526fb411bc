"""People pages: the scoped list with search, one page per person (一人一档), registration, where
they live, and the residents export."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from shuren.accounts.acting import acting_user
from shuren.core.exports import common_scope, request_export
from shuren.core.forms import add_validation_errors
from shuren.core.masking import display_name, mask_phone
from shuren.core.permissions import requires
from shuren.core.reauth import reauth_required
from shuren.core.scoping import can, has_action, scope_paths
from shuren.places.selectors import communities_where, dwelling_where, estates_where

from ..exports import FULL_EXPORT, ResidentsExporter
from ..forms import FullExportForm, PersonEditForm, PersonForm, PersonSearchForm, ResidenceForm
from ..models import Gender
from ..selectors import (
    REVEAL,
    all_revealable,
    current_memberships,
    current_posts,
    editable_tags,
    people_to_export,
    person_rows_of,
    recent_visits,
    residences_of,
    tag_ids_among,
    tags_besides,
    tags_for,
    tags_shown,
    visible_people,
    visible_records,
)
from ..services import add_residence, end_residence, register_person, update_person
from .common import one_to_one, person_to_change


@dataclass(frozen=True, slots=True)
class PersonRow:
    """One row of the residents list, every text ready for the template (list_rows)."""

    pk: int
    shown_name: str
    gender: str
    age: str
    phone: str
    community: str


def age_in_words(birth: dt.date | None, today: dt.date) -> str:
    """A resident's age as the list shows it: whole years (months under one year), "—" if unknown."""
    if birth is None or birth > today:
        return "—"
    years = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
    if years >= 1:
        return ngettext("%(count)d year", "%(count)d years", years) % {"count": years}
    months = (today.year - birth.year) * 12 + today.month - birth.month - (today.day < birth.day)
    return ngettext("%(count)d month", "%(count)d months", months) % {"count": months}


def list_rows(ids: list[int], *, full: bool, today: dt.date) -> list[PersonRow]:
    """The residents list's rows for the people ``ids``: names masked unless the viewer may see them
    in full, mobiles always masked, labels looked up once per page."""
    genders = {value: str(label) for value, label in Gender.choices}
    return [
        PersonRow(
            pk=row["id"],
            shown_name=display_name(row["name"], full=full),
            gender=genders.get(row["gender"], "—"),
            age=age_in_words(row["birth_date"], today),
            phone=mask_phone(row["phone"]) if row["phone"] else "—",
            community=row["community__name"],
        )
        for row in person_rows_of(ids)
    ]


@requires("people.view_person")
def person_list(request: HttpRequest) -> HttpResponse:
    form = PersonSearchForm(request.GET or None, tags=tags_for(request.user))
    query = form.cleaned_data.get("q", "") if form.is_valid() else ""
    tag = form.cleaned_data.get("tag", "") if form.is_valid() else ""
    people = visible_people(request.user, query=query, tag=tag)
    ids = Paginator(people.values_list("pk", flat=True), 50).get_page(request.GET.get("page"))
    full = has_action(request.user, "people.change_person")
    rows = list_rows(list(ids.object_list), full=full, today=timezone.localdate())
    page: Page[PersonRow] = Page(rows, ids.number, ids.paginator)  # type: ignore[arg-type]  # the paginator counted ids
    headings = [_("Full name"), _("Gender"), _("Age"), _("Mobile number"), _("Community")]
    return render(
        request,
        "people/person_list.html",
        {
            "form": form,
            "page": page,
            "headings": headings,
            "can_add": full,
            "can_export": has_action(request.user, "people.export_person"),
            "can_export_full": has_action(request.user, "people.reveal_pii"),
        },
    )


@requires("people.view_person")
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(visible_records(request.user), pk=pk)
    full = can(request.user, "people.change_person", person)
    affiliation = can(request.user, "people.view_affiliation", person)
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "shown_name": display_name(person.name, full=full),
            "residences": residences_of(person),
            "tags": tags_shown(request.user, person),
            "posts": current_posts(person),
            "visits": recent_visits(person),
            "memberships": current_memberships(person, with_affiliation=affiliation),
            "show_affiliation": affiliation,
            "party": one_to_one(person, "party_membership") if affiliation else None,
            "league": one_to_one(person, "league_profile") if affiliation else None,
            "can_edit": full,
            "can_edit_affiliation": full and affiliation,
            "can_reveal": can(request.user, "people.reveal_pii", person),
            "can_visit": can(request.user, "people.record_visit", person),
        },
    )


@requires("people.change_person")
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_to_change(request, pk, "people.change_person")
    tags = editable_tags(request.user, person)
    initial = {"name": person.name, "ethnicity": person.ethnicity, "tags": tag_ids_among(person, tags)}
    # The number is shown masked: seeing it in full is the audited reveal, not the edit form.
    form = PersonEditForm(request.POST or None, tags=tags, initial=initial, masked_phone=person.masked_phone)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            update_person(
                actor=acting_user(request),
                person=person,
                name=data["name"],
                phone=form.phone_to_save(person.phone),
                ethnicity=data["ethnicity"],
                tags=list(data["tags"]),
                keep_tags=tags_besides(tags),
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("people:person_detail", pk=person.pk)
    return render(
        request,
        "people/person_edit.html",
        {"form": form, "person": person, "title": _("Edit %(name)s") % {"name": person.name}},
    )


@requires("people.change_person")
def person_new(request: HttpRequest) -> HttpResponse:
    form = PersonForm(request.POST or None, communities=communities_where(request.user, "people.change_person"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = register_person(
                actor=acting_user(request),
                community=data["community"],
                name=data["name"],
                id_number=data["id_number"],
                phone=data["phone"],
                ethnicity=data["ethnicity"] or "汉族",
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("%(name)s has been registered.") % {"name": person.name})
            return redirect("people:person_detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form})


@requires("people.export_person")
@reauth_required
def export_people(request: HttpRequest) -> HttpResponse:
    """GET: the filtered list as xlsx with masked numbers, at once, audited. POST (with a reason):
    a request for the same list with full numbers, which another user must approve before the
    requester can download it once (core.exports); only for a user who may see every number."""
    filters = {"q": request.GET.get("q", "")[:50], "tag": request.GET.get("tag", "")[:40]}
    people = people_to_export(request.user, filters)
    if request.method == "POST":
        form = FullExportForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("State why you need the full numbers."))
            return redirect("people:person_list")
        if not all_revealable(request.user, people):
            raise PermissionDenied
        export = request_export(
            actor=acting_user(request),
            kind=FULL_EXPORT,
            scope=common_scope(scope_paths(request.user, REVEAL)),
            filters=filters,
            reason=form.cleaned_data["reason"],
            rows=people.count(),
        )
        messages.success(
            request, _("Your request has been sent for approval; you can download the file here once it is approved.")
        )
        return redirect("exports:detail", pk=export.pk)
    return ResidentsExporter(request.user).audited(request, people, filters=filters)


@requires("people.change_person")
def residence_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record where a resident lives: the dwelling by estate, building, unit and room."""
    person = person_to_change(request, pk, "people.change_person")
    estates = estates_where(request.user, "places.view_place", community=person.community)
    form = ResidenceForm(request.POST or None, estates=estates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        dwelling = dwelling_where(
            request.user,
            "people.change_person",
            estate=data["estate"],
            building=data["building"],
            unit=data["unit"],
            room=data["room"],
        )
        if dwelling is None:
            form.add_error("room", _("No such dwelling in your area: check the building, unit and room."))
        else:
            try:
                add_residence(
                    actor=acting_user(request),
                    person=person,
                    dwelling=dwelling,
                    relation=data["relation"],
                    status=data["status"],
                    from_on=data["from_on"],
                )
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                messages.success(request, _("The dwelling has been recorded."))
                return redirect("people:person_detail", pk=person.pk)
    title = _("Where %(name)s lives") % {"name": person.name}
    return render(request, "people/person_edit.html", {"form": form, "person": person, "title": title})


@requires("people.change_person")
@require_POST
def residence_end(request: HttpRequest, pk: int, residence_pk: int) -> HttpResponse:
    person = person_to_change(request, pk, "people.change_person")
    residence = get_object_or_404(person.residences.all(), pk=residence_pk)
    try:
        on = dt.date.fromisoformat(request.POST.get("to_on", "")) if request.POST.get("to_on") else timezone.localdate()
        end_residence(actor=acting_user(request), residence=residence, on=on)
    except ValueError:
        messages.error(request, _("Enter a valid date."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The residence has ended."))
    return redirect("people:person_detail", pk=person.pk)
