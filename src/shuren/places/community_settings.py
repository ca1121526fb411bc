"""The page on which staff change one community's settings of a module (governance, proposals,
volunteering, points ...): the module builds its form and says how to save it; the page keeps what
was typed when saving fails, says so, and goes back to the list when it succeeds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from shuren.core.forms import add_validation_errors

from .models import Area


def settings_page(
    request: HttpRequest,
    *,
    community: Area,
    form: forms.BaseForm,
    save: Callable[[dict[str, Any]], object],
    template: str,
    done: str,
) -> HttpResponse:
    """Show ``form`` for ``community``; on a valid POST call ``save(cleaned_data)`` (a service that
    checks permission and audits) and redirect to the URL name ``done``."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(cast(forms.Form, form), exc)
        else:
            messages.success(request, _("The policy of %(community)s has been saved.") % {"community": community.name})
            return redirect(done)
    return render(
        request, template, {"form": form, "community": community}, status=400 if request.method == "POST" else 200
    )
