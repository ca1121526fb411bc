"""People pages: the scoped list with search, one page per person (一人一档), registration."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuren.accounts.decorators import reauth_required
from shuren.audit.services import record_event
from shuren.core.forms import add_validation_errors
from shuren.core.masking import display_name
from shuren.core.permissions import requires
from shuren.core.scoping import can, has_action, require, visible
from shuren.places.models import Area, AreaKind

from .forms import PersonForm, PersonSearchForm
from .models import Person
from .selectors import tags_for, visible_people
from .services import branch_choices, register_person


@requires("people.view_person")
def person_list(request: HttpRequest) -> HttpResponse:
    form = PersonSearchForm(request.GET or None, tags=tags_for(request.user))
    query = form.cleaned_data.get("q", "") if form.is_valid() else ""
    tag = form.cleaned_data.get("tag", "") if form.is_valid() else ""
    people = visible_people(request.user, query=query, tag=tag)
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    full = has_action(request.user, "people.change_person")
    for person in page.object_list:
        person.shown_name = display_name(person.name, full=full)
    headings = [_("Name"), _("Gender"), _("Age"), _("Mobile number"), _("Community")]
    return render(
        request,
        "people/person_list.html",
        {
            "form": form,
            "page": page,
            "headings": headings,
            "can_add": full,
            "today": timezone.localdate(),
            "can_export": has_action(request.user, "people.export_person"),
            "can_export_full": has_action(request.user, "people.reveal_pii"),
        },
    )


@requires("people.view_person")
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(
        visible(Person.objects.select_related("community"), request.user, "people.view_person"), pk=pk
    )
    full = can(request.user, "people.change_person", person)
    residences = person.residences.select_related("dwelling__unit__building__estate").order_by("-from_on")
    tags = person.taggings.select_related("tag")
    if not can(request.user, "people.view_sensitive", person):
        tags = tags.filter(tag__is_sensitive=False)
    affiliation = can(request.user, "people.view_affiliation", person)
    posts = person.post_assignments.current().select_related("kind").prefetch_related("buildings__estate")
    visits = person.visits.select_related("visitor")[:10]
    memberships = person.memberships.filter(to_on__isnull=True).select_related("organization")
    if not affiliation:  # which party branch someone belongs to is itself an affiliation
        from shuren.orgs.models import PARTY_KINDS, OrganizationKind

        memberships = memberships.exclude(organization__kind__in=[*PARTY_KINDS, OrganizationKind.LEAGUE_BRANCH])
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "shown_name": display_name(person.name, full=full),
            "residences": residences,
            "tags": tags,
            "posts": posts,
            "visits": visits,
            "memberships": memberships,
            "show_affiliation": affiliation,
            "party": _one_to_one(person, "party_membership") if affiliation else None,
            "league": _one_to_one(person, "league_profile") if affiliation else None,
            "can_edit": full,
            "can_edit_affiliation": full and affiliation,
            "can_reveal": can(request.user, "people.reveal_pii", person),
            "can_visit": can(request.user, "people.record_visit", person),
        },
    )


def _one_to_one(person: Person, name: str) -> object | None:
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return getattr(person, name)
    except ObjectDoesNotExist:
        return None


def _person_to_change(request: HttpRequest, pk: int, *actions: str) -> Person:
    person = get_object_or_404(
        visible(Person.objects.select_related("community"), request.user, "people.view_person"), pk=pk
    )
    for action in actions:
        require(request.user, action, person)
    return person


@requires("people.change_person")
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    from .forms import PersonEditForm
    from .services import update_person

    person = _person_to_change(request, pk, "people.change_person")
    editable_tags = tags_for(request.user)
    if not can(request.user, "people.view_sensitive", person):
        editable_tags = editable_tags.filter(is_sensitive=False)
    initial = {
        "name": person.name,
        "ethnicity": person.ethnicity,
        "tags": list(person.taggings.filter(tag__in=editable_tags).values_list("tag_id", flat=True)),
    }
    # The number is shown masked: seeing it in full is the audited reveal, not the edit form.
    form = PersonEditForm(request.POST or None, tags=editable_tags, initial=initial, masked_phone=person.masked_phone)
    if request.method == "POST" and form.is_valid():
        from .models import PersonTag

        data = form.cleaned_data
        try:
            update_person(
                actor=request.user,
                person=person,
                name=data["name"],
                phone=form.phone_to_save(person.phone),
                ethnicity=data["ethnicity"],
                tags=list(data["tags"]),
                keep_tags=list(PersonTag.objects.exclude(pk__in=editable_tags.values("pk"))),
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


@requires("people.view_affiliation")
def party_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Record or correct a resident's party membership; or remove it, with a reason."""
    from shuren.orgs.models import PARTY_KINDS

    from .forms import PartyMembershipForm
    from .services import remove_party_membership, save_party_membership

    person = _person_to_change(request, pk, "people.change_person", "people.view_affiliation")
    current = _one_to_one(person, "party_membership")
    if request.method == "POST" and request.POST.get("remove"):
        try:
            remove_party_membership(actor=request.user, person=person, reason=request.POST.get("reason", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("people:party_edit", pk=person.pk)
        messages.success(request, _("The party membership has been removed."))
        return redirect("people:person_detail", pk=person.pk)
    form = PartyMembershipForm(
        request.POST or None, instance=current, branches=branch_choices(person, {str(k) for k in PARTY_KINDS})
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            save_party_membership(actor=request.user, person=person, **fields)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The party membership has been saved."))
            return redirect("people:person_detail", pk=person.pk)
    return render(
        request,
        "people/person_edit.html",
        {
            "form": form,
            "person": person,
            "title": _("Party membership of %(name)s") % {"name": person.name},
            "can_remove": current is not None,
        },
    )


@requires("people.view_affiliation")
def league_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """一团员一档案: the youth-league member's profile."""
    from shuren.orgs.models import OrganizationKind

    from .forms import LeagueProfileForm
    from .services import save_league_profile

    person = _person_to_change(request, pk, "people.change_person", "people.view_affiliation")
    form = LeagueProfileForm(
        request.POST or None,
        instance=_one_to_one(person, "league_profile"),
        branches=branch_choices(person, {str(OrganizationKind.LEAGUE_BRANCH)}),
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            save_league_profile(actor=request.user, person=person, **fields)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The youth-league profile has been saved."))
            return redirect("people:person_detail", pk=person.pk)
    return render(
        request,
        "people/person_edit.html",
        {"form": form, "person": person, "title": _("Youth-league profile of %(name)s") % {"name": person.name}},
    )


@requires("people.change_person")
def person_new(request: HttpRequest) -> HttpResponse:
    communities = visible(Area.objects.filter(kind=AreaKind.COMMUNITY), request.user, "people.change_person")
    form = PersonForm(request.POST or None, communities=communities)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = register_person(
                actor=request.user,
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


@requires("people.change_person")
def import_template(request: HttpRequest) -> HttpResponse:
    from shuren.core.exports import XLSX_CONTENT_TYPE

    from .imports import blank_template

    response = HttpResponse(blank_template(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="residents-template.xlsx"'
    return response


@requires("people.change_person")
def import_residents_view(request: HttpRequest) -> HttpResponse:
    from shuren.core.forms import SpreadsheetImportForm

    from .imports import import_residents

    communities = visible(Area.objects.filter(kind=AreaKind.COMMUNITY), request.user, "people.change_person")
    form = SpreadsheetImportForm(request.POST or None, request.FILES or None, communities=communities)
    result = None
    if request.method == "POST" and form.is_valid():
        from django.conf import settings

        upload = form.cleaned_data["file"]
        if upload.size > settings.SHUREN_IMPORT_INLINE_BYTES:  # a large file: a worker, with progress
            from .tasks import queue_import

            job = queue_import(
                actor=request.user,
                community=form.cleaned_data["community"],
                file_name=upload.name,
                data=upload.read(),
                dry_run=form.cleaned_data["dry_run"],
                language=translation.get_language() or "zh-hans",
            )
            return redirect("people:import_job", pk=job.pk)
        result = import_residents(
            actor=request.user,
            community=form.cleaned_data["community"],
            data=upload.read(),
            dry_run=form.cleaned_data["dry_run"],
        )
        if result.ok and not result.dry_run:
            messages.success(request, _("%(n)d residents imported.") % {"n": result.created})
            if not result.duplicates:
                return redirect("people:person_list")
            # Stay on the page: it lists the rows left out as already registered.
    return render(request, "people/import.html", {"form": form, "result": result})


@requires("people.export_person")
@reauth_required
def export_people(request: HttpRequest) -> HttpResponse:
    """GET: the filtered list as xlsx with masked numbers, at once, audited. POST (with a reason):
    a request for the same list with full numbers, which another user must approve before the
    requester can download it once (core.exports); only for a user who may see every number."""
    from shuren.core.exports import common_scope, request_export, xlsx_response
    from shuren.core.scoping import scope_paths

    from .exports import FULL_EXPORT, HEADINGS, REVEAL, all_revealable, filtered, rows
    from .forms import FullExportForm

    filters = {"q": request.GET.get("q", "")[:50], "tag": request.GET.get("tag", "")[:40]}
    people = filtered(request.user, filters)
    if request.method == "POST":
        form = FullExportForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("State why you need the full numbers."))
            return redirect("people:person_list")
        if not all_revealable(request.user, people):
            raise PermissionDenied
        export = request_export(
            actor=request.user,
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
    data = rows(request.user, people, full=False)
    record_event(
        "people.export",
        request=request,
        detail={"rows": len(data), "full": False, "query": filters["q"], "tag": filters["tag"]},
    )
    return xlsx_response("residents.xlsx", "居民 Residents", HEADINGS, data, user=request.user)


@requires("people.record_visit")
def visit_new(request: HttpRequest) -> HttpResponse:
    from .forms import VisitForm
    from .services import record_visit

    people = visible(Person.objects.order_by("name_pinyin"), request.user, "people.record_visit")
    full = has_action(request.user, "people.change_person")
    initial = {"person": request.GET.get("person")} if request.GET.get("person", "").isdigit() else {}
    form = VisitForm(request.POST or None, people=people, full_names=full, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            record_visit(
                actor=request.user,
                person=form.cleaned_data["person"],
                dwelling=None,
                purpose=form.cleaned_data["purpose"],
                findings=form.cleaned_data["findings"],
                follow_up=form.cleaned_data["follow_up"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The visit has been recorded."))
            return redirect("people:visit_list")
    return render(request, "people/visit_form.html", {"form": form})


@requires("people.view_person")
def visit_list(request: HttpRequest) -> HttpResponse:
    from .models import Visit
    from .selectors import overdue_visits

    full = has_action(request.user, "people.change_person")
    visits = visible(
        Visit.objects.select_related("person", "visitor", "dwelling__unit__building__estate"),
        request.user,
        "people.view_person",
    )[:50]
    due = overdue_visits(request.user)
    for item in due:
        item.person.shown_name = display_name(item.person.name, full=full)
    for visit in visits:
        if visit.person:
            visit.person.shown_name = display_name(visit.person.name, full=full)
    return render(
        request,
        "people/visit_list.html",
        {"visits": visits, "due": due, "can_record": has_action(request.user, "people.record_visit")},
    )


@requires("people.change_person")
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """A queued import: progress while a worker runs it (the page polls), then its outcome."""
    from .models import ImportJob

    job = get_object_or_404(
        visible(ImportJob.objects.select_related("community"), request.user, "people.change_person"), pk=pk
    )
    template = "people/_import_job.html" if request.htmx else "people/import_job.html"
    from shuren.core.jobs import lease_of
    from shuren.core.spreadsheets import RowError

    from .tasks import IMPORT_JOB

    errors = [RowError(*error) for error in job.errors[:500]]
    duplicates = [RowError(*row) for row in job.duplicates[:500]]
    context = {"job": job, "errors": errors, "duplicates": duplicates, "lease": lease_of(IMPORT_JOB, job.pk)}
    return render(request, template, context)


@requires("people.change_person")
def residence_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record where a resident lives: the dwelling by estate, building, unit and room."""
    from shuren.places.models import Dwelling, Estate

    from .forms import ResidenceForm
    from .services import add_residence

    person = _person_to_change(request, pk, "people.change_person")
    estates = visible(Estate.objects.filter(community=person.community), request.user, "places.view_place")
    form = ResidenceForm(request.POST or None, estates=estates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        dwelling = (
            visible(Dwelling.objects.all(), request.user, "people.change_person")
            .filter(
                unit__building__estate=data["estate"],
                unit__building__number=data["building"].strip(),
                unit__number=data["unit"].strip(),
                room=data["room"].strip(),
            )
            .first()
        )
        if dwelling is None:
            form.add_error("room", _("No such dwelling in your area: check the building, unit and room."))
        else:
            try:
                add_residence(
                    actor=request.user,
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
    from .services import end_residence

    person = _person_to_change(request, pk, "people.change_person")
    residence = get_object_or_404(person.residences.all(), pk=residence_pk)
    try:
        on = dt.date.fromisoformat(request.POST.get("to_on", "")) if request.POST.get("to_on") else timezone.localdate()
        end_residence(actor=request.user, residence=residence, on=on)
    except ValueError:
        messages.error(request, _("Enter a valid date."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The residence has ended."))
    return redirect("people:person_detail", pk=person.pk)
