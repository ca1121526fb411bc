"""Configuration of ballots: the rules that count them (local rules may ask more than art. 278 of
the Civil Code, never less)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from shuren.accounts.acting import acting_user
from shuren.core.forms import add_validation_errors
from shuren.core.permissions import requires

from .. import selectors, services
from ..forms import RuleForm
from ..models import BallotRule


@requires("ballots.configure")
def rule_list(request: HttpRequest) -> HttpResponse:
    return render(request, "ballots/console/rule_list.html", {"rules": selectors.rules()})


@requires("ballots.configure")
def rule_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    rule = get_object_or_404(selectors.rules(), pk=pk) if pk is not None else BallotRule()
    original = selectors.rules().get(pk=pk) if pk is not None else None
    form = RuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_rule(actor=acting_user(request), rule=original or BallotRule(), fields=form.cleaned_data)
            messages.success(request, _("The rule has been saved."))
            return redirect("ballots:rule_list")
        except ValidationError as exc:
            add_validation_errors(form, exc)
    title = _("Edit rule %(name)s") % {"name": original.name} if original else _("New ballot rule")
    return render(request, "ballots/console/rule_form.html", {"form": form, "title": title})
