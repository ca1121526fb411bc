"""Party membership and youth-league profiles (一团员一档案) of a resident."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from shuren.accounts.acting import acting_user
from shuren.core.forms import add_validation_errors
from shuren.core.permissions import requires

from ..forms import LeagueProfileForm, PartyMembershipForm
from ..models import LEAGUE_BRANCH_KINDS, PARTY_BRANCH_KINDS
from ..selectors import branch_choices
from ..services import remove_party_membership, save_league_profile, save_party_membership
from .common import one_to_one, person_to_change


@requires("people.view_affiliation")
def party_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Record or correct a resident's party membership; or remove it, with a reason."""
    person = person_to_change(request, pk, "people.change_person", "people.view_affiliation")
    current = one_to_one(person, "party_membership")
    if request.method == "POST" and request.POST.get("remove"):
        try:
            remove_party_membership(actor=acting_user(request), person=person, reason=request.POST.get("reason", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("people:party_edit", pk=person.pk)
        messages.success(request, _("The party membership has been removed."))
        return redirect("people:person_detail", pk=person.pk)
    form = PartyMembershipForm(
        request.POST or None, instance=current, branches=branch_choices(person, PARTY_BRANCH_KINDS)
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            save_party_membership(actor=acting_user(request), person=person, **fields)
        except ValidationError as exc:
            add_validation_errors(cast(forms.Form, form), exc)
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
    person = person_to_change(request, pk, "people.change_person", "people.view_affiliation")
    form = LeagueProfileForm(
        request.POST or None,
        instance=one_to_one(person, "league_profile"),
        branches=branch_choices(person, LEAGUE_BRANCH_KINDS),
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            save_league_profile(actor=acting_user(request), person=person, **fields)
        except ValidationError as exc:
            add_validation_errors(cast(forms.Form, form), exc)
        else:
            messages.success(request, _("The youth-league profile has been saved."))
            return redirect("people:person_detail", pk=person.pk)
    return render(
        request,
        "people/person_edit.html",
        {"form": form, "person": person, "title": _("Youth-league profile of %(name)s") % {"name": person.name}},
    )
