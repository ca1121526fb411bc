"""Household visits (走访): recording one, the recent visits and who is due a visit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from shuren.accounts.acting import acting_user
from shuren.core.masking import display_name
from shuren.core.permissions import requires
from shuren.core.scoping import has_action

from ..forms import VisitForm
from ..selectors import overdue_visits, people_where, visible_visits
from ..services import record_visit


@requires("people.record_visit")
def visit_new(request: HttpRequest) -> HttpResponse:
    people = people_where(request.user, "people.record_visit")
    full = has_action(request.user, "people.change_person")
    initial = {"person": request.GET.get("person")} if request.GET.get("person", "").isdigit() else {}
    form = VisitForm(request.POST or None, people=people, full_names=full, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            record_visit(
                actor=acting_user(request),
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
    full = has_action(request.user, "people.change_person")
    visits = visible_visits(request.user)
    due = overdue_visits(request.user)
    for item in due:
        item.person.shown_name = display_name(item.person.name, full=full)  # type: ignore[attr-defined]  # for the template
    for visit in visits:
        if visit.person:
            visit.person.shown_name = display_name(visit.person.name, full=full)  # type: ignore[attr-defined]  # for the template
    return render(
        request,
        "people/visit_list.html",
        {"visits": visits, "due": due, "can_record": has_action(request.user, "people.record_visit")},
    )
